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

/**
 * Another table of timed lines the scheduler looks after (groups). Its removals happen in the
 * same sweep transaction and WAL checkpoint as the 1:1 messages'.
 */
export interface SourceRemoval {
  /** The conversation (a group id). */
  scope: string;
  id: string;
}

export interface ExpirySource {
  /** Distinguishes this source's local ids from the others'. */
  readonly name: string;
  /** Local ids due at `now`. */
  due(now: number): number[];
  nextDue(): number | null;
  /** When this line goes (ms since epoch), or null if it has no running countdown. */
  expireAt(localId: number): number | null;
  /** Deletes one line (inside the sweep's transaction); what went (its conversation and id), or null. */
  remove(localId: number, now: number): SourceRemoval | null;
  /** After the commit: tell the UI what went. */
  announce(removed: readonly SourceRemoval[]): void;
}

/** Longest sleep between looks at the database (a wall clock set forward is noticed by then). */
const MAX_SLEEP_MS = 60_000;

export class ExpiryScheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** `source:localId` → deadline on the monotonic clock, for countdowns seen by this process. */
  private readonly monotonicDeadlines = new Map<string, number>();
  private readonly sources: ExpirySource[] = [];

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

  addSource(source: ExpirySource): void {
    this.sources.push(source);
  }

  /** Countdowns started or changed for these messages (call after the commit). */
  noteCountdowns(localIds: readonly number[], sourceName?: string): void {
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    const source = sourceName === undefined ? undefined : this.sources.find((s) => s.name === sourceName);
    for (const localId of localIds) {
      const expireAt = source
        ? source.expireAt(localId)
        : (this.store.messages.getByLocalId(localId)?.expireAt ?? null);
      if (expireAt === null) continue;
      const key = `${sourceName ?? ''}:${localId}`;
      const deadline = mono + Math.max(0, expireAt - now);
      const known = this.monotonicDeadlines.get(key);
      this.monotonicDeadlines.set(key, known === undefined ? deadline : Math.min(known, deadline));
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
    // Keys `source:localId`; '' is the 1:1 messages table.
    const due = new Set(store.lifecycle.due(now).map((localId) => `:${localId}`));
    for (const source of this.sources) for (const localId of source.due(now)) due.add(`${source.name}:${localId}`);
    for (const [key, deadline] of this.monotonicDeadlines) if (deadline <= mono) due.add(key);
    if (due.size === 0) return [];
    const fromSources = new Map<ExpirySource, SourceRemoval[]>();
    const removed = store.transaction(() => {
      const gone: RemovedMessage[] = [];
      for (const key of due) {
        const split = key.indexOf(':');
        const name = key.slice(0, split);
        const localId = Number(key.slice(split + 1));
        if (name === '') {
          const message = store.lifecycle.remove(localId, now);
          if (message) gone.push(message);
          continue;
        }
        const source = this.sources.find((s) => s.name === name);
        const went = source?.remove(localId, now);
        if (source && went) fromSources.set(source, [...(fromSources.get(source) ?? []), went]);
      }
      return gone;
    });
    for (const key of due) this.monotonicDeadlines.delete(key);
    if (removed.length > 0 || fromSources.size > 0) checkpoint(store, this.logger);
    for (const [source, went] of fromSources) source.announce(went);
    return removed;
  }

  private reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    let wait = MAX_SLEEP_MS;
    let next = this.store.db.open ? this.store.lifecycle.nextDue() : null;
    for (const source of this.store.db.open ? this.sources : []) {
      const sourceNext = source.nextDue();
      if (sourceNext !== null) next = next === null ? sourceNext : Math.min(next, sourceNext);
    }
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
