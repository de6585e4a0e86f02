/** Private groups: list, open, send, create, and the admin tools. */
import type { GroupView, IpcResult } from '../../../shared/ipc';
import { reportBackgroundFailure, type ActionContext } from './types';

export function createGroupActions({ bridge, store }: ActionContext) {
  const loadGroupMessages = async (groupId: string): Promise<void> => {
    const result = await bridge.invoke('groups.history', { groupId });
    if (result.ok) store.getState().setGroupMessages(groupId, result.value.messages);
    else reportBackgroundFailure('loading group messages', result);
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

  return {
    loadGroupMembers,

    async loadGroups(): Promise<void> {
      const result = await bridge.invoke('groups.list', {});
      if (result.ok) store.getState().setGroups(result.value.groups);
      else reportBackgroundFailure('loading groups', result);
    },

    /** Shows a group (closing any chat or channel). */
    openGroup(groupId: string): void {
      const state = store.getState();
      state.setSelectedChat(null);
      state.selectChannel(null);
      state.selectGroup(groupId);
      void loadGroupMessages(groupId);
      void loadGroupMembers(groupId);
      if ((state.groups.byId[groupId]?.unread ?? 0) > 0) {
        void bridge.invoke('groups.markRead', { groupId }).then((r) => r.ok && store.getState().upsertGroup(r.value));
      }
    },

    async sendGroupMessage(groupId: string, text: string): Promise<IpcResult<unknown>> {
      const result = await bridge.invoke('groups.send', { groupId, text });
      if (result.ok) store.getState().putGroupMessage(result.value);
      return result;
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
