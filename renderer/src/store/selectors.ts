/** Derived views of the state, shared by components and actions. */
import type { ChatView, MessageView } from '../../../shared/ipc/contract';
import type { AppState } from './appStore';
import { EMPTY_CHAT_MESSAGES, type ChatMessages } from './messagesSlice';

/** Most recent activity first; ties broken by id so the order never flickers. */
export function sortChats(byId: Readonly<Record<string, ChatView>>): ChatView[] {
  return Object.values(byId).sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
}

export const selectChatMessages =
  (chatId: string) =>
  (state: AppState): ChatMessages =>
    state.messages[chatId] ?? EMPTY_CHAT_MESSAGES;

/** The newest message the peer sent: what a read receipt refers to. */
export function newestIncoming(items: readonly MessageView[]): MessageView | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const message = items[i]!;
    if (!message.fromMe) return message;
  }
  return undefined;
}
