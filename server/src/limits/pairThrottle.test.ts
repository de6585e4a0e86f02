import { describe, expect, it } from 'vitest';
import { PairThrottle } from './pairThrottle';

const TYPING_INTERVAL_MS = 2_000;

describe('PairThrottle', () => {
  it('lets one signal per (sender, group) through per interval', () => {
    let now = 1_000;
    const throttle = new PairThrottle(() => now, TYPING_INTERVAL_MS);
    expect(throttle.allow('u1', 'g1')).toBe(true);
    expect(throttle.allow('u1', 'g1')).toBe(false);
    // Other senders and other groups have their own allowance.
    expect(throttle.allow('u2', 'g1')).toBe(true);
    expect(throttle.allow('u1', 'g2')).toBe(true);
    now += TYPING_INTERVAL_MS - 1;
    expect(throttle.allow('u1', 'g1')).toBe(false);
    now += 1;
    expect(throttle.allow('u1', 'g1')).toBe(true);
  });

  it('a dropped signal does not extend the interval', () => {
    let now = 0;
    const throttle = new PairThrottle(() => now, 100);
    expect(throttle.allow('u1', 'g1')).toBe(true);
    now = 99;
    expect(throttle.allow('u1', 'g1')).toBe(false);
    now = 100;
    expect(throttle.allow('u1', 'g1')).toBe(true);
  });

  it('forgets pairs whose interval is over, so memory follows recent signals only', () => {
    let now = 0;
    const throttle = new PairThrottle(() => now, 100);
    for (let i = 0; i < 1_000; i++) throttle.allow(`u${i}`, 'g1');
    expect(throttle.size).toBe(1_000);
    now = 50;
    throttle.allow('u0', 'g2');
    expect(throttle.size).toBe(1_001);
    now = 100;
    throttle.allow('late', 'g1');
    // The 1,000 signals of time 0 are over; u0/g2 (time 50) and the new one remain.
    expect(throttle.size).toBe(2);
  });

  it('refuses new pairs while it holds its maximum of live ones', () => {
    let now = 0;
    const throttle = new PairThrottle(() => now, 100, 2);
    expect(throttle.allow('a', '1')).toBe(true);
    expect(throttle.allow('a', '2')).toBe(true);
    expect(throttle.allow('a', '3')).toBe(false);
    now += 100; // both went stale
    expect(throttle.allow('a', '3')).toBe(true);
  });
});
