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
 * Sealing (sealing.ts): rows are queued as plaintext and sealed right before their first
 * send, the new ratchet state and the envelope committed together; resends carry the same
 * msgId and the same stored bytes, so the relay de-duplicates them and the recipient stores
 * the message once. With no session yet, the row's sealing waits for a prekey bundle
 * (`bundle`, then X3DH); meanwhile that recipient's later rows are held for the pass, so
 * they are sealed after it, in order, on the new session. `no_prekeys` is transient.
 * Rows to a recipient whose sending is held (a verified contact's key changed) are neither
 * sealed nor sent until the user accepts the change. Every send names the identity key it
 * was sealed for (`toKey`); `identity_changed` makes the sender look the recipient up,
 * adopt the new identity (identity.ts) and seal that recipient's unsent rows again.
 * The `sent` answers that arrive together are recorded in
 * one transaction that does not wait for the disk (see Store.lazyTransaction): if a power cut
 * undoes it, the rows are simply sent again and answered as duplicates with the same seq.
 */
import type { Logger } from '../api';
import { isE2eeError } from '../crypto/e2ee';
import type { Account } from '../db/account';
import type { OutboxRecord } from '../db/outbox';
import type { Store } from '../db/store';
import { describeError } from '../logger';
import { Backoff, type BackoffPolicy } from '../relay/backoff';
import type { RelayResponse } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { isRelayError, isTransient, RelayError } from '../relay/relayError';
import { refreshPeerIdentity, type IdentityChange } from './identity';
import { SENDER_HARD_CAP_MS } from './lifecycle';
import { SEAL_BATCH, sealRow, sealWithSessions, type SealHooks, type SealOutcome } from './sealing';

export interface OutboxSenderOptions {
  store: Store;
  link: RelayLink;
  logger: Logger;
  /** The signed-in account (rows are sealed with its identity). */
  account(): Account | null;
  /** Message rows changed (seq/status/failed) in these chats; called after the commit. */
  onMessagesChanged(localIds: readonly number[], chatIds: ReadonlySet<string>): void;
  /** A recipient's identity changed (keyChanged line added, maybe held); called after the commit. */
  onIdentityChanged?(change: IdentityChange): void;
  /** Test seams inside the sealing transaction. */
  sealHooks?: SealHooks;
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
  /** Rows were held only until something in this pass settled (a new session): go again. */
  again = false;
  /** Recipients whose sending waits for the user. */
  userHeld = new Set<string>();
  /** A local failure of some row's work (not a relay refusal). */
  failure: { err: unknown } | null = null;
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
      if (result && !result.halted && result.again) this.dirty = true;
    }
  }

  private async pass(): Promise<PassState> {
    const { store, link } = this.options;
    const state = new PassState();
    const inFlight = new Set<Promise<void>>();
    let afterId = 0;
    const account = this.options.account();
    if (!account) return state;
    state.userHeld = store.security.heldRecipients();
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
        if (state.userHeld.has(row.recipientId)) {
          state.held.add(row.recipientId);
          continue;
        }
        let work: Promise<void>;
        if (row.body !== null) {
          work = this.send(row, state);
        } else {
          let sealed: OutboxRecord | 'bundle' | null;
          try {
            sealed = this.sealNow(row, account, state);
          } catch (err) {
            // A local failure (the database, a bug): nothing after this row goes out now.
            state.failure ??= { err };
            state.halted = true;
            break;
          }
          if (sealed === null) continue;
          work = sealed === 'bundle' ? this.sendWithBundle(row, account, state) : this.send(sealed, state);
        }
        const send = work
          .catch((err: unknown) => {
            // A local failure (the database, a bug): stop this pass; drive() retries later.
            state.failure ??= { err };
            state.halted = true;
          })
          .finally(() => {
            inFlight.delete(send);
            this.wake?.();
          });
        inFlight.add(send);
      }
      await Promise.all(inFlight);
      if (state.failure) throw state.failure.err;
    } finally {
      // Recorded before the next pass reads the outbox again, or it would resend them.
      this.flushAnswered();
    }
    return state;
  }

  /**
   * Seals a row before its first send, synchronously (so a failure stops the pass before
   * any later row is sealed or sent): together with the unsealed rows queued after it whose
   * recipients have a session (one commit), or alone (sealing.ts). Returns the row to send,
   * 'bundle' when the recipient has no session yet, or null when there is nothing to send.
   */
  private sealNow(row: OutboxRecord, account: Account, state: PassState): OutboxRecord | 'bundle' | null {
    const { store, sealHooks } = this.options;
    if (sealWithSessions(store, row.id, SEAL_BATCH, sealHooks) > 0) {
      const sealed = store.outbox.get(row.id);
      if (!sealed) return null;
      if (sealed.body !== null) return sealed;
    }
    return this.settle(row, this.seal(row, account, undefined), state);
  }

  private settle(row: OutboxRecord, outcome: SealOutcome, state: PassState): OutboxRecord | 'bundle' | null {
    switch (outcome.kind) {
      case 'gone':
        return null;
      case 'needBundle':
        return 'bundle';
      case 'held':
        state.held.add(row.recipientId);
        state.userHeld.add(row.recipientId);
        return null;
      case 'sealed':
        return outcome.row;
    }
  }

  /**
   * No session with the recipient: fetch its prekey bundle, start a session, seal and send
   * the row. Meanwhile the recipient's later rows are held for this pass (they need the
   * session this row creates) and go in the next one.
   */
  private async sendWithBundle(row: OutboxRecord, account: Account, state: PassState): Promise<void> {
    state.held.add(row.recipientId);
    let bundle: unknown;
    try {
      ({ bundle } = await this.options.link.request({ t: 'bundle', userId: row.recipientId }));
    } catch (err) {
      if (!(err instanceof RelayError)) throw err;
      this.onRefused(row, err, state);
      return;
    }
    if (this.stopped) return;
    let sealed: OutboxRecord | 'bundle' | null;
    try {
      sealed = this.settle(row, this.seal(row, account, bundle), state);
    } catch (err) {
      if (!isE2eeError(err)) throw err;
      // The relay served a bundle that does not verify: never used; try again later.
      this.options.logger.warn('prekey bundle did not verify', { userId: row.recipientId, code: err.code });
      this.onRefused(row, new RelayError('protocol', 'the prekey bundle did not verify'), state);
      return;
    }
    if (sealed === 'bundle') throw new Error('sealing asked for a bundle twice');
    // The recipient's later rows can go now, on the new session.
    state.again = true;
    if (sealed) await this.send(sealed, state);
  }

  private seal(row: OutboxRecord, account: Account, bundle: unknown) {
    const outcome = sealRow(this.options.store, account, row.id, bundle, this.options.sealHooks);
    const change = outcome.kind === 'sealed' || outcome.kind === 'held' ? outcome.change : null;
    if (change) this.options.onIdentityChanged?.(change);
    return outcome;
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
        body: row.body!,
        ...(after !== undefined ? { after } : {}),
        ...(row.sealedFor !== null ? { toKey: row.sealedFor } : {}),
        ...(row.purgeAt !== null ? { purgeAt: row.purgeAt } : {}),
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
      if (refusal.code === 'identity_changed') await this.onIdentityChanged(row, state);
      else this.onRefused(row, refusal, state);
    } finally {
      if (state.unanswered.get(row.recipientId) === row.msgId) state.unanswered.delete(row.recipientId);
    }
  }

  /**
   * The recipient has a new identity key: adopt it (from a fresh lookup) and seal this and
   * the recipient's other unsent rows again, in a later pass.
   */
  private async onIdentityChanged(row: OutboxRecord, state: PassState): Promise<void> {
    state.held.add(row.recipientId);
    let change: IdentityChange | null;
    try {
      change = await refreshPeerIdentity(this.options.store, this.options.link, row.recipientId);
    } catch (err) {
      if (!isRelayError(err)) throw err;
      this.onRefused(row, err.code === 'not_found' ? err : new RelayError('timeout', err.message), state);
      return;
    }
    if (change) this.options.onIdentityChanged?.(change);
    if (change?.held) state.userHeld.add(row.recipientId);
    else if (change) state.again = true;
    else {
      // The relay and its own lookup disagree: do not spin; try again after a backoff.
      state.delayed.add(row.recipientId);
      state.retryIn(this.backoff.next());
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
      case 'no_prekeys':
        // Only this recipient is stuck (its queue is full, or it has published no prekeys
        // yet): keep serving the others.
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
        // A timed message goes from here at the latest its timer + the hard cap after the
        // relay took it (the relay purges it by then if undelivered), read or not.
        if (row.purgeAt !== null) store.lifecycle.capOwn(row.messageLocalId, Math.round(sent.ts) + SENDER_HARD_CAP_MS);
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
