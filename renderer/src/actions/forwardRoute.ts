/**
 * Which request forwards a message: between two 1:1 chats `messages.forward`, any pair
 * with a group in it `groups.forward` (its copy arrives through events).
 */
import type { RequestInput } from '../../../shared/ipc/contract';

/** A conversation: a 1:1 chat or a private group. */
export type ConversationRef = { chatId: string; groupId?: undefined } | { groupId: string; chatId?: undefined };

export type ForwardRoute =
  | { name: 'messages.forward'; input: RequestInput<'messages.forward'> }
  | { name: 'groups.forward'; input: RequestInput<'groups.forward'> };

export function forwardRoute(from: ConversationRef, messageId: string, to: ConversationRef): ForwardRoute {
  if (from.chatId !== undefined && to.chatId !== undefined)
    return { name: 'messages.forward', input: { chatId: from.chatId, messageId, toChatId: to.chatId } };
  return {
    name: 'groups.forward',
    input: {
      ...(from.chatId !== undefined ? { fromChatId: from.chatId } : { fromGroupId: from.groupId }),
      messageId,
      ...(to.chatId !== undefined ? { toChatId: to.chatId } : { toGroupId: to.groupId }),
    },
  };
}
