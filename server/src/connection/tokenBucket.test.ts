import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket';

describe('token bucket', () => {
  it('allows a burst, then refuses with the time until the next token', () => {
    let now = 1_000;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()].every((r) => r.allowed)).toBe(true);
    expect(bucket.take()).toEqual({ allowed: false, retryAfterMs: 100 });

    now += 50; // half a token
    expect(bucket.take()).toEqual({ allowed: false, retryAfterMs: 50 });
    now += 50;
    expect(bucket.take()).toEqual({ allowed: true });
  });

  it('refills up to the burst size only', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 2, () => now);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take()].map((r) => r.allowed)).toEqual([true, true, false]);
  });

  it('does not drain when the clock steps backwards', () => {
    let now = 10_000;
    const bucket = new TokenBucket(1, 1, () => now);
    now = 0;
    expect(bucket.take().allowed).toBe(true);
  });
});
