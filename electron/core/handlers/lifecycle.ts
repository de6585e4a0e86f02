import { IpcError, type Handlers } from '../../../shared/ipc';
import type { ChatRecord } from '../db/chats';
import { enqueueControl } from '../messaging/lifecycle';
import { chatViewOf } from '../messaging/views';
import type { CoreContext } from './context';

/** Per-chat lifecycle settings: self-destruct timer, drafts, read receipts, typing. */
export function lifecycleHandlers(
  ctx: CoreContext,
): Pick<
  Handlers,
  | 'chats.setTimer'
  | 'chats.saveDraft'
  | 'chats.setReadReceipts'
  | 'chats.typing'
  | 'settings.get'
  | 'settings.setReadReceipts'
> {
  const { store } = ctx;
  const requireChat = (chatId: string): ChatRecord => {
    const chat = store.chats.get(chatId);
    if (!chat) throw new IpcError('not_found', 'no such chat');
    return chat;
  };
  const settings = () => ({ readReceipts: store.lifecycle.getSetting('readReceipts') !== '0' });

  return {
    'chats.setTimer': ({ chatId, seconds }) => {
      const account = ctx.session.require();
      const chat = requireChat(chatId);
      if (chat.timer === seconds) return chatViewOf(store, chat);
      // Later than any change already applied, even if the peer's clock is ahead of ours.
      const now = Math.max(Date.now(), chat.timerSetAt + 1);
      const lineId = store.transaction(() => {
        store.chats.setTimer(chatId, seconds, now);
        // The line and the control message share one id, so both sides show the same line once.
        const id = enqueueControl(store, chat.peerId, { k: 'timer', expiresIn: seconds, sentAt: now }, now);
        const localId = store.messages.insertSystemLine({
          chatId,
          id,
          kind: 'timer',
          senderId: account.userId,
          sentAt: now,
          seq: null,
          relayTs: null,
          expiresIn: seconds,
        });
        store.chats.touch(chatId, now);
        return localId;
      });
      if (lineId !== null) ctx.views.messageAdded(lineId);
      ctx.outbox.kick();
      const view = chatViewOf(store, requireChat(chatId));
      ctx.events.emit('chat.updated', view);
      return view;
    },

    'chats.saveDraft': ({ chatId, draft }) => {
      requireChat(chatId);
      if (store.transaction(() => store.chats.setDraft(chatId, draft))) ctx.views.chatUpdated(chatId);
      return {};
    },

    'chats.setReadReceipts': ({ chatId, enabled }) => {
      requireChat(chatId);
      store.transaction(() => store.chats.setReadReceipts(chatId, enabled));
      const view = chatViewOf(store, requireChat(chatId));
      ctx.events.emit('chat.updated', view);
      return view;
    },

    'chats.typing': ({ chatId }) => {
      ctx.session.require();
      const chat = requireChat(chatId);
      return { sent: ctx.typing.send(chat.peerId) };
    },

    'settings.get': () => settings(),

    'settings.setReadReceipts': ({ enabled }) => {
      store.transaction(() => store.lifecycle.setSetting('readReceipts', enabled ? '1' : '0'));
      // Chats following the global setting show the new value.
      for (const chat of store.chats.list()) if (chat.readReceipts === null) ctx.views.chatUpdated(chat.id);
      return settings();
    },
  };
}
