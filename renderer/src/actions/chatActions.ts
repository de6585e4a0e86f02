import type { ChatView, SettingsView, UserView } from '../../../shared/ipc/contract';
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
      if (!result.ok) return reportBackgroundFailure('loading the chat list', result);
      const state = store.getState();
      state.replaceChats(result.value.chats);
      // Drafts kept by the core (across restarts) come back into the composers.
      for (const chat of result.value.chats) {
        if (chat.draft && state.ui.drafts[chat.id] === undefined) state.setDraft(chat.id, chat.draft);
      }
    },

    async setTimer(chatId: string, seconds: number): Promise<IpcResult<ChatView>> {
      const result = await bridge.invoke('chats.setTimer', { chatId, seconds });
      if (result.ok) store.getState().upsertChat(result.value);
      return result;
    },

    async setReadReceipts(chatId: string, enabled: boolean | null): Promise<IpcResult<ChatView>> {
      const result = await bridge.invoke('chats.setReadReceipts', { chatId, enabled });
      if (result.ok) store.getState().upsertChat(result.value);
      return result;
    },

    loadSettings(): Promise<IpcResult<SettingsView>> {
      return bridge.invoke('settings.get', {});
    },

    /** The global read-receipts setting; chats following it are updated by the core's events. */
    async setGlobalReadReceipts(enabled: boolean): Promise<void> {
      const result = await bridge.invoke('settings.setReadReceipts', { enabled });
      if (!result.ok) reportBackgroundFailure('changing read receipts', result);
    },

    /** Persists the composer's text (callers debounce). */
    async saveDraft(chatId: string, draft: string): Promise<void> {
      const result = await bridge.invoke('chats.saveDraft', { chatId, draft });
      if (!result.ok) reportBackgroundFailure('saving a draft', result);
    },

    /** Best effort, throttled by the caller and by the core. Resolves to whether it went out. */
    async typing(chatId: string): Promise<boolean> {
      const result = await bridge.invoke('chats.typing', { chatId });
      return result.ok && result.value.sent;
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
