import type { ChatView, UserView } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';
import { reportBackgroundFailure, type ActionContext } from './types';

export function createChatActions({ bridge, store }: ActionContext, loadNewestPage: (chatId: string) => Promise<void>) {
  /** Opens a chat in the chat pane (null closes it), loading its newest messages if needed. */
  const selectChat = (chatId: string | null): void => {
    const state = store.getState();
    // "Verify safety number" belongs to the chat it was opened in.
    if (state.security.dialogChatId !== null && state.security.dialogChatId !== chatId) state.closeSafetyNumberDialog();
    state.setSelectedChat(chatId);
    if (chatId && !state.messages[chatId]?.newestLoaded) void loadNewestPage(chatId);
  };

  return {
    selectChat,

    async loadChats(): Promise<void> {
      const result = await bridge.invoke('chats.list', {});
      if (result.ok) store.getState().replaceChats(result.value.chats);
      else reportBackgroundFailure('loading the chat list', result);
    },

    /** Opens (creating if needed) the direct chat with a user, and shows it. */
    async openDirectChat(userId: string): Promise<IpcResult<ChatView>> {
      const result = await bridge.invoke('chats.openDirect', { userId });
      if (result.ok) {
        store.getState().upsertChat(result.value);
        selectChat(result.value.id);
      }
      return result;
    },

    /** People whose username starts with `query` (a leading @ is fine); never ourselves. */
    async searchUsers(query: string): Promise<IpcResult<UserView[]>> {
      const result = await bridge.invoke('users.search', { query });
      if (!result.ok) return result;
      const me = store.getState().session.profile?.userId;
      return { ok: true, value: result.value.users.filter((user) => user.userId !== me) };
    },
  };
}
