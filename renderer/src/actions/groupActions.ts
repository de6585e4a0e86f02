/** Private groups: list, open, send, create, the admin tools, and the message lifecycle. */
import type { GroupMessageView, GroupView, IpcResult, RequestInput } from '../../../shared/ipc';
import { forwardRoute, type ConversationRef } from './forwardRoute';
import { loadOlderUntil } from './loadOlderUntil';
import { reportBackgroundFailure, type ActionContext } from './types';

export function createGroupActions({ bridge, store }: ActionContext) {
  /** Per group: the newest page being fetched, so a double open asks once. */
  const newestInFlight = new Map<string, Promise<void>>();
  /** Per group: the older page being fetched; a second call waits for it instead of asking again. */
  const olderInFlight = new Map<string, Promise<boolean>>();

  /**
   * The newest page of a group's history (the core's `groups.history` without
   * `beforeLocalId`), merged by id with what we hold: lines that arrive by event while it
   * is on its way are kept, and older pages already loaded stay.
   */
  const loadGroupMessages = (groupId: string): Promise<void> => {
    const running = newestInFlight.get(groupId);
    if (running) return running;
    store.getState().groupNewestPageStarted(groupId);
    const request = (async () => {
      try {
        const result = await bridge.invoke('groups.history', { groupId });
        if (result.ok) store.getState().groupNewestPageLoaded(groupId, result.value.messages, result.value.hasMore);
        else reportBackgroundFailure('loading group messages', result);
      } finally {
        newestInFlight.delete(groupId);
      }
    })();
    newestInFlight.set(groupId, request);
    return request;
  };

  /**
   * The page just older than the oldest line held, if there is one. Resolves to whether a
   * page came (false: nothing older, or it failed — it can be asked for again).
   */
  const loadOlderGroupPage = (groupId: string): Promise<boolean> => {
    const running = olderInFlight.get(groupId);
    if (running) return running;
    const state = store.getState();
    const history = state.groups.history[groupId];
    const oldest = state.groups.messages[groupId]?.[0];
    if (!history?.newestLoaded || !history.hasMore || !oldest) return Promise.resolve(false);
    state.groupOlderPageStarted(groupId);
    const request = (async () => {
      try {
        const result = await bridge.invoke('groups.history', { groupId, beforeLocalId: oldest.localId });
        if (result.ok) {
          store.getState().groupOlderPageLoaded(groupId, result.value.messages, result.value.hasMore);
          return true;
        }
        store.getState().groupOlderPageFailed(groupId);
        reportBackgroundFailure('loading older group messages', result);
        return false;
      } finally {
        olderInFlight.delete(groupId);
      }
    })();
    olderInFlight.set(groupId, request);
    return request;
  };

  const loadGroupMembers = async (groupId: string): Promise<void> => {
    const result = await bridge.invoke('groups.members', { groupId });
    if (result.ok) store.getState().setGroupMembers(groupId, result.value.members, result.value.pending);
    else reportBackgroundFailure('loading group members', result);
  };
  const afterChange = async (result: IpcResult<GroupView>): Promise<IpcResult<GroupView>> => {
    if (result.ok) {
      store.getState().upsertGroup(result.value);
      await Promise.all([loadGroupMembers(result.value.id), loadGroupMessages(result.value.id)]);
    }
    return result;
  };

  /** A draft the core kept (across restarts) comes back into the composer, unless one is being written. */
  const restoreDraft = (group: GroupView | undefined): void => {
    const state = store.getState();
    if (group?.draft && state.ui.drafts[group.id] === undefined) state.setDraft(group.id, group.draft);
  };

  return {
    loadGroupMembers,
    loadOlderGroupPage,

    /**
     * Makes sure a line is loaded (to go to a quote of it): older pages come until it is
     * there or the history ends. Resolves to whether it is loaded.
     */
    revealGroupMessage(groupId: string, messageId: string): Promise<boolean> {
      const groups = () => store.getState().groups;
      return loadOlderUntil({
        holds: () => groups().messages[groupId]?.some((line) => line.id === messageId) ?? false,
        hasOlder: () => groups().history[groupId]?.hasMore ?? false,
        loadOlder: () => loadOlderGroupPage(groupId),
      });
    },

    async loadGroups(): Promise<void> {
      const result = await bridge.invoke('groups.list', {});
      if (!result.ok) return reportBackgroundFailure('loading groups', result);
      store.getState().setGroups(result.value.groups);
      result.value.groups.forEach(restoreDraft);
    },

    /** Shows a group (closing any chat or channel). Reading is reported by its pane (useMarkGroupRead). */
    openGroup(groupId: string): void {
      const state = store.getState();
      state.setSelectedChat(null);
      state.selectChannel(null);
      state.selectGroup(groupId);
      restoreDraft(state.groups.byId[groupId]);
      void loadGroupMessages(groupId);
      void loadGroupMembers(groupId);
    },

    /**
     * Sends the group composer's draft: a new message (answering the message being replied
     * to), or the new text of the message being edited. The composer empties at once; if the
     * core refuses, the text (and the reply or edit) comes back, ahead of anything typed since.
     */
    async sendGroupDraft(groupId: string): Promise<IpcResult<GroupMessageView> | null> {
      const state = store.getState();
      const text = state.ui.drafts[groupId] ?? '';
      if (text.trim().length === 0) return null;
      const compose = state.ui.compose[groupId];
      state.setDraft(groupId, '');
      state.setCompose(groupId, null);
      const result =
        compose?.kind === 'edit'
          ? await bridge.invoke('groups.edit', { groupId, messageId: compose.messageId, text })
          : await bridge.invoke('groups.send', {
              groupId,
              text,
              ...(compose?.kind === 'reply' ? { replyTo: compose.messageId } : {}),
            });
      if (result.ok) store.getState().putGroupMessage(result.value);
      else {
        if (compose) store.getState().setCompose(groupId, compose);
        const typedSince = store.getState().ui.drafts[groupId] ?? '';
        store.getState().setDraft(groupId, typedSince ? `${text}\n${typedSince}` : text);
      }
      return result;
    },

    async deleteGroupMessage(groupId: string, messageId: string, forEveryone: boolean): Promise<IpcResult<object>> {
      const result = await bridge.invoke(forEveryone ? 'groups.deleteForEveryone' : 'groups.deleteForMe', {
        groupId,
        messageId,
      });
      if (result.ok) store.getState().removeGroupMessage(groupId, messageId);
      return result;
    },

    async reactInGroup(
      groupId: string,
      messageId: string,
      emoji: RequestInput<'groups.react'>['emoji'],
    ): Promise<void> {
      const result = await bridge.invoke('groups.react', { groupId, messageId, emoji });
      if (result.ok) store.getState().putGroupMessage(result.value);
      else reportBackgroundFailure('reacting in a group', result);
    },

    /** Owners and admins (others get not_group_admin): the timer line arrives as a group.message. */
    async setGroupTimer(groupId: string, seconds: number): Promise<IpcResult<GroupView>> {
      const result = await bridge.invoke('groups.setTimer', { groupId, seconds });
      if (result.ok) store.getState().upsertGroup(result.value);
      return result;
    },

    /** Persists the group composer's text (callers debounce). */
    async saveGroupDraft(groupId: string, draft: string): Promise<void> {
      const result = await bridge.invoke('groups.saveDraft', { groupId, draft });
      if (!result.ok) reportBackgroundFailure('saving a group draft', result);
    },

    /** Best effort, throttled by the caller and by the core. Resolves to whether it went out. */
    async typingInGroup(groupId: string): Promise<boolean> {
      const result = await bridge.invoke('groups.typing', { groupId });
      return result.ok && result.value.sent;
    },

    /**
     * The user has seen the group up to `upToId`: unread clears, timed messages seen start
     * their countdown. Resolves to whether the core took it.
     */
    async markGroupRead(groupId: string, upToId: string): Promise<boolean> {
      const result = await bridge.invoke('groups.markRead', { groupId, upToId });
      if (result.ok) store.getState().upsertGroup(result.value);
      else reportBackgroundFailure('marking a group read', result);
      return result.ok;
    },

    /**
     * Forwards a message from a chat or group to a chat or group. Between two chats the copy
     * comes back at once; with a group involved it arrives through events.
     */
    async forwardMessage(from: ConversationRef, messageId: string, to: ConversationRef): Promise<IpcResult<unknown>> {
      const route = forwardRoute(from, messageId, to);
      if (route.name === 'messages.forward') {
        const result = await bridge.invoke(route.name, route.input);
        if (result.ok) store.getState().addMessages([result.value]);
        return result;
      }
      return bridge.invoke(route.name, route.input);
    },

    async createGroup(name: string, memberIds: string[]): Promise<IpcResult<GroupView>> {
      const result = await bridge.invoke('groups.create', { name, memberIds });
      if (result.ok) {
        store.getState().upsertGroup(result.value);
        const state = store.getState();
        state.setSelectedChat(null);
        state.selectChannel(null);
        state.selectGroup(result.value.id);
        void loadGroupMessages(result.value.id);
        void loadGroupMembers(result.value.id);
      }
      return result;
    },

    async addGroupMembers(groupId: string, userIds: string[]) {
      return afterChange(await bridge.invoke('groups.addMembers', { groupId, userIds }));
    },
    async removeGroupMember(groupId: string, userId: string) {
      return afterChange(await bridge.invoke('groups.removeMember', { groupId, userId }));
    },
    async setGroupRole(groupId: string, userId: string, role: 'admin' | 'member') {
      return afterChange(await bridge.invoke('groups.setRole', { groupId, userId, role }));
    },
    async leaveGroup(groupId: string) {
      return afterChange(await bridge.invoke('groups.leave', { groupId }));
    },
    async renameGroup(groupId: string, name: string) {
      return afterChange(await bridge.invoke('groups.rename', { groupId, name }));
    },
    /** A new invite link; the group view (with its live invites) is reloaded after. */
    async createGroupInvite(groupId: string, approval: boolean): Promise<IpcResult<{ link: string; token: string }>> {
      const result = await bridge.invoke('groups.createInvite', { groupId, approval });
      if (result.ok) {
        const list = await bridge.invoke('groups.list', {});
        const group = list.ok ? list.value.groups.find((g) => g.id === groupId) : undefined;
        if (group) store.getState().upsertGroup(group);
        void loadGroupMessages(groupId);
      }
      return result;
    },
    async revokeGroupInvite(groupId: string, token: string) {
      return afterChange(await bridge.invoke('groups.revokeInvite', { groupId, token }));
    },
    /** Admits someone who asked to join through an approval link. */
    async approveGroupMember(groupId: string, userId: string) {
      return afterChange(await bridge.invoke('groups.approve', { groupId, userId }));
    },
  };
}
