/**
 * Everything the UI asks the core to do. Components call these; they never touch the
 * bridge themselves.
 */
import { createChannelActions } from './channelActions';
import { createChatActions } from './chatActions';
import { createGroupActions } from './groupActions';
import { createMessageActions } from './messageActions';
import { createSecurityActions } from './securityActions';
import { createSessionActions } from './sessionActions';
import type { ActionContext } from './types';

export function createActions(context: ActionContext) {
  const session = createSessionActions(context);
  const messages = createMessageActions(context);
  const chats = createChatActions(context, messages.loadNewestPage);
  const security = createSecurityActions(context);
  const channels = createChannelActions(context);
  const groups = createGroupActions(context);

  return {
    ...session,
    ...messages,
    ...chats,
    ...security,
    ...channels,
    ...groups,

    /** Loads what the main screen shows. */
    async loadMainScreen(): Promise<void> {
      await Promise.all([chats.loadChats(), session.loadConnection(), channels.loadChannels(), groups.loadGroups()]);
    },

    /**
     * Catches up after the link to the core was down: events in the gap are lost, so
     * reload the session, the chat list and the open chat, and forget other chats' messages.
     */
    async resync(): Promise<void> {
      await session.loadSession();
      const state = context.store.getState();
      if (state.session.status !== 'signedIn') return;
      const openChat = state.ui.selectedChatId;
      state.forgetMessagesExcept(openChat);
      await Promise.all([
        chats.loadChats(),
        channels.loadChannels(),
        groups.loadGroups(),
        session.loadConnection(),
        openChat ? messages.loadNewestPage(openChat) : Promise.resolve(),
      ]);
    },
  };
}

export type AppActions = ReturnType<typeof createActions>;
