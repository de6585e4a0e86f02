import type { ChatView, MessageView } from '../../../shared/ipc/contract';
import type { SliceCreator } from './appStore';
import { peerKeyChanged } from './securitySlice';

export interface ChatsSlice {
  chats: {
    byId: Readonly<Record<string, ChatView>>;
    /** Whether `chats.list` has answered at least once (to tell "no chats" from "not yet"). */
    loaded: boolean;
  };
  replaceChats(chats: readonly ChatView[]): void;
  upsertChat(chat: ChatView): void;
  setChatUnread(chatId: string, unread: number): void;
  /** Keeps a chat's preview tick in step when its last message changes status. */
  refreshLastMessage(message: MessageView): void;
}

export const createChatsSlice: SliceCreator<ChatsSlice> = (set) => ({
  chats: { byId: {}, loaded: false },
  replaceChats: (chats) => set({ chats: { byId: Object.fromEntries(chats.map((c) => [c.id, c])), loaded: true } }),
  upsertChat: (chat) =>
    set((state) => {
      const chats = { ...state.chats, byId: { ...state.chats.byId, [chat.id]: chat } };
      // The peer's key changed: the safety number we hold for the chat is the old one.
      if (!peerKeyChanged(state.chats.byId[chat.id]?.security, chat.security)) return { chats };
      const { [chat.id]: _stale, ...safetyNumbers } = state.security.safetyNumbers;
      return { chats, security: { ...state.security, safetyNumbers } };
    }),
  setChatUnread: (chatId, unread) =>
    set((state) => {
      const chat = state.chats.byId[chatId];
      if (!chat || chat.unread === unread) return state;
      return { chats: { ...state.chats, byId: { ...state.chats.byId, [chatId]: { ...chat, unread } } } };
    }),
  refreshLastMessage: (message) =>
    set((state) => {
      const chat = state.chats.byId[message.chatId];
      if (!chat || chat.lastMessage?.id !== message.id) return state;
      const updated = { ...chat, lastMessage: message };
      return { chats: { ...state.chats, byId: { ...state.chats.byId, [chat.id]: updated } } };
    }),
});
