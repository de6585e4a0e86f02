import { IpcError, type Handlers } from '../../../shared/ipc';
import type { ChatRecord } from '../db/chats';
import { decodeHistoryCursor, encodeHistoryCursor } from '../db/historyCursor';
import { historyKeyOf } from '../db/messages';
import { enqueueReceipts } from '../messaging/receipts';
import { enqueueControl, purgeDeadline } from '../messaging/lifecycle';
import { fullMessageViewOf, readReceiptsEnabled } from '../messaging/views';
import type { MessageRecord } from '../db/messages';
import type { CoreContext } from './context';
import { sendDirectText } from './directSend';

export function messageHandlers(
  ctx: CoreContext,
): Pick<
  Handlers,
  | 'messages.history'
  | 'messages.send'
  | 'messages.markRead'
  | 'messages.edit'
  | 'messages.deleteForMe'
  | 'messages.deleteForEveryone'
  | 'messages.react'
  | 'messages.forward'
> {
  const { store } = ctx;
  const view = (message: MessageRecord) => fullMessageViewOf(store, message);

  const requireMessage = (chatId: string, messageId: string): MessageRecord => {
    const message = store.messages.get(chatId, messageId);
    if (!message) throw new IpcError('not_found', 'no such message in this chat');
    return message;
  };

  const requirePeer = (chat: ChatRecord) => {
    const peer = store.contacts.get(chat.peerId);
    if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
    return peer;
  };

  const requireOwnText = (message: MessageRecord) => {
    if (!message.fromMe || message.kind !== 'text') {
      throw new IpcError('invalid_input', 'only your own messages can be edited or deleted for everyone');
    }
  };

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
        messages: page.map(view),
        cursor: newestFirst.length > limit && oldest ? encodeHistoryCursor(historyKeyOf(oldest)) : null,
      };
    },

    'messages.send': ({ chatId, text, replyTo }) => {
      if (replyTo !== undefined) requireMessage(chatId, replyTo);
      return sendDirectText(ctx, chatId, text, replyTo !== undefined ? { replyTo } : {});
    },

    'messages.edit': ({ chatId, messageId, text }) => {
      ctx.session.require();
      const chat = requireChat(chatId);
      const peer = requirePeer(chat);
      const message = requireMessage(chatId, messageId);
      requireOwnText(message);
      if (message.text === text) return view(message);
      const editedAt = Math.max(Date.now(), (message.editedAt ?? 0) + 1);
      store.transaction(() => {
        store.lifecycle.edit(message.localId, text, editedAt);
        enqueueControl(store, peer.userId, { k: 'edit', target: messageId, text, editedAt }, editedAt, {
          targetId: messageId,
          purgeAt: message.expiresIn > 0 ? purgeDeadline(editedAt, message.expiresIn) : null,
        });
      });
      ctx.views.messageUpdated(message.localId);
      ctx.views.chatUpdated(chatId);
      ctx.outbox.kick();
      return view(store.messages.getByLocalId(message.localId)!);
    },

    'messages.deleteForMe': ({ chatId, messageId }) => {
      requireChat(chatId);
      const message = requireMessage(chatId, messageId);
      const removed = store.transaction(() => store.lifecycle.remove(message.localId, Date.now()));
      ctx.expiry.afterRemoval();
      if (removed) ctx.views.messageRemoved(chatId, messageId);
      ctx.views.chatUpdated(chatId);
      return {};
    },

    'messages.deleteForEveryone': ({ chatId, messageId }) => {
      ctx.session.require();
      const chat = requireChat(chatId);
      const peer = requirePeer(chat);
      const message = requireMessage(chatId, messageId);
      requireOwnText(message);
      const now = Date.now();
      store.transaction(() => {
        store.lifecycle.remove(message.localId, now);
        enqueueControl(store, peer.userId, { k: 'delete', target: messageId }, now);
      });
      ctx.expiry.afterRemoval();
      ctx.views.messageRemoved(chatId, messageId);
      ctx.views.chatUpdated(chatId);
      ctx.outbox.kick();
      return {};
    },

    'messages.react': ({ chatId, messageId, emoji }) => {
      const account = ctx.session.require();
      const chat = requireChat(chatId);
      const peer = requirePeer(chat);
      const message = requireMessage(chatId, messageId);
      if (message.kind !== 'text') throw new IpcError('invalid_input', 'only messages can have reactions');
      const at = Date.now();
      store.transaction(() => {
        store.lifecycle.setReaction(chatId, messageId, account.userId, emoji, at);
        enqueueControl(store, peer.userId, { k: 'reaction', target: messageId, emoji, at }, at);
      });
      ctx.views.messageUpdated(message.localId);
      ctx.outbox.kick();
      return view(store.messages.getByLocalId(message.localId)!);
    },

    'messages.forward': ({ chatId, messageId, toChatId }) => {
      requireChat(chatId);
      const message = requireMessage(chatId, messageId);
      if (message.kind !== 'text') throw new IpcError('invalid_input', 'only messages can be forwarded');
      if (message.expiresIn > 0) throw new IpcError('invalid_input', 'self-destructing messages cannot be forwarded');
      return sendDirectText(ctx, toChatId, message.text, { forwarded: true });
    },

    'messages.markRead': ({ chatId, upToId }) => {
      ctx.session.require();
      const chat = requireChat(chatId);
      const upTo = store.messages.get(chatId, upToId);
      if (!upTo) throw new IpcError('not_found', 'no such message in this chat');
      const peer = store.contacts.get(chat.peerId);
      if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
      const key = historyKeyOf(upTo);
      const sendReceipts = readReceiptsEnabled(store, chat);
      const { unread, receipted, started } = store.transaction(() => {
        const now = Date.now();
        // Messages after upTo arrived while the user was looking: they stay unread.
        const unread = store.messages.countIncomingAfter(chatId, key);
        store.chats.setUnread(chatId, unread);
        // With read receipts off the ids are still marked: turning them on later does not
        // report old reads.
        const ids = store.messages.takeUnreportedReadUpTo(chatId, key);
        if (ids.length > 0 && sendReceipts) enqueueReceipts(store, peer, 'read', ids, now);
        // Seen: the countdown of timed messages starts now.
        const started = store.lifecycle.startIncomingCountdown(chatId, key, now);
        return { unread, receipted: ids.length > 0 && sendReceipts, started };
      });
      if (started.length > 0) {
        ctx.expiry.noteCountdowns(started);
        for (const localId of started) ctx.views.messageUpdated(localId);
      }
      if (unread !== chat.unread) ctx.views.chatUpdated(chatId);
      if (receipted) ctx.outbox.kick();
      return { unread };
    },
  };
}
