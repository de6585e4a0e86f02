/**
 * A client-side token bucket mirroring the relay's per-connection rate limit (announced in
 * `hello`), so a burst (a full outbox after a reconnect, a batch of acks) is paced instead
 * of being refused with rate_limited.
 *
 * `reserve` hands out tokens in call order and may run the balance negative: each caller
 * gets the delay after which its token exists. Delays are non-decreasing across calls, so
 * frames leave in the order they were queued.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Set by the relay's rate_limited.retryAfterMs: nothing goes out before this time. */
  private notBefore = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token; returns how many ms the caller must wait before sending. */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    const untilToken = this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
    return Math.max(untilToken, this.notBefore - now, 0);
  }

  /** The relay said to wait: hold everything until `now + retryAfterMs`. */
  pause(now: number, retryAfterMs: number): void {
    this.notBefore = Math.max(this.notBefore, now + retryAfterMs);
    // Start the refill from empty at that point, as the relay's own bucket does.
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }
}
