/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniformly random delay between
 * 0 and the exponential ceiling). The randomness spreads the reconnect storm after a relay
 * restart across the whole window instead of synchronising every client.
 */
export interface BackoffPolicy {
  /** Ceiling of the first delay. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/** The ceiling for the given attempt (0-based): min(cap, base · 2^attempt). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  // 2^attempt overflows to Infinity for large attempts; min() keeps it at the cap.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt));
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}

/** Counts consecutive failures; `reset()` after a success starts over from the base. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_RECONNECT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelay(this.attempt++, this.policy, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
