/**
 * What a message bubble, its action menu and the composer's reply/edit bar need of a
 * message: the shape 1:1 messages (MessageView) and group messages (GroupMessageView)
 * share, so one set of components serves both. Pure rules about it live here too.
 */
import type { DeliveryStatus, GroupView, MessageView } from '../../../../shared/ipc';

export type QuoteView = NonNullable<MessageView['replyTo']>;
export type ReactionView = NonNullable<MessageView['reactions']>[number];

export interface BubbleMessage {
  id: string;
  /** 'text' for what someone wrote; other kinds are service lines, not bubbles. */
  kind?: string | undefined;
  senderId: string;
  fromMe: boolean;
  text: string;
  sentAt: number;
  status?: DeliveryStatus | null | undefined;
  /** Groups: how many members told us they read it. */
  readCount?: number | undefined;
  replyTo?: QuoteView | undefined;
  editedAt?: number | undefined;
  reactions?: readonly ReactionView[] | undefined;
  expiresIn?: number | undefined;
  expiresAt?: number | undefined;
  forwarded?: boolean | undefined;
}

/** Whose message a quote shows: in a 1:1 chat ours or the peer's; in a group, any member's. */
export type QuoteContext = { peerName: string } | { myUserId: string | undefined };

/** The name on a message's quote: `you` when the quoted message is ours. */
export function quoteAuthor(message: BubbleMessage, context: QuoteContext, you: string): string {
  const quote = message.replyTo;
  if (!quote) return '';
  if ('peerName' in context) {
    // In a 1:1 chat the quoted message is ours or the peer's.
    const mine = (quote.senderId === message.senderId) === message.fromMe;
    return mine ? you : context.peerName;
  }
  const mine = quote.senderId !== undefined && quote.senderId === context.myUserId;
  return mine ? you : (quote.senderName ?? '');
}

/** Owners and admins moderate a group: its timer, and deleting anyone's messages for everyone. */
export function isGroupAdmin(group: Pick<GroupView, 'role' | 'status'>): boolean {
  return group.status === 'active' && (group.role === 'owner' || group.role === 'admin');
}

/**
 * Whether "Delete for everyone" is offered: for text messages of our own, and in a group
 * (while a member) also for others' messages when we are an owner or admin.
 */
export function canDeleteForEveryone(
  message: Pick<BubbleMessage, 'fromMe' | 'kind'>,
  group?: Pick<GroupView, 'role' | 'status'>,
): boolean {
  if ((message.kind ?? 'text') !== 'text') return false;
  if (!group) return message.fromMe;
  if (group.status !== 'active') return false;
  return message.fromMe || isGroupAdmin(group);
}
