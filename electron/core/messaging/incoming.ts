/**
 * Handles envelopes the relay pushes: identify the sender, decrypt, store, THEN acknowledge.
 *
 * Frames are processed in batches (whatever arrived while the previous batch was busy): all
 * of a batch commits in one transaction and is acknowledged with one `ack`. Delivery is at
 * least once, so the store ignores a message id it already has; the redelivered envelope is
 * still acknowledged. Only after the commit are events emitted and the relay told it may
 * delete its copy: a crash in between means a redelivery, never a loss.
 *
 * Decryption (X3DH + Double Ratchet, crypto/e2ee) runs inside that transaction, in queue
 * order: a session-starting message whose session we do not have goes to acceptSession
 * (which consumes the one-time prekey it used, in the same transaction); every other
 * envelope to ratchetDecrypt on the peer's stored sessions, the current one first. The new
 * session state commits with the message it opened. A verified session-starting message
 * with an identity key other than the pinned one is an identity change (identity.ts).
 *
 * An envelope from a known sender that cannot be opened (not a ratchet envelope, forged,
 * corrupt, for a session we no longer have) becomes one 'undecryptable' line in that chat
 * (once per message id), is acknowledged, and leaves the session state untouched. A replay
 * of a message already opened (DuplicateMessageError) is acknowledged and adds nothing.
 * Envelopes whose sender is unknown to the relay, or is ourselves, are acknowledged and
 * dropped. Envelopes whose sender cannot be looked up *right now* (offline, timeout) are not
 * acknowledged: the relay redelivers them on the next connection.
 */
import type { Logger } from '../api';
import { describeError } from '../logger';
import {
  acceptSession,
  deserializeSessionState,
  isE2eeError,
  parseEnvelope,
  ratchetDecrypt,
  serializeSessionState,
  startsNewSession,
  type Envelope,
  type SessionState,
} from '../crypto/e2ee';
import {
  decodePlaintext,
  PlaintextError,
  type GroupReadPlaintext,
  type Plaintext,
  type SenderKeyPlaintext,
} from '../crypto/plaintext';
import type { Account } from '../db/account';
import { directChatId } from '../db/chats';
import type { Contact } from '../db/contacts';
import type { Store } from '../db/store';
import { Backoff, type BackoffPolicy } from '../relay/backoff';
import type { MsgFrame } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { isRelayError, isTransient } from '../relay/relayError';
import { LIMITS } from '../../../shared/protocol';
import { responderPreKeys } from '../account/preKeyRing';
import type { UserDirectory } from './directory';
import { adoptPeerIdentity } from './identity';
import { enqueueReceipts } from './receipts';
import { messageAd } from './sealing';
import { applyIncomingControl, emptyLifecycleChanges, type LifecycleChanges } from './lifecycle';

/**
 * The connection a frame arrived on. Its ack, and the lookup of an unknown sender, go back
 * on that same connection: frames can arrive before the session counts as online.
 */
export interface IncomingChannel {
  readonly isOpen: boolean;
  request: RelayLink['request'];
}

export interface IncomingChanges extends LifecycleChanges {
  addedLocalIds: number[];
  updatedLocalIds: number[];
  chatIds: Set<string>;
  receiptsQueued: boolean;
  /** Sessions started by peers (their first messages used our prekeys). */
  sessionsAccepted: number;
  /** Group sender keys arrived in this batch (held group messages may open now). */
  senderKeys?: boolean;
  /** Group lines (local ids) whose read state changed (group read receipts). */
  groupLines?: number[];
}

export interface IncomingProcessorOptions {
  store: Store;
  directory: UserDirectory;
  logger: Logger;
  /** The signed-in account (frames only arrive on a signed-in connection). */
  account(): Account | null;
  /** Called after each committed batch, before its ack. */
  onCommitted(changes: IncomingChanges): void;
  /** A session-starting message used our prekeys: time to check the relay's stock. */
  onPreKeysUsed?(): void;
  /**
   * A group member's sender key arrived (inside the batch transaction: store it there).
   * A refusal is logged by the callee; the envelope is acknowledged either way.
   */
  onSenderKey?(senderId: string, plaintext: SenderKeyPlaintext, now: number): void;
  /** A member read our group messages (inside the batch transaction); returns the lines changed. */
  onGroupRead?(readerId: string, plaintext: GroupReadPlaintext): number[];
  /** Delays before retrying envelopes whose sender could not be looked up. */
  retryBackoff?: BackoffPolicy;
}

export const DEFAULT_LOOKUP_RETRY: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

