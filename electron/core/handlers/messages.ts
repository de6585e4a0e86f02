import { randomUUID } from 'node:crypto';
import { IpcError, type Handlers } from '../../../shared/ipc';
import { encodePlaintext } from '../crypto/plaintext';
import type { ChatRecord } from '../db/chats';
import { decodeHistoryCursor, encodeHistoryCursor } from '../db/historyCursor';
import { historyKeyOf } from '../db/messages';
import { enqueueReceipts } from '../messaging/receipts';
import { messageViewOf } from '../messaging/views';
import type { CoreContext } from './context';

export function messageHandlers(
  ctx: CoreContext,
): Pick<Handlers, 'messages.history' | 'messages.send' | 'messages.markRead'> {
  const { store } = ctx;

  const requireChat = (chatId: string): ChatRecord => {
    const chat = store.chats.get(chatId);
    if (!chat) throw new IpcError('not_found', 'no such chat');
    return chat;
  };

  return {
    'messages.history': ({ chatId, before, limit }) => {
      requireChat(chatId);
      const beforeKey = before === undefined ? null : decodeHistoryCursor(before);
      if (beforeKey === null && before !== undefined)
        throw new IpcError('invalid_input', 'before: not a history cursor');
      // One extra row tells whether anything older exists.
      const newestFirst = store.messages.pageNewestFirst(chatId, beforeKey, limit + 1);
      const page = newestFirst.slice(0, limit).reverse();
      const oldest = page[0];
      return {
        messages: page.map(messageViewOf),
        cursor: newestFirst.length > limit && oldest ? encodeHistoryCursor(historyKeyOf(oldest)) : null,
      };
    },

    'messages.send': ({ chatId, text }) => {
      const account = ctx.session.require();
      const chat = requireChat(chatId);
      const peer = store.contacts.get(chat.peerId);
      if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
      const id = randomUUID();
      const sentAt = Date.now();
      // Queued as plaintext (the profile database is encrypted at rest); the OutboxSender
      // seals it right before its first send and keeps those bytes for any resend.
      const plaintext = encodePlaintext({ k: 'text', text, sentAt });
      const localId = store.transaction(() => {
        const messageLocalId = store.messages.insertOutgoing({ chatId, id, senderId: account.userId, text, sentAt });
        store.outbox.enqueue({
          msgId: id,
          recipientId: peer.userId,
          kind: 'message',
          messageLocalId,
          plaintext,
          createdAt: sentAt,
        });
        store.chats.touch(chatId, sentAt);
        return messageLocalId;
      });
      const message = store.messages.getByLocalId(localId)!;
      ctx.views.messageAdded(localId);
      ctx.views.chatUpdated(chatId);
      ctx.outbox.kick();
      return messageViewOf(message);
    },

    'messages.markRead': ({ chatId, upToId }) => {
      ctx.session.require();
      const chat = requireChat(chatId);
      const upTo = store.messages.get(chatId, upToId);
      if (!upTo) throw new IpcError('not_found', 'no such message in this chat');
      const peer = store.contacts.get(chat.peerId);
      if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
      const key = historyKeyOf(upTo);
      const { unread, receipted } = store.transaction(() => {
        // Messages after upTo arrived while the user was looking: they stay unread.
        const unread = store.messages.countIncomingAfter(chatId, key);
        store.chats.setUnread(chatId, unread);
        const ids = store.messages.takeUnreportedReadUpTo(chatId, key);
        if (ids.length > 0) enqueueReceipts(store, peer, 'read', ids, Date.now());
        return { unread, receipted: ids.length > 0 };
      });
      if (unread !== chat.unread) ctx.views.chatUpdated(chatId);
      if (receipted) ctx.outbox.kick();
      return { unread };
    },
  };
}
