import { describe, expect, it } from 'vitest';
import { Backoff, backoffCeiling, backoffDelay } from './backoff';

const policy = { baseMs: 500, capMs: 30_000 };

describe('reconnect backoff', () => {
  it('doubles the ceiling per failed attempt up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffCeiling(n, policy))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('draws the delay uniformly between zero and the ceiling (full jitter)', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(3_999);
  });

  it('never exceeds the cap, whatever the attempt count', () => {
    for (const attempt of [10, 1_000, 1e9]) expect(backoffDelay(attempt, policy, () => 0.999_999)).toBeLessThan(30_000);
  });

  it('starts over from the base after a successful session', () => {
    const backoff = new Backoff(policy, () => 0.999_999);
    const first = [backoff.next(), backoff.next(), backoff.next()];
    backoff.reset();
    expect(first).toEqual([499, 999, 1_999]);
    expect(backoff.next()).toBe(499);
  });
});
