/**
 * At most one event per (a, b) pair per interval — e.g. one "typing" push per (sender, group),
 * one one-time prekey per (requester, target). Events repeated within the interval carry no
 * news (or would only drain something), so the extra ones are refused.
 *
 * Memory stays bounded by the events of the last interval — entries are kept in the order of
 * their last allowed event, and stale ones are dropped from the front on every call — and by
 * `maxEntries`: when that many pairs are live, new pairs are refused until some go stale.
 */
export class PairThrottle {
  /** `${a} ${b}` → when its last event was let through; oldest first. */
  private readonly last = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** True if this event may go (and counts it); false if one went less than the interval ago. */
  allow(a: string, b: string): boolean {
    const now = this.now();
    this.dropStale(now);
    const key = `${a} ${b}`;
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    if (previous === undefined && this.last.size >= this.maxEntries) return false;
    // Re-inserted so the map stays ordered by time of the last allowed event.
    this.last.delete(key);
    this.last.set(key, now);
    return true;
  }

  /** Takes back the last allowed event of a pair (it turned out not to happen). */
  forget(a: string, b: string): void {
    this.last.delete(`${a} ${b}`);
  }

  /** Pairs remembered: only those with an event in the last interval (after the latest call). */
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
