import { describe, expect, it } from 'vitest';
import { dayKey, formatChatListTime, formatClockTime, formatDayLabel } from './time';

// Local-time dates, so the tests hold in any time zone.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const now = at(2024, 3, 14, 18, 30); // Thursday, 14 March 2024
const labels = { today: 'Today', yesterday: 'Yesterday' };

describe('time formatting', () => {
  it('writes clock times the way the locale does', () => {
    expect(formatClockTime(at(2024, 3, 14, 14, 5), 'en-GB')).toBe('14:05');
    expect(formatClockTime(at(2024, 3, 14, 14, 5), 'en-US')).toMatch(/^2:05\sPM$/u);
  });

  it('shows the time for today in the chat list', () => {
    expect(formatChatListTime(at(2024, 3, 14, 0, 1), now, 'en-GB')).toBe('00:01');
  });

  it('shows the weekday within the last week', () => {
    expect(formatChatListTime(at(2024, 3, 13, 23, 59), now, 'en-GB')).toBe('Wed');
    expect(formatChatListTime(at(2024, 3, 8), now, 'en-GB')).toBe('Fri');
  });

  it('shows day and month earlier this year, and a short date before that', () => {
    expect(formatChatListTime(at(2024, 3, 7), now, 'en-GB')).toBe('7 Mar');
    expect(formatChatListTime(at(2024, 1, 2), now, 'en-US')).toBe('Jan 2');
    expect(formatChatListTime(at(2023, 12, 31), now, 'en-GB')).toBe('31/12/2023');
  });

  it('labels day separators Today, Yesterday, then by date', () => {
    expect(formatDayLabel(at(2024, 3, 14, 0, 0), now, 'en-GB', labels)).toBe('Today');
    expect(formatDayLabel(at(2024, 3, 13, 23, 59), now, 'en-GB', labels)).toBe('Yesterday');
    expect(formatDayLabel(at(2024, 3, 5), now, 'en-US', labels)).toBe('March 5');
    expect(formatDayLabel(at(2023, 3, 5), now, 'en-GB', labels)).toBe('5 March 2023');
  });

  it('keys days by local calendar date', () => {
    expect(dayKey(at(2024, 3, 5, 0, 0))).toBe('2024-03-05');
    expect(dayKey(at(2024, 3, 5, 23, 59))).toBe('2024-03-05');
    expect(dayKey(at(2024, 12, 31, 23, 59))).not.toBe(dayKey(at(2025, 1, 1, 0, 0)));
  });
});
