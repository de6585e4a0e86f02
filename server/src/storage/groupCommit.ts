/**
 * Group commit for a SQLite connection: writes requested during one turn of the event loop
 * are applied in one IMMEDIATE transaction, each inside its own savepoint, and committed
 * with a single sync of the WAL.
 *
 * Why: with `synchronous = FULL` every commit waits for the disk, and better-sqlite3 waits
 * on the event loop's thread. One commit per request made the fsync the relay's ceiling
 * (a few hundred writes per second for all connections together) and stalled every socket
 * while it lasted. Batching keeps the promise — a write's promise resolves only after the
 * commit that contains it is durable — and pays for one sync per batch instead of one per
 * write.
 *
 * Semantics callers rely on:
 * - writes are applied in the order `run` was called (a relay connection pipelines its
 *   sends and counts on that for their sequence numbers);
 * - each write is atomic on its own: one that throws is rolled back to its savepoint and
 *   rejects alone, the rest of the batch still commits;
 * - if the transaction as a whole cannot begin or commit, every write of the batch rejects
 *   and none of them is stored.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface GroupCommitOptions {
  /** Most writes in one transaction; the rest go in the next one (bounds one stall of the loop). */
  readonly maxBatch?: number;
  /** Called after each successful commit with the number of writes it contained. Must not throw. */
  readonly onCommit?: (writes: number) => void;
}

export const DEFAULT_MAX_BATCH = 512;

interface QueuedWrite {
  readonly write: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A write failed in a way that made SQLite roll back the whole transaction (e.g. disk full). */
class TransactionLostError extends Error {
  constructor(cause: unknown) {
    super('the transaction was rolled back by SQLite', { cause });
    this.name = 'TransactionLostError';
  }
}

export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly maxBatch: number;
  private readonly inSavepoint: (write: () => unknown) => unknown;
  private readonly batch: ((writes: readonly QueuedWrite[]) => Outcome[]) & {
    immediate: (writes: readonly QueuedWrite[]) => Outcome[];
  };

  constructor(
    db: Database,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    // Called inside the batch's transaction, better-sqlite3 runs this as a savepoint.
    this.inSavepoint = db.transaction((write: () => unknown) => write());
    this.batch = db.transaction((writes: readonly QueuedWrite[]) =>
      writes.map((queued): Outcome => {
        try {
          return { ok: true, value: this.inSavepoint(queued.write) };
        } catch (error) {
          // Some errors (SQLITE_FULL, SQLITE_IOERR, …) end the whole transaction. Going on
          // would run the remaining writes in autocommit mode, outside this batch.
          if (!db.inTransaction) throw new TransactionLostError(error);
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * Queues `write` (synchronous SQLite work) for the next group commit. Resolves with its
   * result once the transaction containing it is committed durably.
   */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Commits everything queued now, synchronously (used before closing the database). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) this.commitNext();
  }

  private schedule(): void {
    // setImmediate runs after the I/O callbacks of this loop turn: everything the sockets
    // delivered in the meantime joins the same transaction.
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.commitNext();
      // A backlog beyond maxBatch waits one more turn, so sockets are served in between.
      if (this.queue.length > 0) this.schedule();
    });
  }

  private commitNext(): void {
    const writes = this.queue.splice(0, this.maxBatch);
    if (writes.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = this.batch.immediate(writes);
    } catch (error) {
      const cause = error instanceof TransactionLostError ? error.cause : error;
      for (const queued of writes) queued.reject(cause);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const queued = writes[i]!;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
    this.options.onCommit?.(writes.length);
  }
}
