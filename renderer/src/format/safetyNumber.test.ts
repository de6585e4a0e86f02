import { describe, expect, it } from 'vitest';
import { displayGroups, groupDigits, safetyNumberCopyText, safetyNumberRows } from './safetyNumber';

const DIGITS = Array.from({ length: 60 }, (_, i) => String(i % 10)).join('');

describe('safety number formatting', () => {
  it('groups 60 digits into 12 groups of 5', () => {
    const groups = groupDigits(DIGITS);
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => /^\d{5}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(DIGITS);
    expect(groups[0]).toBe('01234');
    expect(groups[1]).toBe('56789');
  });

  it('ignores anything that is not a digit, and keeps a short tail', () => {
    expect(groupDigits('123 45-678')).toEqual(['12345', '678']);
    expect(groupDigits('')).toEqual([]);
  });

  it('lays the groups out in 3 rows of 4', () => {
    const rows = safetyNumberRows(groupDigits(DIGITS));
    expect(rows.map((row) => row.length)).toEqual([4, 4, 4]);
  });

  it('copies the grid as it is shown: groups spaced, rows on lines', () => {
    const text = safetyNumberCopyText(groupDigits(DIGITS));
    expect(text.split('\n')).toEqual(['01234 56789 01234 56789', '01234 56789 01234 56789', '01234 56789 01234 56789']);
    expect(text.replace(/\D/g, '')).toBe(DIGITS);
  });

  it("shows the core's groups when they spell the digits, else regroups the digits", () => {
    const groups = groupDigits(DIGITS);
    expect(displayGroups(DIGITS, groups)).toEqual(groups);
    const wrong = [...groups];
    wrong[3] = '99999';
    expect(displayGroups(DIGITS, wrong)).toEqual(groups);
  });
});
