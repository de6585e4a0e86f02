import { describe, expect, it } from 'vitest';
import { displayNameProblem, normalizeUsername, usernameProblem } from './accountRules';

describe('account rules (mirroring the contract)', () => {
  it('normalises a username as the contract does', () => {
    expect(normalizeUsername('  @Alice_1 ')).toBe('alice_1');
  });

  it('accepts valid usernames, with or without @ and in any case', () => {
    for (const name of ['bob', '@Bob', 'a_1', 'x'.repeat(32)]) expect(usernameProblem(name)).toBeNull();
  });

  it('says what is wrong with an invalid one', () => {
    expect(usernameProblem('')).toBe('tooShort');
    expect(usernameProblem('ab')).toBe('tooShort');
    expect(usernameProblem('x'.repeat(33))).toBe('tooLong');
    expect(usernameProblem('1abc')).toBe('mustStartWithLetter');
    expect(usernameProblem('_abc')).toBe('mustStartWithLetter');
    expect(usernameProblem('ab-c')).toBe('invalidCharacters');
    expect(usernameProblem('ab c')).toBe('invalidCharacters');
    expect(usernameProblem('ä')).toBe('mustStartWithLetter');
  });

  it('requires a display name of at most 64 characters', () => {
    expect(displayNameProblem('   ')).toBe('required');
    expect(displayNameProblem('x'.repeat(65))).toBe('tooLong');
    expect(displayNameProblem(' Alice ')).toBeNull();
  });
});
