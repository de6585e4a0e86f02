/**
 * Private groups on the relay wire. Group messages are end-to-end encrypted with Sender Keys
 * (electron/core/crypto/senderKeys): the relay stores each message ONCE as opaque ciphertext
 * with a per-group sequence number, plus one delivery cursor per member — never a copy per
 * member — and delivers it to members only.
 *
 * Membership and roles are authoritative on the relay (it must know who may receive), but
 * every change is a signed record: the acting user's identity key (Ed25519) signs
 * `groupChangeSignedBytes(change)`, which covers the group id, a membership version that
 * goes up by exactly one per change, the action and its arguments, and the SHA-256 of the
 * member list after the change (`groupMemberListBytes`). The relay verifies the signature
 * and the actor's rights before applying a change, and keeps the signed log (`gLog`), so a
 * client can replay it from version 1 and detect a relay that forges or hides a change.
 * The one unsigned kind is `join` through an open invite link: the relay records it for the
 * joiner (the link itself was created by a signed `invite` change). A group that must not
 * let the relay admit anyone uses approval links: the join then needs an admin's signed `add`.
 *
 * Roles: the creator is `owner`; only the owner promotes or demotes admins and removes an
 * admin; owner and admins (`admin`) add and remove members, rename the group, create and
 * revoke invite links and approve join requests; every member but the owner can leave.
 *
 * This module imports nothing from frames.ts (frames.ts imports it to build the unions).
 */
import { z } from 'zod';

/** The acting user's identity key signs `context || canonical change` (see groupChangeSignedBytes). */
export const GROUP_CHANGE_SIG_CONTEXT = 'parley-group-change-v1';
/** The member list hash is SHA-256 over `context || canonical member list` (see groupMemberListBytes). */
export const GROUP_MEMBERS_HASH_CONTEXT = 'parley-group-members-v1';

export const GROUP_LIMITS = {
  /** Members of one group, owner included. */
  maxMembers: 1000,
  maxNameChars: 128,
  /** Signed changes in one gChanges answer. */
  maxLogBatch: 200,
  /** Messages pushed per group per catch-up round (the client acks, the relay pushes more). */
  maxSyncBatch: 256,
  /** Open join requests per group. */
  maxPendingJoins: 100,
  /**
   * Messages kept per group for members who have not acknowledged them. Beyond this the oldest
   * is deleted even if a member never came back for it: that member sees a gap in `seq`.
   */
  maxBacklog: 10_000,
  /** Groups in one gListed answer (a user in more sees the first ones, by group id). */
  maxGroupsListed: 5_000,
} as const;

const reqId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const bytes = (exact?: number, max?: number) => {
  let schema = z.instanceof(Uint8Array);
  if (exact !== undefined) schema = schema.refine((b) => b.byteLength === exact, `expected ${exact} bytes`);
  if (max !== undefined) schema = schema.refine((b) => b.byteLength <= max, `at most ${max} bytes`);
  return schema;
};
const userId = z.string().regex(/^u_[A-Za-z0-9_-]{22}$/);
const msgId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** Body limit of a group message: the same as a 1:1 body (LIMITS.maxBodyBytes). */
const MAX_GROUP_BODY_BYTES = 192 * 1024;

/** Client-chosen (so the creator can sign the first change): `g_` + 22 base64url characters (16 random bytes). */
export const groupIdSchema = z.string().regex(/^g_[A-Za-z0-9_-]{22}$/);
/** Invite link token, client-chosen: 32 base64url characters (24 random bytes). */
export const groupInviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);
/** Not trimmed by the parser (the name is signed as sent): leading or trailing whitespace is refused instead. */
export const groupNameSchema = z
  .string()
  .min(1)
  .max(GROUP_LIMITS.maxNameChars)
  .refine((name) => name.trim() === name, 'no leading or trailing whitespace');
export const groupRoleSchema = z.enum(['owner', 'admin', 'member']);
export type GroupRole = z.infer<typeof groupRoleSchema>;
export const groupActionSchema = z.enum([
  'create',
  'add',
  'remove',
  'leave',
  'promote',
  'demote',
  'rename',
  'invite',
  'revoke',
  'join',
]);
export type GroupAction = z.infer<typeof groupActionSchema>;

export const groupMemberWire = z.object({ userId, role: groupRoleSchema });
export type GroupMemberWire = z.infer<typeof groupMemberWire>;

/**
 * One signed membership change. Which fields an action uses:
 *   create   targets = the other initial members (the actor becomes owner); name
 *   add      targets = users to add (also how an admin approves a join request)
 *   remove   targets = members to remove
 *   leave    targets = [actor]
 *   promote  targets = members to make admins;  demote  targets = admins to make members
 *   rename   name
 *   invite   invite = { token, approval }   (a new invite link)
 *   revoke   invite = { token, approval }   (the link to revoke, as created)
 *   join     targets = [actor]; invite = the link used; sig = null (recorded by the relay)
 * Unused fields are [] / null. `version` is the group's version after this change (create: 1).
 */
