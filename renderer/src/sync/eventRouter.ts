/**
 * The one place contract events change the store. Subscribed once at start-up; every
 * event maps to slice updates here and nowhere else.
 */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { AppStore } from '../store/appStore';

export function startEventRouter(bridge: ParleyBridge, store: AppStore, now: () => number = Date.now): () => void {
  const state = () => store.getState();
  const unsubscribes = [
    bridge.on('session.changed', ({ profile }) => state().setProfile(profile)),
    bridge.on('connection.changed', (view) => state().setRelayConnection(view, now())),
    bridge.on('message.added', (message) => state().addMessages([message])),
    bridge.on('message.updated', (message) => {
      state().applyMessageUpdate(message);
      state().refreshLastMessage(message);
    }),
    bridge.on('chat.updated', (chat) => state().upsertChat(chat)),
  ];
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
