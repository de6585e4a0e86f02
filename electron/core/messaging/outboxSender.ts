/**
 * Drains the persisted outbox to the relay, oldest row first, with up to OUTBOX_SEND_WINDOW
 * sends in flight (pipelined): waiting for each `sent` before the next send would make every
 * message pay a full round trip plus the relay's commit.
 *
 * Order: the relay handles a connection's requests in order, so pipelined sends get their
 * sequence numbers in outbox order. A send that is refused for now (queue_full,
 * rate_limited, internal, …) must not be overtaken by a later send to the same recipient
 * that is already on the wire, so every send names the previous unanswered send to its
 * recipient as `after`; the relay stores it only if that one is stored and otherwise answers
 * `out_of_order`, storing nothing. Both rows stay and are retried in order.
 *
 * Each row ends in exactly one of:
 *   - `sent`: the relay committed it → record seq, status sent, delete the row;
 *   - a permanent refusal (not_found, bad_frame, …) → message 'failed' with a reason, row deleted;
 *   - a transient failure → the row stays and is retried: on the next connection (disconnected),
 *     after retryAfterMs (rate_limited) or after a backoff (timeouts, queue_full, internal).
 * A recipient whose queue is full does not hold up rows for other recipients; its own later
 * rows wait with it, so per-recipient order holds.
 *
 * Resends carry the same msgId and the same bytes, so the relay de-duplicates them and the
 * recipient stores the message once. The `sent` answers that arrive together are recorded in
 * one transaction that does not wait for the disk (see Store.lazyTransaction): if a power cut
 * undoes it, the rows are simply sent again and answered as duplicates with the same seq.
 */
import type { Logger } from '../api';
import type { OutboxRecord } from '../db/outbox';
import type { Store } from '../db/store';
import { describeError } from '../logger';
import { Backoff, type BackoffPolicy } from '../relay/backoff';
import type { RelayResponse } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { isTransient, RelayError } from '../relay/relayError';

export interface OutboxSenderOptions {
  store: Store;
  link: RelayLink;
  logger: Logger;
  /** Message rows changed (seq/status/failed) in these chats; called after the commit. */
  onMessagesChanged(localIds: readonly number[], chatIds: ReadonlySet<string>): void;
  /** Delay policy for retrying transient refusals while online. */
  retryBackoff?: BackoffPolicy;
  /** Sends in flight at most (default OUTBOX_SEND_WINDOW). */
  window?: number;
}

export const DEFAULT_OUTBOX_RETRY: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

/**
 * Unanswered sends per connection. Enough to keep the relay's group commit fed; not above the
 * relay's own bound on pending requests per connection (32), past which it stops reading the
 * socket until it has caught up.
 */
export const OUTBOX_SEND_WINDOW = 32;

/** What one pass over the outbox learned. */
class PassState {
  /** Recipients not to send to again in this pass (an earlier row of theirs is stuck). */
  readonly held = new Set<string>();
  /** Held because of out_of_order only: their predecessor's fate is settled, resend at once. */
  readonly reorder = new Set<string>();
  /** Held with a delay of their own (queue_full). */
  readonly delayed = new Set<string>();
  /** Per recipient: the msgId of the latest send still unanswered. */
  readonly unanswered = new Map<string, string>();
  /** Stop issuing sends (disconnected, rate limited, relay trouble). */
  halted = false;
  retryInMs: number | null = null;

  retryIn(ms: number): void {
    this.retryInMs = this.retryInMs === null ? ms : Math.min(this.retryInMs, ms);
  }
}

export class OutboxSender {
  private readonly backoff: Backoff;
  private readonly window: number;
  private running: Promise<void> | null = null;
  private dirty = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Wakes a pass that waits for its window to free up or for new rows. */
  private wake: (() => void) | null = null;
  /** `sent` answers not yet recorded, and the pending flush of them. */
  private answered: { row: OutboxRecord; sent: RelayResponse<'send'> }[] = [];
  private flushScheduled: NodeJS.Immediate | null = null;

  constructor(private readonly options: OutboxSenderOptions) {
    this.backoff = new Backoff(options.retryBackoff ?? DEFAULT_OUTBOX_RETRY);
    this.window = Math.max(1, options.window ?? OUTBOX_SEND_WINDOW);
  }

  /** Something may be sendable now (new row, back online). Cheap; safe to call often. */
  kick(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.wake?.();
    this.running ??= this.drive().finally(() => {
      this.running = null;
    });
  }

