import type { GroupMemberView, GroupMessageView, GroupView } from '../../../shared/ipc';
import type { SliceCreator } from './appStore';

export interface GroupsSlice {
  groups: {
    byId: Readonly<Record<string, GroupView>>;
    selectedId: string | null;
    /** Loaded history per group (oldest first). */
    messages: Readonly<Record<string, readonly GroupMessageView[]>>;
    members: Readonly<Record<string, { members: readonly GroupMemberView[]; pending: readonly GroupMemberView[] }>>;
  };
  setGroups(groups: readonly GroupView[]): void;
  upsertGroup(group: GroupView): void;
  selectGroup(groupId: string | null): void;
  setGroupMessages(groupId: string, messages: readonly GroupMessageView[]): void;
  /** Adds or replaces one line (by id), keeping local order. */
  putGroupMessage(message: GroupMessageView): void;
  setGroupMembers(groupId: string, members: readonly GroupMemberView[], pending: readonly GroupMemberView[]): void;
}

export const createGroupsSlice: SliceCreator<GroupsSlice> = (set) => ({
  groups: { byId: {}, selectedId: null, messages: {}, members: {} },
  setGroups: (list) =>
    set((state) => ({ groups: { ...state.groups, byId: Object.fromEntries(list.map((g) => [g.id, g])) } })),
  upsertGroup: (group) =>
    set((state) => ({ groups: { ...state.groups, byId: { ...state.groups.byId, [group.id]: group } } })),
  selectGroup: (groupId) => set((state) => ({ groups: { ...state.groups, selectedId: groupId } })),
  setGroupMessages: (groupId, messages) =>
    set((state) => ({ groups: { ...state.groups, messages: { ...state.groups.messages, [groupId]: messages } } })),
  putGroupMessage: (message) =>
    set((state) => {
      const current = state.groups.messages[message.groupId];
      if (!current) return {};
      const index = current.findIndex((m) => m.id === message.id);
      const next =
        index >= 0
          ? current.map((m, i) => (i === index ? message : m))
          : [...current, message].sort((a, b) => a.localId - b.localId);
      return { groups: { ...state.groups, messages: { ...state.groups.messages, [message.groupId]: next } } };
    }),
  setGroupMembers: (groupId, members, pending) =>
    set((state) => ({
      groups: { ...state.groups, members: { ...state.groups.members, [groupId]: { members, pending } } },
    })),
});
