/**
 * The private-group part of the IPC contract (merged into `requests` and `events` in
 * contract.ts). Groups are end-to-end encrypted with Sender Keys: views say so with
 * `encrypted: true`. No view carries key material.
 */
import { z } from 'zod';
import { groupActionSchema } from '../protocol/groups';
import { chatIdInput, lifecycleViewFields, messageIdInput, reactionInput, timerInput } from './lifecycleInputs';

const groupIdInput = z.string().regex(/^g_[A-Za-z0-9_-]{22}$/, 'not a group id');
const userIdInput = z.string().regex(/^u_[A-Za-z0-9_-]{22}$/, 'not a user id');
const inviteTokenInput = z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'not an invite token');
export const groupNameInput = z.string().trim().min(1, 'required').max(128, 'at most 128 characters');
const groupTextInput = z
  .string()
  .max(16_000, 'message too long')
  .refine((s) => s.trim().length > 0, 'message is empty');

export const groupRoleView = z.enum(['owner', 'admin', 'member']);
/** active: a member; removed: an admin removed this profile; left: it left. */
export const groupStatusView = z.enum(['active', 'removed', 'left']);

/** A system line names the membership change it reports: the relay protocol's actions. */
export const groupSystemAction = groupActionSchema;

export const groupMessageView = z.object({
  groupId: z.string(),
  id: z.string(),
  localId: z.number().int(),
  senderId: z.string(),
  senderName: z.string(),
  fromMe: z.boolean(),
  /**
   * text: a member's message; system: a membership line (words by the renderer from
   * `system`); timer: an owner or admin set the self-destruct timer to `expiresIn` (0: off)
   * — `senderName` is who.
   */
  kind: z.enum(['text', 'system', 'timer']),
  text: z.string(),
  system: z
    .object({
      action: groupSystemAction,
      actorName: z.string(),
      targetNames: z.array(z.string()),
      name: z.string().nullable(),
      /** This profile is among the targets. */
      aboutMe: z.boolean(),
    })
    .nullable(),
  sentAt: z.number(),
  seq: z.number().int().nullable(),
  /** Ours: sending → sent (the relay took it) → read (at least one member has seen it); failed. */
  status: z.enum(['sending', 'sent', 'read', 'failed']).nullable(),
  /** Ours: how many members have told us they read it (members who turned read receipts off never do). */
  readCount: z.number().int().nonnegative().optional(),
  ...lifecycleViewFields,
});
export type GroupMessageView = z.infer<typeof groupMessageView>;

export const groupView = z.object({
  /** The relay's group id (`g_…`). */
  id: z.string(),
  kind: z.literal('group'),
  name: z.string(),
  /** This profile's role (the last one it had, when no longer a member). */
  role: groupRoleView,
  status: groupStatusView,
  memberCount: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
  /** Always true: group messages are end-to-end encrypted. */
  encrypted: z.literal(true),
  /** The relay's member list disagrees with the signed log this client verified. */
  membershipMismatch: z.boolean(),
  lastMessage: z
    .object({
      text: z.string(),
      senderName: z.string(),
      fromMe: z.boolean(),
      system: z.boolean(),
      /** The line itself (membership and timer lines are worded by the renderer). */
      line: groupMessageView.optional(),
    })
    .nullable(),
  /** Live invite links (admins use them). */
  invites: z.array(z.object({ token: z.string(), approval: z.boolean() })),
  /** Last activity (ms since epoch), for ordering beside chats. */
  updatedAt: z.number(),
  /** Self-destruct timer for new messages, seconds (0: off). Only owners and admins change it. */
  timer: z.number().int().nonnegative(),
  /** The composer's unsent text (kept across restarts). */
  draft: z.string(),
});
export type GroupView = z.infer<typeof groupView>;

export const groupMemberView = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: groupRoleView,
  isMe: z.boolean(),
  /** This member's identity key changed (as in 1:1 chats). */
  keyChanged: z.boolean(),
});
export type GroupMemberView = z.infer<typeof groupMemberView>;

