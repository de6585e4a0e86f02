/**
 * Deletes self-destructing messages when they are due: the message row, the outbox rows and
 * reactions that hold its text (LifecycleRepo.remove), leaving only a tombstone of its id;
 * then `PRAGMA wal_checkpoint(TRUNCATE)`, so with secure_delete on no copy of the text stays
 * in the database file or its WAL.
 *
 * Due means `expire_at <= now` by the wall clock (persisted, so a message that expired while
 * the app was closed goes at the next start), OR its countdown's deadline on the monotonic
 * clock has passed (for countdowns started in this process), so a wall clock set back does
 * not keep a message alive longer. Nothing deleted ever returns: incoming copies of a
 * tombstoned id are not stored again.
 */
import type { Logger } from '../api';
import type { RemovedMessage } from '../db/lifecycle';
import type { Store } from '../db/store';
import { describeError } from '../logger';

export interface ExpiryClock {
  /** Wall clock, ms since epoch. */
  now(): number;
  /** Monotonic clock, ms. */
  monotonic(): number;
}

export const systemClock: ExpiryClock = { now: () => Date.now(), monotonic: () => performance.now() };

/** Longest sleep between looks at the database (a wall clock set forward is noticed by then). */
const MAX_SLEEP_MS = 60_000;

export class ExpiryScheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** localId → deadline on the monotonic clock, for countdowns seen by this process. */
  private readonly monotonicDeadlines = new Map<number, number>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly onRemoved: (removed: RemovedMessage[]) => void,
    private readonly clock: ExpiryClock = systemClock,
  ) {}

  /** Applies everything already due (e.g. expired while the app was closed) and schedules the rest. */
  start(): void {
    this.sweep();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Countdowns started or changed for these messages (call after the commit). */
  noteCountdowns(localIds: readonly number[]): void {
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    for (const localId of localIds) {
      const message = this.store.messages.getByLocalId(localId);
      if (message?.expireAt == null) continue;
      const deadline = mono + Math.max(0, message.expireAt - now);
      const known = this.monotonicDeadlines.get(localId);
      this.monotonicDeadlines.set(localId, known === undefined ? deadline : Math.min(known, deadline));
    }
    this.reschedule();
  }

  /** Messages were deleted outside the sweep (delete for me / for everyone): clear the WAL too. */
  afterRemoval(): void {
    if (this.stopped) return;
    checkpoint(this.store, this.logger);
    this.reschedule();
  }

  /** Deletes every due message now; returns what went. */
  sweep(): RemovedMessage[] {
    if (this.stopped) return [];
    let removed: RemovedMessage[] = [];
    try {
      removed = this.removeDue();
    } catch (err) {
      this.logger.error('deleting expired messages failed', { error: describeError(err) });
    }
    this.reschedule();
    if (removed.length > 0) this.onRemoved(removed);
    return removed;
  }

  private removeDue(): RemovedMessage[] {
    const { store } = this;
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    const due = new Set(store.lifecycle.due(now));
    for (const [localId, deadline] of this.monotonicDeadlines) if (deadline <= mono) due.add(localId);
    if (due.size === 0) return [];
    const removed = store.transaction(() => {
      const gone: RemovedMessage[] = [];
      for (const localId of due) {
        const message = store.lifecycle.remove(localId, now);
        if (message) gone.push(message);
      }
      return gone;
    });
    for (const localId of due) this.monotonicDeadlines.delete(localId);
    if (removed.length > 0) checkpoint(store, this.logger);
    return removed;
  }

  private reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    let wait = MAX_SLEEP_MS;
    const next = this.store.db.open ? this.store.lifecycle.nextDue() : null;
    if (next !== null) wait = Math.min(wait, next - now);
    for (const deadline of this.monotonicDeadlines.values()) wait = Math.min(wait, deadline - mono);
    if (next === null && this.monotonicDeadlines.size === 0) return; // nothing timed: no timer at all
    this.timer = setTimeout(() => this.sweep(), Math.max(0, Math.ceil(wait)));
    this.timer.unref();
  }
}

/** Moves everything in the WAL into the database file and truncates the WAL to zero bytes. */
export function checkpoint(store: Store, logger: Logger): void {
  try {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    logger.warn('WAL checkpoint failed', { error: describeError(err) });
  }
}