export const groupChangeWire = z.object({
  gid: groupIdSchema,
  version: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  action: groupActionSchema,
  actor: userId,
  targets: z.array(userId).max(GROUP_LIMITS.maxMembers),
  name: groupNameSchema.nullable(),
  invite: z.object({ token: groupInviteTokenSchema, approval: z.boolean() }).nullable(),
  /** SHA-256 of groupMemberListBytes(member list after the change). */
  memberHash: bytes(32),
  sig: bytes(64).nullable(),
  /** Relay commit time (ms); 0 in a request (not signed). */
  ts: z.number().int().nonnegative(),
});
export type GroupChangeWire = z.infer<typeof groupChangeWire>;

export const groupStateWire = z.object({
  gid: groupIdSchema,
  name: groupNameSchema,
  version: z.number().int().positive(),
  members: z.array(groupMemberWire).max(GROUP_LIMITS.maxMembers),
  /** Live invite links (all members see them; only admins can use them to approve). */
  invites: z.array(z.object({ token: groupInviteTokenSchema, approval: z.boolean() })),
  /** Users waiting for approval (shown to admins; empty for other members). */
  pending: z.array(userId).max(GROUP_LIMITS.maxPendingJoins),
  /** Sequence number of the group's latest message (0 if none). */
  head: z.number().int().nonnegative(),
});
export type GroupStateWire = z.infer<typeof groupStateWire>;

// ---------------------------------------------------------------- client → relay

/** Create a group: a signed `create` change (version 1). Answered by gState. */
export const gCreateFrame = z.object({ t: z.literal('gCreate'), id: reqId, change: groupChangeWire });
/** Any other signed change (not create, not join). Answered by gState. */
export const gChangeFrame = z.object({ t: z.literal('gChange'), id: reqId, change: groupChangeWire });
/** Join through an invite link. Answered by gState (open link) or gJoinPending (approval link). */
export const gJoinFrame = z.object({ t: z.literal('gJoin'), id: reqId, token: groupInviteTokenSchema });
/** The group's current state (members only). Answered by gState. */
export const gInfoFrame = z.object({ t: z.literal('gInfo'), id: reqId, gid: groupIdSchema });
/** Signed changes with version > after, oldest first (members only). Answered by gChanges. */
export const gLogFrame = z.object({
  t: z.literal('gLog'),
  id: reqId,
  gid: groupIdSchema,
  after: z.number().int().nonnegative(),
});
/** One Sender Keys message, stored once for the whole group. Answered by gSent after the commit. */
export const gSendFrame = z.object({
  t: z.literal('gSend'),
  id: reqId,
  gid: groupIdSchema,
  msgId,
  body: bytes(undefined, MAX_GROUP_BODY_BYTES),
  /**
   * Self-destructing message: the relay never delivers it at or after this time (ms since
   * epoch) and deletes it then, delivered or not. It learns only that the message is timed
   * and an upper bound of its timer.
   */
  purgeAt: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
/**
 * Ephemeral "typing" signal: pushed as gTyping to the group's other members that are online
 * now, never stored, never delivered later. Carries no content. Answered by ok; refused with
 * not_group_member for non-members.
 */
export const gTypingFrame = z.object({ t: z.literal('gTyping'), id: reqId, gid: groupIdSchema });
/**
 * The groups this user is a member of, with their versions (after a login: groups it was
 * added to, or changes it missed, while offline). Answered by gListed.
 */
export const gListFrame = z.object({ t: z.literal('gList'), id: reqId });
/** Start (or resume) delivery of group messages after this member's cursors. Answered by ok. */
export const gSyncFrame = z.object({ t: z.literal('gSync'), id: reqId });
/** Cumulative: every message of the group up to `seq` is committed by the client. Answered by ok. */
export const gAckFrame = z.object({
  t: z.literal('gAck'),
  id: reqId,
  gid: groupIdSchema,
  seq: z.number().int().positive(),
});

export const groupClientFrames = [
  gCreateFrame,
  gChangeFrame,
  gJoinFrame,
  gInfoFrame,
  gLogFrame,
  gSendFrame,
  gSyncFrame,
  gAckFrame,
  gTypingFrame,
  gListFrame,
] as const;
export type GroupClientFrame = z.infer<(typeof groupClientFrames)[number]>;
export const GROUP_CLIENT_FRAME_TYPES: ReadonlySet<string> = new Set(
  groupClientFrames.map((schema) => schema.shape.t.value),
);
export function isGroupClientFrame<F extends { t: string }>(frame: F): frame is Extract<F, GroupClientFrame> {
  return GROUP_CLIENT_FRAME_TYPES.has(frame.t);
}

// ---------------------------------------------------------------- relay → client

export const gStateFrame = z.object({ t: z.literal('gState'), re: reqId, group: groupStateWire });
export const gJoinPendingFrame = z.object({ t: z.literal('gJoinPending'), re: reqId, gid: groupIdSchema });
export const gChangesFrame = z.object({
  t: z.literal('gChanges'),
  re: reqId,
  gid: groupIdSchema,
  changes: z.array(groupChangeWire).max(GROUP_LIMITS.maxLogBatch),
});
export const gSentFrame = z.object({
  t: z.literal('gSent'),
  re: reqId,
  gid: groupIdSchema,
  msgId,
  seq: z.number().int().positive(),
  ts: z.number(),
  duplicate: z.boolean(),
});
export const gListedFrame = z.object({
  t: z.literal('gListed'),
  re: reqId,
  groups: z
    .array(z.object({ gid: groupIdSchema, version: z.number().int().positive() }))
    .max(GROUP_LIMITS.maxGroupsListed),
});
/** Push: one group message, in per-group sequence order. */
export const gMsgFrame = z.object({
  t: z.literal('gMsg'),
  gid: groupIdSchema,
  seq: z.number().int().positive(),
  from: userId,
  msgId,
  ts: z.number(),
  body: bytes(undefined, MAX_GROUP_BODY_BYTES),
  /**
   * The group's membership version when the relay stored it: receivers check the sender's role
   * as it was then, not as it is when they process the message.
   */
  version: z.number().int().positive().optional(),
});
/** Push: a change was applied (to every member after it, and to removed/leaving members). Rotate sender keys on membership changes. */
export const gChangedFrame = z.object({ t: z.literal('gChanged'), change: groupChangeWire });
/** Push to the group's admins: a user asks to join through an approval link. */
export const gJoinRequestFrame = z.object({ t: z.literal('gJoinReq'), gid: groupIdSchema, userId });
/** Push to online members: `from` is typing in the group (ephemeral; see gTypingFrame). */
export const gTypingPushFrame = z.object({ t: z.literal('gTyping'), gid: groupIdSchema, from: userId });

export const groupServerFrames = [
  gStateFrame,
  gJoinPendingFrame,
  gChangesFrame,
  gSentFrame,
  gMsgFrame,
  gChangedFrame,
  gJoinRequestFrame,
  gTypingPushFrame,
  gListedFrame,
] as const;
export type GroupServerFrame = z.infer<(typeof groupServerFrames)[number]>;

// ---------------------------------------------------------------- signed bytes

/** UTF-8 of a string (well-formed; lone surrogates become U+FFFD, as TextEncoder does). shared/ has no TextEncoder type. */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let cp = char.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
const u8 = (value: number) => Uint8Array.of(value);
function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}
function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}
const lp = (text: string) => {
  const b = utf8(text);
  return concat([u32(b.byteLength), b]);
};
const ROLE_CODE: Record<GroupRole, number> = { owner: 0, admin: 1, member: 2 };

