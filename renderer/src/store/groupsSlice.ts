import type { GroupMemberView, GroupMessageView, GroupView } from '../../../shared/ipc';
import type { SliceCreator } from './appStore';

/** A member typing in a group: shown until `until` (ms since epoch). */
export interface GroupTypist {
  userId: string;
  name: string;
  until: number;
}

export interface GroupsSlice {
  groups: {
    byId: Readonly<Record<string, GroupView>>;
    selectedId: string | null;
    /** Loaded history per group (oldest first). */
    messages: Readonly<Record<string, readonly GroupMessageView[]>>;
    members: Readonly<Record<string, { members: readonly GroupMemberView[]; pending: readonly GroupMemberView[] }>>;
    /** Per group: who is typing, in the order they started. */
    typing: Readonly<Record<string, readonly GroupTypist[]>>;
  };
  setGroups(groups: readonly GroupView[]): void;
  upsertGroup(group: GroupView): void;
  selectGroup(groupId: string | null): void;
  setGroupMessages(groupId: string, messages: readonly GroupMessageView[]): void;
  /** Adds or replaces one line (by id), keeping local order; quotes of an edited line follow. */
  putGroupMessage(message: GroupMessageView): void;
  /** The line is gone (expired, deleted): drop it, and quotes of it lose their preview. */
  removeGroupMessage(groupId: string, id: string): void;
  setGroupMembers(groupId: string, members: readonly GroupMemberView[], pending: readonly GroupMemberView[]): void;
  /** A member typing until `until`, or (null) no longer. */
  setGroupTyping(groupId: string, userId: string, name: string, until: number | null): void;
}

/** Who is still typing at `now`. */
export function typistsAt(typists: readonly GroupTypist[] | undefined, now: number): GroupTypist[] {
  return (typists ?? []).filter((typist) => typist.until > now);
}

export const createGroupsSlice: SliceCreator<GroupsSlice> = (set) => ({
  groups: { byId: {}, selectedId: null, messages: {}, members: {}, typing: {} },
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
      const edited = index >= 0 && current[index]!.text !== message.text;
      const next =
        index >= 0
          ? current.map((m, i) => {
              if (i === index) return message;
              // An edit shows in the quotes of it too.
              if (edited && m.replyTo?.id === message.id && !m.replyTo.missing)
                return { ...m, replyTo: { ...m.replyTo, text: message.text } };
              return m;
            })
          : [...current, message].sort((a, b) => a.localId - b.localId);
      return { groups: { ...state.groups, messages: { ...state.groups.messages, [message.groupId]: next } } };
    }),
  removeGroupMessage: (groupId, id) =>
    set((state) => {
      const current = state.groups.messages[groupId];
      if (!current?.some((m) => m.id === id || m.replyTo?.id === id)) return state;
      // None of its text stays on screen, quotes included.
      const next = current
        .filter((m) => m.id !== id)
        .map((m) => (m.replyTo?.id === id ? { ...m, replyTo: { id, missing: true } } : m));
      return { groups: { ...state.groups, messages: { ...state.groups.messages, [groupId]: next } } };
    }),
  setGroupMembers: (groupId, members, pending) =>
    set((state) => ({
      groups: { ...state.groups, members: { ...state.groups.members, [groupId]: { members, pending } } },
    })),
  setGroupTyping: (groupId, userId, name, until) =>
    set((state) => {
      const current = state.groups.typing[groupId] ?? [];
      const others = current.filter((typist) => typist.userId !== userId);
      if (until === null && others.length === current.length) return state;
      const existing = current.find((typist) => typist.userId === userId);
      const next =
        until === null
          ? others
          : existing
            ? current.map((typist) => (typist.userId === userId ? { userId, name, until } : typist))
            : [...current, { userId, name, until }];
      const typing = { ...state.groups.typing };
      if (next.length > 0) typing[groupId] = next;
      else delete typing[groupId];
      return { groups: { ...state.groups, typing } };
    }),
});
