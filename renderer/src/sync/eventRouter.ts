/**
 * The one place contract events change the store. Subscribed once at start-up; every
 * event maps to slice updates here and nowhere else.
 */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';
import { channelEventSubscriptions } from './channelEvents';
import { groupEventSubscriptions } from './groupEvents';
import { TYPING_SHOWN_MS } from '../store/uiSlice';

export function startEventRouter(bridge: ParleyBridge, store: AppStore, now: () => number = Date.now): () => void {
  const state = () => store.getState();
  const unsubscribes = [
    bridge.on('session.changed', ({ profile }) => state().setProfile(profile)),
    bridge.on('connection.changed', (view) => state().setRelayConnection(view, now())),
    bridge.on('message.added', (message) => {
      state().addMessages([message]);
      if (!message.fromMe && state().ui.typingUntil[message.chatId] !== undefined)
        state().setTyping(message.chatId, null);
    }),
    bridge.on('message.updated', (message) => {
      state().applyMessageUpdate(message);
      state().refreshLastMessage(message);
    }),
    bridge.on('chat.updated', (chat) => state().upsertChat(chat)),
    bridge.on('message.removed', ({ chatId, id }) => {
      state().removeMessage(chatId, id);
      const compose = state().ui.compose[chatId];
      if (compose?.messageId === id) state().setCompose(chatId, null);
    }),
    bridge.on('chat.typing', ({ chatId }) => state().setTyping(chatId, now() + TYPING_SHOWN_MS)),
    ...channelEventSubscriptions(bridge, store),
    ...groupEventSubscriptions(bridge, store, now),
  ];
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