/** Members sorted by user id (code-unit order), so every party hashes the same list the same way. */
export function sortMembers(members: readonly GroupMemberWire[]): GroupMemberWire[] {
  return [...members].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** `utf8(GROUP_MEMBERS_HASH_CONTEXT) || u32 count || (lp(userId) || u8 role)*` over sortMembers(members). Hash with SHA-256. */
export function groupMemberListBytes(members: readonly GroupMemberWire[]): Uint8Array {
  const sorted = sortMembers(members);
  return concat([
    utf8(GROUP_MEMBERS_HASH_CONTEXT),
    u32(sorted.length),
    ...sorted.map((m) => concat([lp(m.userId), u8(ROLE_CODE[m.role])])),
  ]);
}

/**
 * What the actor signs (everything but `sig` and `ts`):
 *
 *   utf8(GROUP_CHANGE_SIG_CONTEXT) || lp(gid) || u64 version || lp(action) || lp(actor)
 *   || u32 #targets || lp(target)* || opt(lp(name)) || opt(lp(token) || u8 approval) || memberHash
 *
 * where lp(s) = u32be(byte length) || utf8(s) and opt(x) = u8 0 | u8 1 || x. Targets are
 * signed in the order given.
 */
export function groupChangeSignedBytes(change: Omit<GroupChangeWire, 'sig' | 'ts'>): Uint8Array {
  return concat([
    utf8(GROUP_CHANGE_SIG_CONTEXT),
    lp(change.gid),
    u64(change.version),
    lp(change.action),
    lp(change.actor),
    u32(change.targets.length),
    ...change.targets.map(lp),
    change.name === null ? u8(0) : concat([u8(1), lp(change.name)]),
    change.invite === null ? u8(0) : concat([u8(1), lp(change.invite.token), u8(change.invite.approval ? 1 : 0)]),
    change.memberHash,
  ]);
}
