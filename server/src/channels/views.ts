/**
 * Aggregated view counts: views are counted in memory and added to the posts' rows in one
 * batched write every flush interval — never a write per view on the hot path. Reads add the
 * counts not yet flushed, so a count is current the moment it is asked for. If the relay
 * crashes, the views of the last interval are lost (they are statistics, not messages).
 */
import type { ChannelStore, ViewIncrement } from './store';

export class ViewCounter {
  private pending = new Map<string, Map<number, number>>();

  add(channelId: string, seq: number, count = 1): void {
    let perPost = this.pending.get(channelId);
    if (!perPost) {
      perPost = new Map();
      this.pending.set(channelId, perPost);
    }
    perPost.set(seq, (perPost.get(seq) ?? 0) + count);
  }

  /** Views counted and not yet flushed. */
  pendingFor(channelId: string, seq: number): number {
    return this.pending.get(channelId)?.get(seq) ?? 0;
  }

  /** Writes everything counted so far in one transaction; on failure the counts are kept for the next try. */
  async flush(store: ChannelStore): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const increments: ViewIncrement[] = [];
    for (const [channelId, perPost] of batch) {
      for (const [seq, count] of perPost) increments.push({ channelId, seq, count });
    }
    try {
      await store.addViews(increments);
    } catch (error) {
      for (const { channelId, seq, count } of increments) this.add(channelId, seq, count);
      throw error;
    }
    return increments.length;
  }
}
