import { describe, expect, it } from 'vitest';
import { timeLeft, timerLabelKey } from './lifecycle';

describe('self-destruct wording', () => {
  it('words each timer choice and falls back to off', () => {
    expect(timerLabelKey(5)).toBe('lifecycle.timerFiveSeconds');
    expect(timerLabelKey(604_800)).toBe('lifecycle.timerOneWeek');
    expect(timerLabelKey(7)).toBe('lifecycle.timerOff');
  });

  it('counts down in the largest fitting unit, never below zero', () => {
    expect(timeLeft(4_200)).toEqual({ key: 'lifecycle.leftSeconds', count: 5 });
    expect(timeLeft(60_000)).toEqual({ key: 'lifecycle.leftSeconds', count: 60 });
    expect(timeLeft(60_400)).toEqual({ key: 'lifecycle.leftMinutes', count: 1 });
    expect(timeLeft(90_000)).toEqual({ key: 'lifecycle.leftMinutes', count: 2 });
    expect(timeLeft(3 * 3_600_000)).toEqual({ key: 'lifecycle.leftHours', count: 3 });
    expect(timeLeft(6 * 86_400_000)).toEqual({ key: 'lifecycle.leftDays', count: 6 });
    expect(timeLeft(-5)).toEqual({ key: 'lifecycle.leftSeconds', count: 0 });
  });
});
