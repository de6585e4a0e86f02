import { describe, expect, it } from 'vitest';
import { slot, splitSlots, timeLeft, timerLabelKey, timerLine, typingLine } from './lifecycle';

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

describe('sentences with names', () => {
  it('cuts a translated sentence at its name slots', () => {
    expect(splitSlots(`${slot(0)} and ${slot(1)} are typing…`)).toEqual([
      { name: 0 },
      ' and ',
      { name: 1 },
      ' are typing…',
    ]);
    expect(splitSlots('no names')).toEqual(['no names']);
    expect(splitSlots(`Replying to ${slot(0)}`)).toEqual(['Replying to ', { name: 0 }]);
  });

  it('words who is typing: one, two, or one and a count of others', () => {
    expect(typingLine([])).toBeNull();
    expect(typingLine(['Alice'])).toEqual({ key: 'lifecycle.typingOne', values: { name: slot(0) }, names: ['Alice'] });
    expect(typingLine(['Alice', 'Bob'])).toEqual({
      key: 'lifecycle.typingTwo',
      values: { first: slot(0), second: slot(1) },
      names: ['Alice', 'Bob'],
    });
    expect(typingLine(['Alice', 'Bob', 'Carol'])).toEqual({
      key: 'lifecycle.typingMany',
      values: { name: slot(0), count: 2 },
      names: ['Alice'],
    });
  });

  it('words a timer change, ours or someone else’s, set or turned off', () => {
    expect(timerLine(5, true, 'Alice', '5 seconds')).toEqual({
      key: 'lifecycle.timerSetLineMine',
      values: { timer: '5 seconds' },
      names: [],
    });
    expect(timerLine(5, false, 'Alice', '5 seconds')).toEqual({
      key: 'lifecycle.timerSetLine',
      values: { name: slot(0), timer: '5 seconds' },
      names: ['Alice'],
    });
    expect(timerLine(0, true, 'Alice', 'Off').key).toBe('lifecycle.timerOffLineMine');
    expect(timerLine(0, false, 'Alice', 'Off')).toMatchObject({ key: 'lifecycle.timerOffLine', names: ['Alice'] });
  });
});
