import { describe, expect, it } from 'vitest';
import { AVATAR_COLOR_COUNT, avatarColorIndex, initials } from './avatar';
import { previewText } from './preview';

describe('avatar', () => {
  it('takes the initials of the first and last names', () => {
    expect(initials('Alice Liddell')).toBe('AL');
    expect(initials('  bob  ')).toBe('B');
    expect(initials('Jean Claude van Damme')).toBe('JD');
  });

  it('does not split characters outside the BMP', () => {
    expect(initials('😀 Smile')).toBe('😀S');
    expect(initials('𝒜da')).toBe('𝒜');
  });

  it('falls back to the username, then to a question mark', () => {
    expect(initials('   ', 'zed')).toBe('Z');
    expect(initials('')).toBe('?');
  });

  it('derives a stable colour from the user id, spread over the palette', () => {
    expect(avatarColorIndex('user-1')).toBe(avatarColorIndex('user-1'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => avatarColorIndex(`user-${i}`)));
    expect(used.size).toBe(AVATAR_COLOR_COUNT);
    for (const index of used) expect(index).toBeGreaterThanOrEqual(0);
  });
});

describe('previewText', () => {
  it('puts a multi-line message on one line', () => {
    expect(previewText('  Hello\n\n  there\tyou ')).toBe('Hello there you');
  });
});
