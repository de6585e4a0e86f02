/**
 * Store records → contract view models. The only place views are built, so the rule "no
 * key material crosses the contract" is checkable here: views copy names and ids, never keys.
 */
import type { ChatView, MessageView, ProfileView, UserView } from '../../../shared/ipc';
import type { Account } from '../db/account';
import type { ChatRecord } from '../db/chats';
import type { MessageRecord } from '../db/messages';
import type { Store } from '../db/store';

export function profileViewOf(account: Pick<Account, 'userId' | 'username' | 'displayName'>): ProfileView {
  return { userId: account.userId, username: account.username, displayName: account.displayName };
}

export function userViewOf(user: { userId: string; username: string; displayName: string }): UserView {
  return { userId: user.userId, username: user.username, displayName: user.displayName };
}

export function messageViewOf(message: MessageRecord): MessageView {
  // A keyChanged line's seq only places it in history; it is no relay sequence number.
  const seq = message.kind === 'keyChanged' ? null : message.seq;
  return {
    id: message.id,
    kind: message.kind,
    chatId: message.chatId,
    senderId: message.senderId,
    fromMe: message.fromMe,
    text: message.text,
    sentAt: message.sentAt,
    ...(seq !== null ? { seq } : {}),
    ...(message.status !== null ? { status: message.status } : {}),
    ...(message.error !== null ? { error: message.error } : {}),
    ...(message.editedAt !== null ? { editedAt: message.editedAt } : {}),
    ...(message.expiresIn > 0 || message.kind === 'timer' ? { expiresIn: message.expiresIn } : {}),
    ...(message.expireAt !== null ? { expiresAt: message.expireAt } : {}),
    ...(message.forwarded ? { forwarded: true } : {}),
  };
}

/** Reactions as views show them: emoji → count, and whether one is ours (1:1 and groups). */
export function summarizeReactions(
  reactions: readonly { senderId: string; emoji: string }[],
  me: string | undefined,
): { emoji: string; count: number; mine: boolean }[] {
  const byEmoji = new Map<string, { emoji: string; count: number; mine: boolean }>();
  for (const { senderId, emoji } of reactions) {
    const entry = byEmoji.get(emoji) ?? { emoji, count: 0, mine: false };
    entry.count += 1;
    entry.mine ||= senderId === me;
    byEmoji.set(emoji, entry);
  }
  return [...byEmoji.values()];
}

/** messageViewOf plus what needs other rows: the quoted message's preview and reactions. */
export function fullMessageViewOf(store: Store, message: MessageRecord): MessageView {
  const view = messageViewOf(message);
  if (message.replyTo !== null) {
    const quoted = store.messages.get(message.chatId, message.replyTo);
    view.replyTo = quoted
      ? { id: quoted.id, senderId: quoted.senderId, text: quoted.text.slice(0, 200), missing: false }
      : { id: message.replyTo, missing: true };
  }
  const reactions = store.lifecycle.reactions(message.chatId, message.id);
  if (reactions.length > 0) view.reactions = summarizeReactions(reactions, store.account.get()?.userId);
  return view;
}

/** Whether read receipts go out in this chat: its own choice, else the global setting. */
export function readReceiptsEnabled(store: Store, chat: ChatRecord): boolean {
  return chat.readReceipts ?? store.lifecycle.getSetting('readReceipts') !== '0';
}

export function chatViewOf(store: Store, chat: ChatRecord): ChatView {
  const peer = store.contacts.get(chat.peerId);
  // chats.peer_id references contacts: a chat without its contact is a corrupt database.
  if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
  const last = store.messages.last(chat.id);
  return {
    id: chat.id,
    kind: chat.kind,
    peer: userViewOf(peer),
    ...(last ? { lastMessage: messageViewOf(last) } : {}),
    unread: chat.unread,
    updatedAt: chat.updatedAt,
    encrypted: true,
    security: store.security.get(chat.peerId),
    timer: chat.timer,
    draft: chat.draft,
    readReceipts: readReceiptsEnabled(store, chat),
    ...(chat.readReceipts !== null ? { readReceiptsOverride: chat.readReceipts } : {}),
  };
}
