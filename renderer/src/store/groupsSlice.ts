import type { GroupMemberView, GroupMessageView, GroupView } from '../../../shared/ipc';
import type { SliceCreator } from './appStore';
import { mergeGroupLines } from './groupLines';

/** A member typing in a group: shown until `until` (ms since epoch). */
export interface GroupTypist {
  userId: string;
  name: string;
  until: number;
}

/** Where the paging of one group's history stands. */
export interface GroupHistory {
  /** The newest page has arrived: older pages are asked for before the oldest line held. */
  newestLoaded: boolean;
  /** The core has lines older than the oldest one held. */
  hasMore: boolean;
  /** An older page is being fetched. */
  loadingOlder: boolean;
}

export const NO_GROUP_HISTORY: GroupHistory = { newestLoaded: false, hasMore: false, loadingOlder: false };

export interface GroupsSlice {
  groups: {
    byId: Readonly<Record<string, GroupView>>;
    selectedId: string | null;
    /** Loaded history per group (oldest first, in local order, no duplicate ids). */
    messages: Readonly<Record<string, readonly GroupMessageView[]>>;
    /** Per group whose history is loaded: its paging state. */
    history: Readonly<Record<string, GroupHistory>>;
    members: Readonly<Record<string, { members: readonly GroupMemberView[]; pending: readonly GroupMemberView[] }>>;
    /** Per group: who is typing, in the order they started. */
    typing: Readonly<Record<string, readonly GroupTypist[]>>;
  };
  setGroups(groups: readonly GroupView[]): void;
  upsertGroup(group: GroupView): void;
  selectGroup(groupId: string | null): void;
  /** The newest page was asked for: lines arriving by event from now on are kept, not ignored. */
  groupNewestPageStarted(groupId: string): void;
  /** The newest page: merged by id with what we hold (lines that arrived meanwhile stay). */
  groupNewestPageLoaded(groupId: string, page: readonly GroupMessageView[], hasMore: boolean): void;
  groupOlderPageStarted(groupId: string): void;
  /** The page just older than the oldest line held. */
  groupOlderPageLoaded(groupId: string, page: readonly GroupMessageView[], hasMore: boolean): void;
  /** The older page did not come: it can be asked for again. */
  groupOlderPageFailed(groupId: string): void;
  /**
   * Adds or replaces one line (by id), keeping local order; quotes of an edited line follow.
   * A new line older than the oldest held, while older pages are still to come, is left for
   * those pages (held there, it would make paging skip the lines in between).
   */
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

type GroupsState = GroupsSlice['groups'];

function withLines(
  groups: GroupsState,
  groupId: string,
  lines: readonly GroupMessageView[],
  history?: Partial<GroupHistory>,
): GroupsState {
  const messages = lines === groups.messages[groupId] ? groups.messages : { ...groups.messages, [groupId]: lines };
  if (!history) return { ...groups, messages };
  const held = groups.history[groupId] ?? NO_GROUP_HISTORY;
  return { ...groups, messages, history: { ...groups.history, [groupId]: { ...held, ...history } } };
}

/**
 * Which of the lines held stay beside a newly loaded newest page. Lines the page does not
 * reach back to (older than its oldest) stay only if the page shares a line with what we
 * hold, so they join up with it; otherwise lines may be missing in between (many came
 * while events were lost), and paging starts again from the page.
 */
function keptBeside(held: readonly GroupMessageView[], page: readonly GroupMessageView[]): GroupMessageView[] | null {
  const oldest = page[0];
  if (!oldest) return null;
  const ids = new Set(page.map((line) => line.id));
  if (held.some((line) => ids.has(line.id))) return null;
  const kept = held.filter((line) => line.localId >= oldest.localId);
  return kept.length === held.length ? null : kept;
}

export const createGroupsSlice: SliceCreator<GroupsSlice> = (set) => ({
  groups: { byId: {}, selectedId: null, messages: {}, history: {}, members: {}, typing: {} },
  setGroups: (list) =>
    set((state) => ({ groups: { ...state.groups, byId: Object.fromEntries(list.map((g) => [g.id, g])) } })),
  upsertGroup: (group) =>
    set((state) => ({ groups: { ...state.groups, byId: { ...state.groups.byId, [group.id]: group } } })),
  selectGroup: (groupId) => set((state) => ({ groups: { ...state.groups, selectedId: groupId } })),
  groupNewestPageStarted: (groupId) =>
    set((state) => (state.groups.messages[groupId] ? state : { groups: withLines(state.groups, groupId, []) })),
  groupNewestPageLoaded: (groupId, page, hasMore) =>
    set((state) => {
      const held = state.groups.messages[groupId] ?? [];
      const history = state.groups.history[groupId] ?? NO_GROUP_HISTORY;
      const trimmed = keptBeside(held, page);
      const lines = mergeGroupLines(trimmed ?? held, page);
      // A reload of the newest page must not forget the older pages held: whether more
      // exist is still what paging last said, unless the page reaches back past them.
      const olderHeld = trimmed === null && page[0] !== undefined && held.some((l) => l.localId < page[0]!.localId);
      return {
        groups: withLines(state.groups, groupId, lines, {
          newestLoaded: true,
          hasMore: olderHeld && history.newestLoaded ? history.hasMore : hasMore,
        }),
      };
    }),
  groupOlderPageStarted: (groupId) =>
    set((state) => ({
      groups: withLines(state.groups, groupId, state.groups.messages[groupId] ?? [], { loadingOlder: true }),
    })),
  groupOlderPageLoaded: (groupId, page, hasMore) =>
    set((state) => {
      const held = state.groups.messages[groupId] ?? [];
      return {
        groups: withLines(state.groups, groupId, mergeGroupLines(held, page), {
          // An empty page ends the history whatever it says, so paging cannot go round in circles.
          hasMore: hasMore && page.length > 0,
          loadingOlder: false,
        }),
      };
    }),
  groupOlderPageFailed: (groupId) =>
    set((state) => ({
      groups: withLines(state.groups, groupId, state.groups.messages[groupId] ?? [], { loadingOlder: false }),
    })),
  putGroupMessage: (message) =>
    set((state) => {
      const current = state.groups.messages[message.groupId];
      if (!current) return {};
      const index = current.findIndex((m) => m.id === message.id);
      const oldest = current[0];
      if (
        index < 0 &&
        oldest !== undefined &&
        message.localId < oldest.localId &&
        state.groups.history[message.groupId]?.hasMore
      )
        return {};
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
