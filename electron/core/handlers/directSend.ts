/** Queuing a text in a 1:1 chat: messages.send, messages.forward and forwards from groups. */
import { randomUUID } from 'node:crypto';
import { IpcError, type MessageView } from '../../../shared/ipc';
import { encodePlaintext } from '../crypto/plaintext';
import { purgeDeadline } from '../messaging/lifecycle';
import { fullMessageViewOf } from '../messaging/views';
import type { CoreContext } from './context';

export interface DirectTextOptions {
  replyTo?: string;
  /** A copy forwarded from another chat or group (shown as "Forwarded" on both sides). */
  forwarded?: boolean;
}

/** Queues a text message (with the chat's timer) and announces it. */
export function sendDirectText(
  ctx: CoreContext,
  chatId: string,
  text: string,
  options: DirectTextOptions = {},
): MessageView {
  const { store } = ctx;
  const account = ctx.session.require();
  const chat = store.chats.get(chatId);
  if (!chat) throw new IpcError('not_found', 'no such chat');
  const peer = store.contacts.get(chat.peerId);
  if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
  const { replyTo, forwarded = false } = options;
  const id = randomUUID();
  const sentAt = Date.now();
  const expiresIn = chat.timer;
  // Queued as plaintext (the profile database is encrypted at rest); the OutboxSender
  // seals it right before its first send and keeps those bytes for any resend.
  const plaintext = encodePlaintext({
    k: 'text',
    text,
    sentAt,
    ...(replyTo !== undefined ? { replyTo } : {}),
    ...(expiresIn > 0 ? { expiresIn } : {}),
    ...(forwarded ? { forwarded: true as const } : {}),
  });
  const localId = store.transaction(() => {
    const messageLocalId = store.messages.insertOutgoing({
      chatId,
      id,
      senderId: account.userId,
      text,
      sentAt,
      replyTo: replyTo ?? null,
      expiresIn,
      forwarded,
    });
    store.outbox.enqueue({
      msgId: id,
      recipientId: peer.userId,
      kind: 'message',
      messageLocalId,
      plaintext,
      createdAt: sentAt,
      purgeAt: expiresIn > 0 ? purgeDeadline(sentAt, expiresIn) : null,
    });
    store.chats.touch(chatId, sentAt);
    if (chat.draft !== '' && !forwarded) store.chats.setDraft(chatId, '');
    return messageLocalId;
  });
  const message = store.messages.getByLocalId(localId)!;
  ctx.views.messageAdded(localId);
  ctx.views.chatUpdated(chatId);
  ctx.outbox.kick();
  ctx.typing.reset(peer.userId);
  return fullMessageViewOf(store, message);
}
