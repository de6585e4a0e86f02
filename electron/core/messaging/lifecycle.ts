/**
 * The message lifecycle inside 1:1 chats: self-destruct timers, replies, edits, deletes and
 * reactions. Everything the peer must learn travels as an encrypted control message inside
 * the ratchet (crypto/plaintext.ts), queued in the outbox like a message; the relay sees an
 * opaque envelope (plus, for timed messages, a purge deadline).
 *
 * Applying a peer's control message is idempotent, so a replay or redelivery changes nothing:
 * edits keep the newest by the sender's clock, reactions likewise per person, deletes leave a
 * tombstone (a later copy of the message is never stored), timer changes add one line per id.
 * Only the original sender may edit or delete a message; anything else is refused (logged,
 * acknowledged, nothing changes). Groups can reuse this: the rules only look at
 * (chat, message id, sender).
 *
 * Expiry: a timed message's countdown starts for the recipient when it is seen (markRead),
 * for the sender when the read receipt arrives, with a hard cap of SENDER_HARD_CAP_MS + the
 * timer after the relay took it. The relay drops the envelope if undelivered by that same cap.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../api';
import { encodePlaintext, type ControlPlaintext, type Plaintext } from '../crypto/plaintext';
import type { Contact } from '../db/contacts';
import type { RemovedMessage } from '../db/lifecycle';
import type { MessageRecord } from '../db/messages';
import type { Store } from '../db/store';

/** The sender's copy of a timed message goes at the latest this long (plus its timer) after the relay took it. */
export const SENDER_HARD_CAP_MS = 24 * 60 * 60 * 1000;

/** The relay's deadline for a timed envelope sent at `now` with `timerSeconds`. */
export const purgeDeadline = (now: number, timerSeconds: number): number =>
  now + timerSeconds * 1000 + SENDER_HARD_CAP_MS;

export interface LifecycleChanges {
  addedLocalIds: number[];
  updatedLocalIds: number[];
  removed: RemovedMessage[];
  chatIds: Set<string>;
  /** Chats whose peer is typing now. */
  typing: { chatId: string; userId: string }[];
  /** Countdowns started: the expiry scheduler should look again. */
  expiryChanged: boolean;
}

export const emptyLifecycleChanges = (): LifecycleChanges => ({
  addedLocalIds: [],
  updatedLocalIds: [],
  removed: [],
  chatIds: new Set(),
  typing: [],
  expiryChanged: false,
});

export interface IncomingControl {
  msgId: string;
  seq: number;
  relayTs: number;
}

/**
 * Applies a peer's control message (inside the batch transaction). The chat is the direct
 * chat with `sender`: a peer can only ever touch messages of its own chat with us.
 */
export function applyIncomingControl(
  store: Store,
  logger: Logger,
  sender: Contact,
  chatId: string,
  plaintext: ControlPlaintext,
  msg: IncomingControl,
  now: number,
  changes: LifecycleChanges,
): void {
  const refuse = (why: string) =>
    logger.warn('refused a control message', { from: sender.userId, msgId: msg.msgId, kind: plaintext.k, why });
  switch (plaintext.k) {
    case 'timer': {
      store.chats.ensureDirect(sender.userId, msg.relayTs);
      const localId = store.messages.insertSystemLine({
        chatId,
        id: msg.msgId,
        kind: 'timer',
        senderId: sender.userId,
        sentAt: plaintext.sentAt,
        seq: msg.seq,
        relayTs: msg.relayTs,
        expiresIn: plaintext.expiresIn,
      });
      if (localId === null) return; // seen before
      store.chats.setTimer(chatId, plaintext.expiresIn, plaintext.sentAt);
      store.chats.touch(chatId, msg.relayTs);
      changes.addedLocalIds.push(localId);
      changes.chatIds.add(chatId);
      return;
    }
    case 'edit': {
      const target = store.messages.get(chatId, plaintext.target);
      if (!target) return; // deleted or expired meanwhile: nothing to edit
      if (!isPeersOwnText(target, sender)) return refuse('not the sender of that message');
      if (store.lifecycle.edit(target.localId, plaintext.text, plaintext.editedAt)) {
        changes.updatedLocalIds.push(target.localId);
        changes.chatIds.add(chatId);
      }
      return;
    }
    case 'delete': {
      const target = store.messages.get(chatId, plaintext.target);
      if (!target) {
        // Not here (yet, or any more): make sure a late copy is never stored.
        store.lifecycle.tombstone(chatId, plaintext.target, now);
        return;
      }
      if (!isPeersOwnText(target, sender)) return refuse('not the sender of that message');
      const removed = store.lifecycle.remove(target.localId, now);
      if (removed) {
        changes.removed.push(removed);
        changes.chatIds.add(chatId);
      }
      return;
    }
    case 'reaction': {
      const target = store.messages.get(chatId, plaintext.target);
      if (!target || target.kind !== 'text') return;
      if (store.lifecycle.setReaction(chatId, target.id, sender.userId, plaintext.emoji, plaintext.at)) {
        changes.updatedLocalIds.push(target.localId);
      }
      return;
    }
    case 'typing':
      changes.typing.push({ chatId, userId: sender.userId });
      return;
  }
}

function isPeersOwnText(target: MessageRecord, sender: Contact): boolean {
  return target.kind === 'text' && !target.fromMe && target.senderId === sender.userId;
}

/** Queues a control message to the peer (inside the caller's transaction). */
export function enqueueControl(
  store: Store,
  peerId: string,
  plaintext: Exclude<ControlPlaintext, { k: 'typing' }>,
  now: number,
  options: { targetId?: string; purgeAt?: number | null } = {},
): string {
  const msgId = randomUUID();
  store.outbox.enqueue({
    msgId,
    recipientId: peerId,
    kind: 'control',
    messageLocalId: null,
    plaintext: encodePlaintext(plaintext as Plaintext),
    createdAt: now,
    targetId: options.targetId ?? null,
    purgeAt: options.purgeAt ?? null,
  });
  return msgId;
}