export const groupRequests = {
  'groups.list': { input: z.object({}).default({}), output: z.object({ groups: z.array(groupView) }) },
  'groups.create': {
    input: z.object({ name: groupNameInput, memberIds: z.array(userIdInput).max(999) }),
    output: groupView,
  },
  'groups.addMembers': {
    input: z.object({ groupId: groupIdInput, userIds: z.array(userIdInput).min(1).max(999) }),
    output: groupView,
  },
  'groups.removeMember': { input: z.object({ groupId: groupIdInput, userId: userIdInput }), output: groupView },
  'groups.leave': { input: z.object({ groupId: groupIdInput }), output: groupView },
  /** Owner only: make a member an admin, or an admin a member. */
  'groups.setRole': {
    input: z.object({ groupId: groupIdInput, userId: userIdInput, role: z.enum(['admin', 'member']) }),
    output: groupView,
  },
  'groups.rename': { input: z.object({ groupId: groupIdInput, name: groupNameInput }), output: groupView },
  'groups.createInvite': {
    input: z.object({ groupId: groupIdInput, approval: z.boolean().default(false) }),
    output: z.object({ link: z.string(), token: z.string() }),
  },
  'groups.revokeInvite': { input: z.object({ groupId: groupIdInput, token: inviteTokenInput }), output: groupView },
  /** Join through an invite link (or its bare token); an approval link waits for an admin. */
  'groups.joinByInvite': {
    input: z.object({ link: z.string().trim().min(1).max(256) }),
    output: z.object({ status: z.enum(['joined', 'pending']), group: groupView.nullable() }),
  },
  /** Admins: admit a user who asked to join through an approval link. */
  'groups.approve': { input: z.object({ groupId: groupIdInput, userId: userIdInput }), output: groupView },
  'groups.members': {
    input: z.object({ groupId: groupIdInput }),
    output: z.object({ members: z.array(groupMemberView), pending: z.array(groupMemberView) }),
  },
  'groups.history': {
    input: z.object({ groupId: groupIdInput, beforeLocalId: z.number().int().optional() }),
    output: z.object({ messages: z.array(groupMessageView), hasMore: z.boolean() }),
  },
  'groups.send': {
    input: z.object({ groupId: groupIdInput, text: groupTextInput, replyTo: messageIdInput.optional() }),
    output: groupMessageView,
  },
  /**
   * The user has seen the group (up to and including `upToId`, or everything): clears unread
   * (messages after upToId stay unread) and starts the countdown of timed messages seen.
   */
  'groups.markRead': {
    input: z.object({ groupId: groupIdInput, upToId: messageIdInput.optional() }),
    output: groupView,
  },
  /** Change the text of one of our own messages; members see it marked edited. */
  'groups.edit': {
    input: z.object({ groupId: groupIdInput, messageId: messageIdInput, text: groupTextInput }),
    output: groupMessageView,
  },
  /** Remove a message from this device only. */
  'groups.deleteForMe': { input: z.object({ groupId: groupIdInput, messageId: messageIdInput }), output: z.object({}) },
  /** Remove a message for every member: our own, or (owners and admins) anyone's. */
  'groups.deleteForEveryone': {
    input: z.object({ groupId: groupIdInput, messageId: messageIdInput }),
    output: z.object({}),
  },
  /** React to a message ('' takes our reaction back). */
  'groups.react': {
    input: z.object({ groupId: groupIdInput, messageId: messageIdInput, emoji: reactionInput }),
    output: groupMessageView,
  },
  /** Owners and admins: the group's self-destruct timer for new messages (announced in the group). */
  'groups.setTimer': { input: z.object({ groupId: groupIdInput, seconds: timerInput }), output: groupView },
  /** Keep the composer's unsent text for this group (across restarts). */
  'groups.saveDraft': {
    input: z.object({ groupId: groupIdInput, draft: z.string().max(16_000) }),
    output: z.object({}),
  },
  /** The user is typing (best effort, online only, at most once per 3 s; never stored). */
  'groups.typing': { input: z.object({ groupId: groupIdInput }), output: z.object({ sent: z.boolean() }) },
  /**
   * Send a copy of a message (not a self-destructing one) from a chat or group to a chat or
   * group; at least one of the two is a group (1:1 → 1:1 is messages.forward). The copy is
   * marked forwarded; it appears through message.added / group.message.
   */
  'groups.forward': {
    input: z
      .object({
        fromChatId: chatIdInput.optional(),
        fromGroupId: groupIdInput.optional(),
        messageId: messageIdInput,
        toChatId: chatIdInput.optional(),
        toGroupId: groupIdInput.optional(),
      })
      .refine((v) => (v.fromChatId === undefined) !== (v.fromGroupId === undefined), {
        message: 'exactly one of fromChatId, fromGroupId',
      })
      .refine((v) => (v.toChatId === undefined) !== (v.toGroupId === undefined), {
        message: 'exactly one of toChatId, toGroupId',
      })
      .refine((v) => v.fromGroupId !== undefined || v.toGroupId !== undefined, {
        message: 'between 1:1 chats use messages.forward',
      }),
    output: z.object({}),
  },
} as const;

export const groupEvents = {
  /** A group's summary changed (message, unread, members, name, removal). */
  'group.updated': groupView,
  /** A group line appeared or changed (message received or sent, status, system line, edit, reaction, countdown). */
  'group.message': groupMessageView,
  /** A group line is gone (expired, deleted for me, or deleted for everyone): drop it everywhere. */
  'group.messageRemoved': z.object({ groupId: z.string(), id: z.string() }),
  /** A member is typing in this group (shown for a few seconds). */
  'group.typing': z.object({ groupId: z.string(), userId: z.string(), name: z.string() }),
} as const;
