/**
 * Per-connection rate limit: a token bucket holding up to `burst` tokens, refilled at
 * `ratePerSecond`. Each inbound frame takes one token.
 */
export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.refilledAt = now();
  }

  take(): TakeResult {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    const retryAfterMs = Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
    return { allowed: false, retryAfterMs: Math.max(1, retryAfterMs) };
  }

  private refill(): void {
    const now = this.now();
    // A clock that steps backwards must not drain the bucket.
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.ratePerSecond);
    this.refilledAt = now;
  }
}