interface QueuedFrame {
  msg: MsgFrame;
  channel: IncomingChannel;
}

type Resolved =
  | { kind: 'sender'; sender: Contact }
  /** Can never be processed: acknowledge and forget. */
  | { kind: 'reject' }
  /** Cannot be processed now: leave unacknowledged so the relay redelivers it. */
  | { kind: 'defer' };

/** What opening one envelope gave. */
type Opened =
  /** commitState stores the new session state; returns a keyChanged line it added, if any. */
  | { kind: 'plaintext'; plaintext: Plaintext | null; commitState: () => number | null; accepted: boolean }
  | { kind: 'duplicate' }
  /**
   * commitState, when present: the envelope authenticated (the session must advance, and a
   * one-time prekey it used is spent) but its payload is invalid.
   */
  | { kind: 'undecryptable'; reason: string; commitState?: () => number | null };

export class IncomingProcessor {
  private queue: QueuedFrame[] = [];
  private draining: Promise<void> | null = null;
  private stopped = false;
  private readonly retryBackoff: Backoff;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: IncomingProcessorOptions) {
    this.retryBackoff = new Backoff(options.retryBackoff ?? DEFAULT_LOOKUP_RETRY);
  }

  accept(msg: MsgFrame, channel: IncomingChannel): void {
    if (this.stopped) return;
    this.queue.push({ msg, channel });
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Stops taking frames and waits for the batch in progress. Unprocessed frames are redelivered later. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the frames that arrived in the same network read join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.splice(0, LIMITS.deliveryWindow);
      try {
        await this.processBatch(batch);
      } catch (err) {
        // Nothing of the batch was acknowledged: the relay redelivers it on reconnect.
        this.options.logger.error('failed to store received envelopes', { error: describeError(err) });
      }
    }
  }

  private async processBatch(batch: QueuedFrame[]): Promise<void> {
    const account = this.options.account();
    if (!account) return;
    const senders = await this.resolveSenders(batch, account);
    if (this.stopped) return;
    const decoded: Resolved[] = batch.map(({ msg }) => {
      const sender = senders.get(msg.from);
      if (sender === 'defer') return { kind: 'defer' };
      if (sender === 'reject' || sender === undefined) return { kind: 'reject' };
      return { kind: 'sender', sender };
    });
    const changes = this.commit(batch, decoded, account);
    this.options.onCommitted(changes);
    if (changes.sessionsAccepted > 0) this.options.onPreKeysUsed?.();
    this.acknowledge(batch.filter((_, i) => decoded[i]!.kind !== 'defer'));
    const deferred = batch.filter((_, i) => decoded[i]!.kind === 'defer');
    if (deferred.length > 0) this.retryLater(deferred);
    else this.retryBackoff.reset();
  }

  /**
   * Tries deferred envelopes again after a backoff, as long as their connection lives. If
   * it closes first, the relay redelivers them on the next one (they were never acked).
   */
  private retryLater(frames: QueuedFrame[]): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      for (const { msg, channel } of frames) if (channel.isOpen) this.accept(msg, channel);
    }, this.retryBackoff.next());
    timer.unref();
    this.retryTimers.add(timer);
  }

  private async resolveSenders(
    batch: QueuedFrame[],
    account: Account,
  ): Promise<Map<string, Contact | 'reject' | 'defer'>> {
    const senders = new Map<string, Contact | 'reject' | 'defer'>();
    for (const { msg, channel } of batch) {
      if (senders.has(msg.from)) continue;
      if (msg.from === account.userId) {
        senders.set(msg.from, 'reject');
        continue;
      }
      try {
        senders.set(msg.from, await this.options.directory.resolve(msg.from, channel));
      } catch (err) {
        const transient = isRelayError(err) && isTransient(err);
        senders.set(msg.from, transient ? 'defer' : 'reject');
        this.options.logger.warn(
          transient ? 'cannot look up a sender now; envelope left for redelivery' : 'envelope from an unusable sender',
          { from: msg.from, error: describeError(err) },
        );
      }
    }
    return senders;
  }

  /**
   * Opens one envelope with the stored sessions (inside the batch transaction). Nothing is
   * written here except by acceptSession's one-time prekey consumption; the caller commits
   * the new state with `commitState` once the message is stored.
   */
  private open(msg: MsgFrame, sender: Contact, account: Account, now: number): Opened {
    const { store } = this.options;
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(msg.body);
    } catch (err) {
      if (!isE2eeError(err)) throw err;
      return { kind: 'undecryptable', reason: err.code };
    }
    const ad = messageAd(msg.msgId);
    const sessions: { baseKey: Uint8Array; state: SessionState; current: boolean }[] = [];
    store.sessions.list(sender.userId).forEach((stored, i) => {
      try {
        sessions.push({ baseKey: stored.baseKey, state: deserializeSessionState(stored.state), current: i === 0 });
      } catch (err) {
        if (!isE2eeError(err)) throw err;
        this.options.logger.warn('ignoring an unreadable stored session', { peerId: sender.userId, code: err.code });
      }
    });
    // 'unknown': a well-formed payload of a kind this build does not know (a newer peer's
    // control message): the session advances, nothing is shown.
    const decode = (bytes: Uint8Array): Plaintext | 'unknown' | null => {
      try {
        return decodePlaintext(bytes);
      } catch (err) {
        if (err instanceof PlaintextError) return err.unknownKind ? 'unknown' : null;
        throw err;
      }
    };
    const known = (plaintext: Plaintext | 'unknown'): Plaintext | null => (plaintext === 'unknown' ? null : plaintext);

    if (sessions.every((s) => startsNewSession(s.state, envelope))) {
      if (envelope.alg === 'x3dh1') {
        // Rolled back with the batch if anything below fails: acceptSession only consumes
        // the one-time prekey after the message authenticated.
        try {
          const accepted = acceptSession({
            identity: account.keys,
            message: msg.body,
            preKeys: responderPreKeys(store, now),
            now,
            localUserId: account.userId,
            remoteUserId: sender.userId,
            ad,
          });
          const plaintext = decode(accepted.plaintext);
          const commitState = () => {
            const change = adoptPeerIdentity(store, sender.userId, accepted.remoteIdentity, { now, atSeq: msg.seq });
            store.sessions.putCurrent(
              sender.userId,
              accepted.state.baseKey,
              serializeSessionState(accepted.state),
              now,
            );
            return change?.lineLocalId ?? null;
          };
          // Invalid content still authenticated: keep the session, or every later message of
          // it (all carrying the spent prekey) would be lost too.
          if (!plaintext) return { kind: 'undecryptable', reason: 'invalid plaintext', commitState };
          return { kind: 'plaintext', plaintext: known(plaintext), commitState, accepted: true };
        } catch (err) {
          if (!isE2eeError(err)) throw err;
          return { kind: err.code === 'duplicate' ? 'duplicate' : 'undecryptable', reason: err.code };
        }
      }
    }

    let duplicate = false;
    let reason = 'no session';
    for (const session of sessions) {
      if (startsNewSession(session.state, envelope)) continue;
      try {
        const result = ratchetDecrypt(session.state, msg.body, now, ad);
        const plaintext = decode(result.plaintext);
        const serialized = serializeSessionState(result.state);
        const commitState = () => {
          // The session the peer just used becomes the one we answer on.
          if (session.current) store.sessions.update(sender.userId, session.baseKey, serialized, now);
          else store.sessions.putCurrent(sender.userId, session.baseKey, serialized, now);
          return null;
        };
        if (!plaintext) return { kind: 'undecryptable', reason: 'invalid plaintext', commitState };
        return { kind: 'plaintext', plaintext: known(plaintext), commitState, accepted: false };
      } catch (err) {
        if (!isE2eeError(err)) throw err;
        if (err.code === 'duplicate') duplicate = true;
        reason = err.code;
      }
    }
    return duplicate ? { kind: 'duplicate' } : { kind: 'undecryptable', reason };
  }

  private commit(batch: QueuedFrame[], decoded: Resolved[], account: Account): IncomingChanges {
    const { store, logger } = this.options;
    const changes: IncomingChanges = {
      ...emptyLifecycleChanges(),
      receiptsQueued: false,
      sessionsAccepted: 0,
    };
    store.transaction(() => {
      const now = Date.now();
      const deliveredBySender = new Map<string, { sender: Contact; ids: string[] }>();
      batch.forEach(({ msg }, i) => {
        const item = decoded[i]!;
        if (item.kind !== 'sender') return;
        const sender = store.contacts.get(item.sender.userId) ?? item.sender;
        const chatId = directChatId(sender.userId);
        // A redelivery of a message stored before: its key is spent, nothing to open.
        if (store.messages.get(chatId, msg.msgId)) return;
        // Relay time, not ours: the chat list orders by when messages were committed.
        const relayTs = Math.round(msg.ts);
        const opened = this.open(msg, sender, account, now);
        if (opened.kind === 'duplicate') return;
        if (opened.kind === 'undecryptable') {
          // The reason is an error code: it describes the envelope's shape, never its content.
          logger.warn('received an envelope that cannot be decrypted', {
            from: msg.from,
            msgId: msg.msgId,
            reason: opened.reason,
          });
          store.chats.ensureDirect(sender.userId, relayTs);
          const stateLineId = opened.commitState?.() ?? null;
          if (stateLineId !== null) changes.addedLocalIds.push(stateLineId);
          const localId = store.messages.insertSystemLine({
            chatId,
            id: msg.msgId,
            kind: 'undecryptable',
            senderId: sender.userId,
            sentAt: relayTs,
            seq: msg.seq,
            relayTs,
          });
          if (localId === null) return;
          store.chats.addUnread(chatId, 1);
          store.chats.touch(chatId, relayTs);
          changes.addedLocalIds.push(localId);
          changes.chatIds.add(chatId);
          return;
        }
        const { plaintext } = opened;
        if (plaintext?.k === 'text') store.chats.ensureDirect(sender.userId, relayTs);
        const lineId = opened.commitState();
        if (opened.accepted) changes.sessionsAccepted++;
        if (lineId !== null) {
          changes.addedLocalIds.push(lineId);
          changes.chatIds.add(chatId);
        }
        if (plaintext === null) {
          logger.info('ignored a payload of an unknown kind', { from: msg.from, msgId: msg.msgId });
          return;
        }
        if (plaintext.k === 'text') {
          const localId = store.messages.insertIncoming({
            chatId,
            id: msg.msgId,
            senderId: sender.userId,
            text: plaintext.text,
            sentAt: plaintext.sentAt,
            seq: msg.seq,
            relayTs,
            replyTo: plaintext.replyTo ?? null,
            expiresIn: plaintext.expiresIn ?? 0,
            forwarded: plaintext.forwarded === true,
          });
          if (localId === null) return; // a redelivery: stored (and receipted) already
          store.chats.addUnread(chatId, 1);
          store.chats.touch(chatId, relayTs);
          changes.addedLocalIds.push(localId);
          changes.chatIds.add(chatId);
          const entry = deliveredBySender.get(sender.userId) ?? { sender, ids: [] };
          entry.ids.push(msg.msgId);
          deliveredBySender.set(sender.userId, entry);
        } else if (plaintext.k === 'receipt') {
          const target = plaintext.kind === 'read' ? 'read' : 'delivered';
          const changed = store.messages.advanceStatus(chatId, plaintext.ids, target);
          if (changed.length > 0) {
            changes.updatedLocalIds.push(...changed);
            changes.chatIds.add(chatId);
          }
          if (target === 'read') {
            // The peer has seen our timed messages: their countdown starts here too.
            const started = store.lifecycle.startOwnCountdown(chatId, plaintext.ids, now);
            if (started.length > 0) {
              changes.updatedLocalIds.push(...started);
              changes.expiryChanged = true;
            }
          }
        } else if (plaintext.k === 'senderKey') {
          this.options.onSenderKey?.(sender.userId, plaintext, now);
          changes.senderKeys = true;
        } else if (plaintext.k === 'groupRead') {
          const lines = this.options.onGroupRead?.(sender.userId, plaintext) ?? [];
          if (lines.length > 0) (changes.groupLines ??= []).push(...lines);
        } else {
          applyIncomingControl(
            store,
            logger,
            sender,
            chatId,
            plaintext,
            { msgId: msg.msgId, seq: msg.seq, relayTs },
            now,
            changes,
          );
        }
      });
      for (const { sender, ids } of deliveredBySender.values()) {
        enqueueReceipts(store, sender, 'delivered', ids, now);
        changes.receiptsQueued = true;
      }
    });
    return changes;
  }

  private acknowledge(frames: QueuedFrame[]): void {
    const byChannel = new Map<IncomingChannel, number[]>();
    for (const { msg, channel } of frames) {
      const eids = byChannel.get(channel) ?? [];
      eids.push(msg.eid);
      byChannel.set(channel, eids);
    }
    for (const [channel, eids] of byChannel) {
      // A closed connection cannot ack; the relay redelivers and the store ignores the copy.
      if (!channel.isOpen) continue;
      for (let start = 0; start < eids.length; start += LIMITS.deliveryWindow) {
        channel.request({ t: 'ack', eids: eids.slice(start, start + LIMITS.deliveryWindow) }).catch((err: unknown) => {
          this.options.logger.debug('ack not confirmed; the relay will redeliver', { error: describeError(err) });
        });
      }
    }
  }
}
