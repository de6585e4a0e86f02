import { describe, expect, it } from 'vitest';
import { OneTimePreKeyBudget } from './preKeyBudget';

describe('OneTimePreKeyBudget', () => {
  it('caps what one target gives out per hour, from all requesters together', () => {
    let now = 0;
    const budget = new OneTimePreKeyBudget(() => now, { pairIntervalMs: 60_000, perTargetPerHour: 3 });
    expect(['r1', 'r2', 'r3', 'r4'].map((r) => budget.allow(r, 'victim'))).toEqual([true, true, true, false]);
    // Someone else's stock is not touched by it.
    expect(budget.allow('r4', 'other')).toBe(true);
    now += 60 * 60 * 1000;
    expect(budget.allow('r4', 'victim')).toBe(true);
  });

  it('does not count a refusal against the target', () => {
    const budget = new OneTimePreKeyBudget(() => 0, { pairIntervalMs: 60_000, perTargetPerHour: 2 });
    expect(budget.allow('r1', 'victim')).toBe(true);
    expect(budget.allow('r1', 'victim')).toBe(false); // same pair, within the interval
    expect(budget.allow('r2', 'victim')).toBe(true);
  });

  it('does not count a request that got no key (refund): the requester may have one right after', () => {
    const budget = new OneTimePreKeyBudget(() => 0, { pairIntervalMs: 60_000, perTargetPerHour: 1 });
    expect(budget.allow('r1', 'empty')).toBe(true);
    budget.refund('r1', 'empty');
    expect(budget.allow('r1', 'empty')).toBe(true);
    expect(budget.allow('r2', 'empty')).toBe(false); // the one of this hour went to r1
  });
});
