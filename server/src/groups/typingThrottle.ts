/**
 * At most one "typing" push per (sender, group) per interval. gTyping fans out to every
 * online member of a group of up to 1,000, so a client sending it in a loop — within the
 * per-connection frame rate — would still cost the relay and every member a push per frame.
 * A typing signal repeated within the interval carries no news, so the extra ones are dropped.
 *
 * Memory stays bounded by the signals of the last interval: entries are kept in the order of
 * their last allowed signal, and stale ones are dropped from the front on every call.
 */

/** A client renews "typing" every few seconds while the user types; faster is noise. */
export const TYPING_INTERVAL_MS = 2_000;

export class TypingThrottle {
  /** `${userId} ${groupId}` → when its last signal was let through; oldest first. */
  private readonly last = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number = TYPING_INTERVAL_MS,
  ) {}

  /** True if this signal may be pushed (and counts it); false if one went out less than the interval ago. */
  allow(userId: string, groupId: string): boolean {
    const now = this.now();
    this.dropStale(now);
    const key = `${userId} ${groupId}`;
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    // Re-inserted so the map stays ordered by time of the last allowed signal.
    this.last.delete(key);
    this.last.set(key, now);
    return true;
  }

  /** Pairs remembered: only those with a signal in the last interval (after the latest call). */
  get size(): number {
    return this.last.size;
  }

  private dropStale(now: number): void {
    for (const [key, at] of this.last) {
      if (now - at < this.intervalMs) return;
      this.last.delete(key);
    }
  }
}
