import type { MessageView } from '../../../shared/ipc/contract';
import type { SliceCreator } from './appStore';
import { mergeMessages, replaceMessage } from './messageOrder';

/** What we hold of one conversation. */
export interface ChatMessages {
  /** Sorted (see compareMessages) and free of duplicate ids. */
  items: readonly MessageView[];
  /** Whether the newest page of history has arrived; until then `items` holds only live events. */
  newestLoaded: boolean;
  /** Cursor of the next older page; null when we hold the beginning of the conversation. */
  olderCursor: string | null;
  loadingOlder: boolean;
}

export const EMPTY_CHAT_MESSAGES: ChatMessages = {
  items: [],
  newestLoaded: false,
  olderCursor: null,
  loadingOlder: false,
};

export interface MessagesSlice {
  messages: Readonly<Record<string, ChatMessages>>;
  /** Messages that may repeat or lag what we hold (events, send results): merged, never rolled back. */
  addMessages(messages: readonly MessageView[]): void;
  /** The core's latest version of a message: replaces ours by id. */
  applyMessageUpdate(message: MessageView): void;
  /** The message is gone (expired, deleted): drop it. */
  removeMessage(chatId: string, id: string): void;
  newestPageLoaded(chatId: string, messages: readonly MessageView[], olderCursor: string | null): void;
  olderPageStarted(chatId: string): void;
  olderPageLoaded(chatId: string, messages: readonly MessageView[], olderCursor: string | null): void;
  olderPageFailed(chatId: string): void;
  /**
   * Drops what we hold of every chat but one: after a gap in events (the link to the core
   * was down) it may be incomplete, and is reloaded when the chat is next opened.
   */
  forgetMessagesExcept(chatId: string | null): void;
}

type MessagesState = MessagesSlice['messages'];

function update(messages: MessagesState, chatId: string, change: (chat: ChatMessages) => ChatMessages): MessagesState {
  const held = messages[chatId] ?? EMPTY_CHAT_MESSAGES;
  const next = change(held);
  return next === held ? messages : { ...messages, [chatId]: next };
}

function withItems(chat: ChatMessages, items: readonly MessageView[]): ChatMessages {
  return items === chat.items ? chat : { ...chat, items };
}

export const createMessagesSlice: SliceCreator<MessagesSlice> = (set) => ({
  messages: {},

  addMessages: (incoming) =>
    set((state) => {
      const byChat = new Map<string, MessageView[]>();
      for (const message of incoming) {
        const list = byChat.get(message.chatId) ?? [];
        list.push(message);
        byChat.set(message.chatId, list);
      }
      let messages = state.messages;
      for (const [chatId, list] of byChat) {
        messages = update(messages, chatId, (chat) => withItems(chat, mergeMessages(chat.items, list)));
      }
      return messages === state.messages ? state : { messages };
    }),

  applyMessageUpdate: (message) =>
    set((state) => {
      const chat = state.messages[message.chatId];
      if (!chat) return state;
      const messages = update(state.messages, message.chatId, (held) =>
        withItems(held, replaceMessage(held.items, message)),
      );
      return messages === state.messages ? state : { messages };
    }),

  removeMessage: (chatId, id) =>
    set((state) => {
      const chat = state.messages[chatId];
      if (!chat?.items.some((m) => m.id === id || m.replyTo?.id === id)) return state;
      // Quotes of it lose their preview too: none of its text stays on screen.
      const items = chat.items
        .filter((m) => m.id !== id)
        .map((m) => (m.replyTo?.id === id ? { ...m, replyTo: { id, missing: true } } : m));
      return { messages: update(state.messages, chatId, (held) => withItems(held, items)) };
    }),

  newestPageLoaded: (chatId, page, olderCursor) =>
    set((state) => ({
      messages: update(state.messages, chatId, (chat) => ({
        ...chat,
        items: mergeMessages(chat.items, page),
        // A reload of the newest page (after a reconnect) must not forget older pages we already hold.
        olderCursor: chat.newestLoaded ? chat.olderCursor : olderCursor,
        newestLoaded: true,
      })),
    })),

  olderPageStarted: (chatId) =>
    set((state) => ({ messages: update(state.messages, chatId, (chat) => ({ ...chat, loadingOlder: true })) })),

  olderPageLoaded: (chatId, page, olderCursor) =>
    set((state) => ({
      messages: update(state.messages, chatId, (chat) => ({
        ...chat,
        items: mergeMessages(chat.items, page),
        olderCursor,
        loadingOlder: false,
      })),
    })),

  olderPageFailed: (chatId) =>
    set((state) => ({ messages: update(state.messages, chatId, (chat) => ({ ...chat, loadingOlder: false })) })),

  forgetMessagesExcept: (chatId) =>
    set((state) => {
      const kept = chatId ? state.messages[chatId] : undefined;
      return { messages: kept && chatId ? { [chatId]: kept } : {} };
    }),
});
