/**
 * Who gets one of a user's one-time prekeys. Anyone signed in may fetch anyone's bundle, and
 * each one-time prekey goes out once: without a budget, one account (or a few) could drain a
 * user's whole stock in a loop. X3DH stays secure without one (the bundle still has the signed
 * prekey), but the first message of a session then lacks the one-time key's extra forward
 * secrecy, so the stock is worth keeping for real session starts:
 *
 * - one one-time prekey per (requester, target) per PAIR_INTERVAL_MS: a client starts a session
 *   with someone once, retries and resets are rare;
 * - at most PER_TARGET_PER_HOUR one-time prekeys per target per hour, from everyone together:
 *   many accounts working together take at most that many an hour, while the client tops its
 *   stock of 100 back up every hour it is online (account/preKeys.ts), so the stock lasts.
 *
 * Only a key actually handed out counts (a refused or empty-stock request is refunded). Over
 * budget, the bundle is still served, with the signed prekey only. In memory, per relay
 * process (like the connection rate limits): a restart forgets it, which only resets budgets;
 * at most MAX_TRACKED requester pairs and targets are tracked (beyond: signed prekey only).
 */
import { PairThrottle } from './pairThrottle';

export const PAIR_INTERVAL_MS = 10 * 60 * 1000;
export const PER_TARGET_PER_HOUR = 50;
const MAX_TRACKED = 100_000;
const HOUR_MS = 60 * 60 * 1000;

export interface PreKeyBudgetOptions {
  pairIntervalMs: number;
  perTargetPerHour: number;
}

export const DEFAULT_PREKEY_BUDGET: PreKeyBudgetOptions = {
  pairIntervalMs: PAIR_INTERVAL_MS,
  perTargetPerHour: PER_TARGET_PER_HOUR,
};

export class OneTimePreKeyBudget {
  private readonly pairs: PairThrottle;
  private readonly perTargetPerHour: number;
  /** target → start of its current hour window and what it gave out in it; oldest window first. */
  private readonly targets = new Map<string, { start: number; given: number }>();

  constructor(
    private readonly now: () => number,
    options: PreKeyBudgetOptions = DEFAULT_PREKEY_BUDGET,
  ) {
    this.pairs = new PairThrottle(now, options.pairIntervalMs, MAX_TRACKED);
    this.perTargetPerHour = options.perTargetPerHour;
  }

  /** True if `requester` may take one of `target`'s one-time prekeys now (and counts it: see refund). */
  allow(requester: string, target: string): boolean {
    const now = this.now();
    for (const [key, window] of this.targets) {
      if (now - window.start < HOUR_MS) break;
      this.targets.delete(key);
    }
    const window = this.targets.get(target);
    if (window && window.given >= this.perTargetPerHour) return false;
    if (!window && this.targets.size >= MAX_TRACKED) return false;
    if (!this.pairs.allow(requester, target)) return false;
    if (window) window.given += 1;
    else this.targets.set(target, { start: now, given: 1 });
    return true;
  }

  /** An allowed request got no one-time prekey after all (unknown user, empty stock): not counted. */
  refund(requester: string, target: string): void {
    this.pairs.forget(requester, target);
    const window = this.targets.get(target);
    if (window) window.given = Math.max(0, window.given - 1);
  }
}
