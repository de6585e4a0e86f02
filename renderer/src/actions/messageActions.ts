import type { MessageView, RequestInput } from '../../../shared/ipc/contract';
import type { IpcResult } from '../../../shared/ipc/result';
import { loadOlderUntil } from './loadOlderUntil';
import { reportBackgroundFailure, type ActionContext } from './types';

const PAGE_SIZE = 50;

export function createMessageActions({ bridge, store }: ActionContext) {
  /** Chats whose newest page is being fetched, so a double open asks once. */
  const newestInFlight = new Set<string>();
  /** Per chat: the older page being fetched. */
  const olderInFlight = new Map<string, Promise<boolean>>();

  const loadOlderPage = (chatId: string): Promise<boolean> => {
    const running = olderInFlight.get(chatId);
    if (running) return running;
    const held = store.getState().messages[chatId];
    if (!held?.newestLoaded || held.loadingOlder || held.olderCursor === null) return Promise.resolve(false);
    const before = held.olderCursor;
    store.getState().olderPageStarted(chatId);
    const request = (async () => {
      try {
        const result = await bridge.invoke('messages.history', { chatId, before, limit: PAGE_SIZE });
        if (result.ok) {
          store.getState().olderPageLoaded(chatId, result.value.messages, result.value.cursor);
          return true;
        }
        store.getState().olderPageFailed(chatId);
        reportBackgroundFailure('loading older messages', result);
        return false;
      } finally {
        olderInFlight.delete(chatId);
      }
    })();
    olderInFlight.set(chatId, request);
    return request;
  };

  return {
    async loadNewestPage(chatId: string): Promise<void> {
      if (newestInFlight.has(chatId)) return;
      newestInFlight.add(chatId);
      try {
        const result = await bridge.invoke('messages.history', { chatId, limit: PAGE_SIZE });
        if (result.ok) store.getState().newestPageLoaded(chatId, result.value.messages, result.value.cursor);
        else reportBackgroundFailure('loading messages', result);
      } finally {
        newestInFlight.delete(chatId);
      }
    },

    /**
     * Fetches the page just older than what we hold, if there is one; a call while it is on
     * its way waits for it instead of asking again. Resolves to whether a page came.
     */
    loadOlderPage,

    /**
     * Makes sure a message is loaded (to go to a quote of it): older pages come until it is
     * there or the conversation's beginning. Resolves to whether it is loaded.
     */
    revealMessage(chatId: string, messageId: string): Promise<boolean> {
      const held = () => store.getState().messages[chatId];
      return loadOlderUntil({
        holds: () => held()?.items.some((message) => message.id === messageId) ?? false,
        hasOlder: () => held()?.newestLoaded === true && held()?.olderCursor !== null,
        loadOlder: () => loadOlderPage(chatId),
      });
    },

    /**
     * Sends the chat's draft. The composer empties at once (typing can go on); if the core
     * refuses, the text comes back into the composer, ahead of anything typed since.
     */
    async sendDraft(chatId: string): Promise<IpcResult<MessageView> | null> {
      const text = store.getState().ui.drafts[chatId] ?? '';
      if (text.trim().length === 0) return null;
      const compose = store.getState().ui.compose[chatId];
      store.getState().setDraft(chatId, '');
      store.getState().setCompose(chatId, null);
      const result =
        compose?.kind === 'edit'
          ? await bridge.invoke('messages.edit', { chatId, messageId: compose.messageId, text })
          : await bridge.invoke('messages.send', {
              chatId,
              text,
              ...(compose?.kind === 'reply' ? { replyTo: compose.messageId } : {}),
            });
      if (result.ok) {
        if (compose?.kind === 'edit') store.getState().applyMessageUpdate(result.value);
        else store.getState().addMessages([result.value]);
      } else {
        if (compose) store.getState().setCompose(chatId, compose);
        const typedSince = store.getState().ui.drafts[chatId] ?? '';
        store.getState().setDraft(chatId, typedSince ? `${text}\n${typedSince}` : text);
      }
      return result;
    },

    async deleteMessage(chatId: string, messageId: string, forEveryone: boolean): Promise<IpcResult<object>> {
      const result = await bridge.invoke(forEveryone ? 'messages.deleteForEveryone' : 'messages.deleteForMe', {
        chatId,
        messageId,
      });
      if (result.ok) store.getState().removeMessage(chatId, messageId);
      return result;
    },

    async react(chatId: string, messageId: string, emoji: RequestInput<'messages.react'>['emoji']): Promise<void> {
      const result = await bridge.invoke('messages.react', { chatId, messageId, emoji });
      if (result.ok) store.getState().applyMessageUpdate(result.value);
      else reportBackgroundFailure('reacting', result);
    },

    /**
     * Tells the core the user has seen the chat up to `upToId`; the unread badge follows
     * its answer. Resolves to whether the core took it.
     */
    async markRead(chatId: string, upToId: string): Promise<boolean> {
      const result = await bridge.invoke('messages.markRead', { chatId, upToId });
      if (result.ok) store.getState().setChatUnread(chatId, result.value.unread);
      else reportBackgroundFailure('marking messages read', result);
      return result.ok;
    },
  };
}
