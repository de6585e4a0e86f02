/**
 * The renderer's state: one zustand store composed of one slice per domain. Slices hold
 * data and synchronous updates only; talking to the core lives in `actions/`, and contract
 * events reach the store through `events/eventRouter.ts` alone.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import { createChannelsSlice, type ChannelsSlice } from './channelsSlice';
import { createChatsSlice, type ChatsSlice } from './chatsSlice';
import { createConnectionSlice, type ConnectionSlice } from './connectionSlice';
import { createGroupsSlice, type GroupsSlice } from './groupsSlice';
import { createMessagesSlice, type MessagesSlice } from './messagesSlice';
import { createSecuritySlice, type SecuritySlice } from './securitySlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type AppState = SessionSlice &
  ChatsSlice &
  MessagesSlice &
  ConnectionSlice &
  UiSlice &
  SecuritySlice &
  ChannelsSlice &
  GroupsSlice;
export type AppStore = StoreApi<AppState>;
export type SliceCreator<Slice> = StateCreator<AppState, [], [], Slice>;

export function createAppStore(): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createSessionSlice(...args),
    ...createChatsSlice(...args),
    ...createMessagesSlice(...args),
    ...createConnectionSlice(...args),
    ...createUiSlice(...args),
    ...createSecuritySlice(...args),
    ...createChannelsSlice(...args),
    ...createGroupsSlice(...args),
  }));
}