  /** Stops sending; waits for the sends in flight to settle. The rows stay for next time. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wake?.();
    await this.running;
  }

  private async drive(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      let result: PassState | null = null;
      try {
        result = await this.pass();
      } catch (err) {
        // A local failure (e.g. the database): keep the rows and try again later.
        this.options.logger.error('outbox pass failed', { error: describeError(err) });
      }
      const retryInMs = result ? result.retryInMs : this.backoff.next();
      if (retryInMs !== null) this.scheduleRetry(retryInMs);
      // Rows refused only because an earlier one was: that one is settled now, go again.
      if (result && !result.halted && [...result.reorder].some((r) => !result.delayed.has(r))) this.dirty = true;
    }
  }

  private async pass(): Promise<PassState> {
    const { store, link } = this.options;
    const state = new PassState();
    const inFlight = new Set<Promise<void>>();
    let afterId = 0;
    try {
      while (!this.stopped && !state.halted && link.isOnline()) {
        const row = inFlight.size < this.window ? store.outbox.nextAfter(afterId) : null;
        if (!row) {
          if (inFlight.size === 0) break;
          // Window full, or nothing new: wait for an answer or a new row. Rows queued
          // until now were read above, so the kicks that announced them are consumed.
          this.dirty = false;
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
          continue;
        }
        afterId = row.id;
        if (state.held.has(row.recipientId)) continue;
        const send = this.send(row, state).finally(() => {
          inFlight.delete(send);
          this.wake?.();
        });
        inFlight.add(send);
      }
      await Promise.all(inFlight);
    } finally {
      // Recorded before the next pass reads the outbox again, or it would resend them.
      this.flushAnswered();
    }
    return state;
  }

  /** Sends one row and records its outcome in `state`. Never rejects for relay refusals. */
  private async send(row: OutboxRecord, state: PassState): Promise<void> {
    const after = state.unanswered.get(row.recipientId);
    state.unanswered.set(row.recipientId, row.msgId);
    try {
      const sent = await this.options.link.request({
        t: 'send',
        msgId: row.msgId,
        to: row.recipientId,
        body: row.body,
        ...(after !== undefined ? { after } : {}),
      });
      if (sent.msgId !== row.msgId) throw new RelayError('protocol', 'the relay confirmed a different message');
      // Recorded even when stopping: the relay has it, and the store is open until stop() resolves.
      this.recordSent(row, sent);
      this.backoff.reset();
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      // Only a send with `after` can be out of order; anything else is a relay bug, and
      // treating it as one (with a backoff) avoids resending in a tight loop.
      const refusal =
        err.code === 'out_of_order' && after === undefined
          ? new RelayError('protocol', 'the relay refused a send without `after` as out of order')
          : err;
      this.onRefused(row, refusal, state);
    } finally {
      if (state.unanswered.get(row.recipientId) === row.msgId) state.unanswered.delete(row.recipientId);
    }
  }

  private onRefused(row: OutboxRecord, err: RelayError, state: PassState): void {
    if (this.stopped) return;
    if (!isTransient(err) && err.code !== 'protocol') {
      this.recordFailed(row, err);
      return;
    }
    // This row stays; no later row to its recipient may go out in this pass.
    state.held.add(row.recipientId);
    switch (err.code) {
      case 'out_of_order':
        // The row it named as `after` was refused; that refusal decides when to retry.
        state.reorder.add(row.recipientId);
        return;
      case 'queue_full':
        // Only this recipient is stuck: keep serving the others.
        state.delayed.add(row.recipientId);
        state.retryIn(this.backoff.next());
        return;
      case 'disconnected':
        // The next connection kicks us.
        state.halted = true;
        return;
      default:
        this.options.logger.info('outbox send will be retried', { code: err.code, msgId: row.msgId });
        state.halted = true;
        state.retryIn(
          err.code === 'rate_limited' && err.retryAfterMs !== undefined ? err.retryAfterMs : this.backoff.next(),
        );
    }
  }

  private recordSent(row: OutboxRecord, sent: RelayResponse<'send'>): void {
    this.answered.push({ row, sent });
    // Answers that arrive in the same turn of the event loop share one transaction.
    this.flushScheduled ??= setImmediate(() => {
      try {
        this.flushAnswered();
      } catch (err) {
        // The rows stay in the outbox and are sent again; the relay answers them as duplicates.
        this.options.logger.error('recording sent envelopes failed', { error: describeError(err) });
      }
    });
  }

  private flushAnswered(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    const answered = this.answered.splice(0);
    if (answered.length === 0) return;
    const { store } = this.options;
    const changed: number[] = [];
    const chats = new Set<string>();
    store.lazyTransaction(() => {
      for (const { row, sent } of answered) {
        store.outbox.delete(row.id);
        if (row.messageLocalId === null) continue;
        const chatId = store.messages.markSent(row.messageLocalId, sent.seq, sent.ts);
        if (chatId === null) continue;
        changed.push(row.messageLocalId);
        chats.add(chatId);
      }
    });
    if (changed.length > 0) this.options.onMessagesChanged(changed, chats);
  }

  private recordFailed(row: OutboxRecord, err: RelayError): void {
    const { store, logger } = this.options;
    logger.warn('relay refused an outgoing envelope for good', { code: err.code, msgId: row.msgId, kind: row.kind });
    const chatId = store.transaction(() => {
      store.outbox.delete(row.id);
      return row.messageLocalId === null ? null : store.messages.markFailed(row.messageLocalId, failureText(err));
    });
    if (row.messageLocalId !== null && chatId !== null) {
      this.options.onMessagesChanged([row.messageLocalId], new Set([chatId]));
    }
  }

  private scheduleRetry(ms: number): void {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, ms);
    this.retryTimer.unref();
  }
}

/** What the user reads next to a failed message. */
function failureText(err: RelayError): string {
  switch (err.code) {
    case 'not_found':
      return 'The recipient no longer exists on the relay.';
    case 'frame_too_large':
      return 'The message is too large for the relay.';
    default:
      return `The relay refused this message (${err.code}).`;
  }
}
