import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket';

describe('client-side rate pacing', () => {
  it('lets a burst through at once, then paces at the announced rate, in call order', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0, 0]);
    // 10 per second: the 4th token exists after 100 ms, the 5th after 200 ms.
    expect([bucket.reserve(0), bucket.reserve(0)]).toEqual([100, 200]);
  });

  it('refills over time, never above the burst size', () => {
    const bucket = new TokenBucket(10, 2, 0);
    bucket.reserve(0);
    bucket.reserve(0);
    expect(bucket.reserve(10_000)).toBe(0);
    expect(bucket.reserve(10_000)).toBe(0);
    expect(bucket.reserve(10_000)).toBe(100);
  });

  it("holds every frame until the relay's retryAfterMs has passed", () => {
    const bucket = new TokenBucket(1_000, 100, 0);
    bucket.pause(0, 750);
    expect(bucket.reserve(0)).toBe(750);
    expect(bucket.reserve(500)).toBe(250);
    expect(bucket.reserve(2_000)).toBe(0);
  });
});
