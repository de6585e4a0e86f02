/**
 * Handles envelopes the relay pushes: identify the sender, decrypt, store, THEN acknowledge.
 *
 * Frames are processed in batches (whatever arrived while the previous batch was busy): all
 * of a batch commits in one transaction and is acknowledged with one `ack`. Delivery is at
 * least once, so the store ignores a message id it already has; the redelivered envelope is
 * still acknowledged. Only after the commit are events emitted and the relay told it may
 * delete its copy: a crash in between means a redelivery, never a loss.
 *
 * Envelopes that can never be read (bad signature chain, forged or corrupt ciphertext,
 * invalid plaintext, unknown sender) are acknowledged too, or they would come back forever,
 * and logged without content. No placeholder is shown for them: box1 authenticates the
 * sender, so an envelope that fails to open cannot be attributed to anyone — a placeholder
 * "unreadable message from X" would let whoever forged it (e.g. the relay) write into X's
 * chat. Envelopes whose sender cannot be looked up *right now* (offline, timeout) are not
 * acknowledged: the relay redelivers them on the next connection.
 */
import type { Logger } from '../api';
import { describeError } from '../logger';
import { EnvelopeError, openEnvelope } from '../crypto/envelope';
import { decodePlaintext, PlaintextError, type Plaintext } from '../crypto/plaintext';
import type { Account } from '../db/account';
import { directChatId } from '../db/chats';
import type { Contact } from '../db/contacts';
import type { Store } from '../db/store';
import { Backoff, type BackoffPolicy } from '../relay/backoff';
import type { MsgFrame } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { isRelayError, isTransient } from '../relay/relayError';
import { LIMITS } from '../../../shared/protocol';
import type { UserDirectory } from './directory';
import { enqueueReceipts } from './receipts';

/**
 * The connection a frame arrived on. Its ack, and the lookup of an unknown sender, go back
 * on that same connection: frames can arrive before the session counts as online.
 */
export interface IncomingChannel {
  readonly isOpen: boolean;
  request: RelayLink['request'];
}

export interface IncomingChanges {
  addedLocalIds: number[];
  updatedLocalIds: number[];
  chatIds: Set<string>;
  receiptsQueued: boolean;
}

export interface IncomingProcessorOptions {
  store: Store;
  directory: UserDirectory;
  logger: Logger;
  /** The signed-in account (frames only arrive on a signed-in connection). */
  account(): Account | null;
  /** Called after each committed batch, before its ack. */
  onCommitted(changes: IncomingChanges): void;
  /** Delays before retrying envelopes whose sender could not be looked up. */
  retryBackoff?: BackoffPolicy;
}

export const DEFAULT_LOOKUP_RETRY: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

interface QueuedFrame {
  msg: MsgFrame;
  channel: IncomingChannel;
}

type Decoded =
  | { kind: 'plaintext'; sender: Contact; plaintext: Plaintext }
  /** Can never be processed: acknowledge and forget. */
  | { kind: 'reject' }
  /** Cannot be processed now: leave unacknowledged so the relay redelivers it. */
  | { kind: 'defer' };

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
    const decoded = batch.map(({ msg }) => this.decode(msg, senders.get(msg.from), account));
    const changes = this.commit(batch, decoded, account);
    this.options.onCommitted(changes);
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

  private decode(msg: MsgFrame, sender: Contact | 'reject' | 'defer' | undefined, account: Account): Decoded {
    if (sender === 'defer') return { kind: 'defer' };
    if (sender === 'reject' || sender === undefined) return { kind: 'reject' };
    try {
      const bytes = openEnvelope(msg.body, sender.dhKey, account.keys.dhSecretKey);
      return { kind: 'plaintext', sender, plaintext: decodePlaintext(bytes) };
    } catch (err) {
      if (!(err instanceof EnvelopeError) && !(err instanceof PlaintextError)) throw err;
      // The error text describes the envelope's shape, never its content.
      this.options.logger.warn('dropped an unreadable envelope', {
        from: msg.from,
        msgId: msg.msgId,
        reason: err.message,
      });
      return { kind: 'reject' };
    }
  }

  private commit(batch: QueuedFrame[], decoded: Decoded[], account: Account): IncomingChanges {
    const { store } = this.options;
    const changes: IncomingChanges = {
      addedLocalIds: [],
      updatedLocalIds: [],
      chatIds: new Set(),
      receiptsQueued: false,
    };
    store.transaction(() => {
      const now = Date.now();
      const deliveredBySender = new Map<string, { sender: Contact; ids: string[] }>();
      batch.forEach(({ msg }, i) => {
        const item = decoded[i]!;
        if (item.kind !== 'plaintext') return;
        const { sender, plaintext } = item;
        const chatId = directChatId(sender.userId);
        if (plaintext.k === 'text') {
          // Relay time, not ours: the chat list orders by when messages were committed.
          const relayTs = Math.round(msg.ts);
          store.chats.ensureDirect(sender.userId, relayTs);
          const localId = store.messages.insertIncoming({
            chatId,
            id: msg.msgId,
            senderId: sender.userId,
            text: plaintext.text,
            sentAt: plaintext.sentAt,
            seq: msg.seq,
            relayTs,
          });
          if (localId === null) return; // a redelivery: stored (and receipted) already
          store.chats.addUnread(chatId, 1);
          store.chats.touch(chatId, relayTs);
          changes.addedLocalIds.push(localId);
          changes.chatIds.add(chatId);
          const entry = deliveredBySender.get(sender.userId) ?? { sender, ids: [] };
          entry.ids.push(msg.msgId);
          deliveredBySender.set(sender.userId, entry);
        } else {
          const target = plaintext.kind === 'read' ? 'read' : 'delivered';
          const changed = store.messages.advanceStatus(chatId, plaintext.ids, target);
          if (changed.length > 0) {
            changes.updatedLocalIds.push(...changed);
            changes.chatIds.add(chatId);
          }
        }
      });
      for (const { sender, ids } of deliveredBySender.values()) {
        enqueueReceipts(store, account, sender, 'delivered', ids, now);
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
