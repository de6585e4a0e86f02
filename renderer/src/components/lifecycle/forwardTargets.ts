import type { ChatView, GroupView } from '../../../../shared/ipc';
import type { ConversationRef } from '../../actions/forwardRoute';

export interface ForwardTarget {
  key: string;
  ref: ConversationRef;
  name: string;
  /** What the avatar's colour derives from. */
  avatarId: string;
  memberCount: number;
  updatedAt: number;
}

/** Where a message can be forwarded: every chat, and the groups we are still in; most recent first. */
export function forwardTargets(
  chats: Readonly<Record<string, ChatView>>,
  groups: Readonly<Record<string, GroupView>>,
): ForwardTarget[] {
  const fromChats: ForwardTarget[] = Object.values(chats).map((chat) => ({
    key: chat.id,
    ref: { chatId: chat.id },
    name: chat.peer.displayName,
    avatarId: chat.peer.userId,
    memberCount: 2,
    updatedAt: chat.updatedAt,
  }));
  const fromGroups: ForwardTarget[] = Object.values(groups)
    .filter((group) => group.status === 'active')
    .map((group) => ({
      key: group.id,
      ref: { groupId: group.id },
      name: group.name,
      avatarId: group.id,
      memberCount: group.memberCount,
      updatedAt: group.updatedAt,
    }));
  return [...fromChats, ...fromGroups].sort((a, b) => b.updatedAt - a.updatedAt || (a.key < b.key ? -1 : 1));
}
