/**
 * Channels on the relay wire: broadcast to large audiences. Channels are NOT end-to-end
 * encrypted: posts are plaintext (UTF-8) the relay can read, signed so that nobody — the
 * relay included — can forge one.
 *
 * Keys and signatures (Ed25519, each message starting with its own context string):
 * - the channel key: made by the owner's client when creating the channel; its secret half
 *   never leaves the owner's core. Its only job is to certify admins.
 * - an admin certificate: the channel key over
 *   `CHANNEL_ADMIN_CERT_CONTEXT || channelKey || adminIdentityKey`. The owner holds one
 *   (a self-cert made at creation), every added admin one more.
 * - a revocation (an admin removed): the channel key over
 *   `CHANNEL_REVOKE_SIG_CONTEXT || channelKey || adminIdentityKey`. The relay stores it with
 *   `after`, the channel's head when it took effect: revisions that key signed with
 *   cseq ≤ after stay valid, later ones are refused by the relay and dropped by clients.
 * - a post signature: the posting admin's identity key over
 *   `CHANNEL_POST_SIG_CONTEXT || channelKey || ascii(postId) || u32be(rev) || u8(deleted) || body`.
 *   rev 0 is the original post, each edit or deletion takes a higher rev; a deletion signs
 *   an empty body with deleted = 1. Every post carries its signer's key and certificate, so
 *   a client verifies any post with nothing but the channel key.
 *
 * Sequence numbers: a channel has one counter (`head`). Creating, editing or deleting a post
 * takes the next number. A post keeps the number it was created with (`seq`, its place in the
 * history) and records the number of its latest change (`cseq`). "Everything after N" is
 * every post whose cseq > N, in cseq order; a client that has applied everything up to N
 * expects the next live push to carry cseq N + 1 and catches up by request otherwise.
 *
 * This module imports nothing from frames.ts (frames.ts imports it to build the unions).
 */
import { z } from 'zod';

/** Admin delegation: channel key signs `context || channelKey || adminIdentityKey`. */
export const CHANNEL_ADMIN_CERT_CONTEXT = 'parley-chan-admin-v1';
/** Admin removal: channel key signs `context || channelKey || adminIdentityKey`. */
export const CHANNEL_REVOKE_SIG_CONTEXT = 'parley-chan-revoke-v1';
/** Post / edit / delete: admin identity key signs `context || channelKey || postId || u32be(rev) || u8(deleted) || body`. */
export const CHANNEL_POST_SIG_CONTEXT = 'parley-chan-post-v1';

export const CHANNEL_LIMITS = {
  /** Largest post body (UTF-8 bytes). Larger ones are refused with post_too_large. */
  maxPostBytes: 16 * 1024,
  maxTitleChars: 128,
  maxDescriptionChars: 1024,
  maxAvatarBytes: 64 * 1024,
  /** Channels named in one chanSync request. */
  maxSyncChannels: 500,
  /** Posts in one chanBatch answer (all channels together). */
  maxPostsPerPage: 256,
  /** Posts in one chanPosts answer (history or preview). */
  maxHistoryPage: 100,
  /** Search results per query. */
  maxSearchResults: 20,
  /** Post seqs reported or queried in one chanViews request. */
  maxViewSeqs: 200,
  /** Admins per channel (owner included). */
  maxAdmins: 50,
  /** Revocations (removed admins' keys) a channel keeps; every channel info carries them. */
  maxRevocations: 200,
} as const;

const reqId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const seqNumber = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const bin = (exact?: number, max?: number) => {
  let schema = z.instanceof(Uint8Array);
  if (exact !== undefined) schema = schema.refine((b) => b.byteLength === exact, `expected ${exact} bytes`);
  if (max !== undefined) schema = schema.refine((b) => b.byteLength <= max, `at most ${max} bytes`);
  return schema;
};
const userId = z.string().regex(/^u_[A-Za-z0-9_-]{22}$/);

/** Relay-assigned channel id: `c_` + 22 base64url characters. */
export const channelIdSchema = z.string().regex(/^c_[A-Za-z0-9_-]{22}$/);
/** A public channel's `@handle` without the `@`: the same rules as usernames. */
export const channelHandleSchema = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _; starts with a letter');
/** Client-chosen post id (a UUID, lower-case hex): the relay de-duplicates on (channel, postId). */
export const postIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** Invite link token: 32 base64url characters (24 random bytes). */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);
export const channelTitleSchema = z.string().trim().min(1).max(CHANNEL_LIMITS.maxTitleChars);
export const channelDescriptionSchema = z.string().max(CHANNEL_LIMITS.maxDescriptionChars);
export const channelRoleSchema = z.enum(['owner', 'admin', 'subscriber', 'none']);
export type ChannelRole = z.infer<typeof channelRoleSchema>;

/** A post as the relay stores and sends it (its latest revision). */
export const channelPostWire = z.object({
  postId: postIdSchema,
  /** Place in the channel's history (the head number taken when it was created). */
  seq: seqNumber,
  /** The head number taken by its latest change (creation, edit or deletion). */
  cseq: seqNumber,
  rev: z.number().int().nonnegative().max(0xffffffff),
  deleted: z.boolean(),
  /** UTF-8 text; empty when deleted. Checked against CHANNEL_LIMITS.maxPostBytes by the relay. */
  body: bin(),
  /** Relay commit time of the original post, ms since epoch. */
  ts: z.number(),
  /** Relay commit time of the latest edit, when edited. */
  editedAt: z.number().optional(),
  /** Identity key of the admin who signed this revision. */
  author: bin(32),
  /** The channel key's certificate for `author`. */
  cert: bin(64),
  /** `author`'s signature of this revision. */
  sig: bin(64),
  /** Aggregated view count (absent in live pushes). */
  views: z.number().int().nonnegative().optional(),
});
export type ChannelPostWire = z.infer<typeof channelPostWire>;

/**
 * A removed admin's key, signed by the channel key. `after` is the channel's head when the
 * removal committed (the relay's number, like seq): that key's revisions with cseq ≤ after
 * stay valid, any later one is forged or stale and is dropped.
 */
export const channelRevocationWire = z.object({
  identityKey: bin(32),
  after: seqNumber,
  sig: bin(64),
});
export type ChannelRevocationWire = z.infer<typeof channelRevocationWire>;

/** What search results show. */
export const channelSummaryWire = z.object({
  channelId: channelIdSchema,
  channelKey: bin(32),
  handle: channelHandleSchema.nullable(),
  title: z.string(),
  description: z.string(),
  isPublic: z.boolean(),
  subscribers: z.number().int().nonnegative(),
  /** The channel has an avatar (the bytes come with its info: chanHistory / chanSub). */
  hasAvatar: z.boolean().optional(),
});
export type ChannelSummaryWire = z.infer<typeof channelSummaryWire>;

/** A channel as one user sees it. */
export const channelInfoWire = channelSummaryWire.extend({
  avatar: bin(undefined, CHANNEL_LIMITS.maxAvatarBytes).nullable(),
  ownerId: userId,
  /** Last sequence number taken. */
  head: seqNumber,
  pinned: postIdSchema.nullable(),
  role: channelRoleSchema,
  /** For owner and admins: their certificate, to attach to their posts. */
  myCert: bin(64).optional(),
  /**
   * Bumped by every change of the channel's info that is not a post (avatar, admins): a
   * client holding a lower number re-reads the info. Absent from relays before it existed.
   */
  infoRev: seqNumber.optional(),
  /** Removed admins' keys (see channelRevocationWire); absent means none. */
  revoked: z.array(channelRevocationWire).max(CHANNEL_LIMITS.maxRevocations).optional(),
});
export type ChannelInfoWire = z.infer<typeof channelInfoWire>;

// ---------------------------------------------------------------- client → relay

/** Create a channel. The signed-in user becomes its owner; `ownerCert` certifies their identity key. */
export const chanCreateFrame = z.object({
  t: z.literal('chanCreate'),
  id: reqId,
  channelKey: bin(32),
  ownerCert: bin(64),
  title: channelTitleSchema,
  description: channelDescriptionSchema,
  /** Present for a public channel (found by search); absent for a private one (invite links). */
  handle: channelHandleSchema.optional(),
  avatar: bin(undefined, CHANNEL_LIMITS.maxAvatarBytes).optional(),
});

/** Search public channels by handle prefix or title words. Answered by `channels`. */
export const chanSearchFrame = z.object({ t: z.literal('chanSearch'), id: reqId, query: z.string().min(1).max(64) });

/**
 * The latest posts (or the page before `beforeSeq`), newest first, with the channel's info.
 * A public channel may be read by anyone (preview before subscribing); a private one only by
 * its members. Name it by id or by handle. Answered by `chanPosts`.
 */
export const chanHistoryFrame = z.object({
  t: z.literal('chanHistory'),
  id: reqId,
  channelId: channelIdSchema.optional(),
  handle: channelHandleSchema.optional(),
  beforeSeq: seqNumber.optional(),
  limit: z.number().int().min(1).max(CHANNEL_LIMITS.maxHistoryPage),
});

/** Subscribe to a public channel. Answered by `channel`. */
export const chanSubFrame = z.object({ t: z.literal('chanSub'), id: reqId, channelId: channelIdSchema });
/** Unsubscribe (the owner cannot). Answered by `ok`. */
export const chanUnsubFrame = z.object({ t: z.literal('chanUnsub'), id: reqId, channelId: channelIdSchema });
/** Join a (private or public) channel through an invite link. Answered by `channel`. */
export const chanJoinFrame = z.object({ t: z.literal('chanJoin'), id: reqId, token: inviteTokenSchema });

/** A new post by an admin. Answered by `chanPosted`; re-sending the same postId answers `duplicate`. */
export const chanPostFrame = z.object({
  t: z.literal('chanPost'),
  id: reqId,
  channelId: channelIdSchema,
  postId: postIdSchema,
  // Bounded by the frame size; the relay answers post_too_large above CHANNEL_LIMITS.maxPostBytes.
  body: bin(),
  sig: bin(64),
});

/** Edit (deleted false) or delete (deleted true, empty body) a post. `rev` must exceed the stored one. */
export const chanEditFrame = z.object({
  t: z.literal('chanEdit'),
  id: reqId,
  channelId: channelIdSchema,
  postId: postIdSchema,
  rev: z.number().int().positive().max(0xffffffff),
  deleted: z.boolean(),
  body: bin(),
  sig: bin(64),
});

/** Pin one post (or unpin with null). Admins only. Answered by `ok`; subscribers get `chanPinned`. */
export const chanPinFrame = z.object({
  t: z.literal('chanPin'),
  id: reqId,
  channelId: channelIdSchema,
  postId: postIdSchema.nullable(),
});

/**
 * Owner only: make a user an admin. `cert` is the channel key's certificate for their identity
 * key (certifying a removed admin's key again lifts its revocation). Subscribers get
 * `chanAdminChange`.
 */
export const chanAdminFrame = z.object({
  t: z.literal('chanAdmin'),
  id: reqId,
  channelId: channelIdSchema,
  userId,
  identityKey: bin(32),
  cert: bin(64),
});

/**
 * Owner only: remove an admin. `sig` is the channel key's revocation of `identityKey`, the
 * key the admin was certified for (from chanAdmins). Answered by `channel`; subscribers get
 * `chanAdminChange`. The admin stays a subscriber.
 */
export const chanUnadminFrame = z.object({
  t: z.literal('chanUnadmin'),
  id: reqId,
  channelId: channelIdSchema,
  userId,
  identityKey: bin(32),
  sig: bin(64),
});

/** Owner only: the channel's admins (owner included). Answered by `chanAdminList`. */
export const chanAdminsFrame = z.object({ t: z.literal('chanAdmins'), id: reqId, channelId: channelIdSchema });

/**
 * Owner only: change the avatar (same checks as chanCreate), or remove it with null.
 * Answered by `channel`; subscribers get `chanAvatar`.
 */
export const chanSetAvatarFrame = z.object({
  t: z.literal('chanSetAvatar'),
  id: reqId,
  channelId: channelIdSchema,
  avatar: bin(undefined, CHANNEL_LIMITS.maxAvatarBytes).nullable(),
});

/** Owner only: a new invite link token. Answered by `chanInviteToken`. */
export const chanInviteFrame = z.object({ t: z.literal('chanInvite'), id: reqId, channelId: channelIdSchema });
/** Owner only: revoke an invite link. Answered by `ok` (also when it was revoked before). */
export const chanRevokeFrame = z.object({
  t: z.literal('chanRevoke'),
  id: reqId,
  channelId: channelIdSchema,
  token: inviteTokenSchema,
});

/**
 * Catch up: for each channel, the posts changed after `after` (cseq order), in pages. Also
 * attaches this connection to live pushes of those channels (before reading, so nothing
 * falls between the page and the pushes). Answered by `chanBatch`; repeat for channels
 * answered with `more`.
 */
export const chanSyncFrame = z.object({
  t: z.literal('chanSync'),
  id: reqId,
  channels: z
    .array(z.object({ channelId: channelIdSchema, after: seqNumber }))
    .min(1)
    .max(CHANNEL_LIMITS.maxSyncChannels),
});

/**
 * Report posts seen (`seen`, counted once per connection) and ask for the view counts of
 * `query` plus the subscriber count. Answered by `chanStats`.
 */
export const chanViewsFrame = z.object({
  t: z.literal('chanViews'),
  id: reqId,
  channelId: channelIdSchema,
  seen: z.array(seqNumber).max(CHANNEL_LIMITS.maxViewSeqs),
  query: z.array(seqNumber).max(CHANNEL_LIMITS.maxViewSeqs),
});

export const channelClientFrames = [
  chanCreateFrame,
  chanSearchFrame,
  chanHistoryFrame,
  chanSubFrame,
  chanUnsubFrame,
  chanJoinFrame,
  chanPostFrame,
  chanEditFrame,
  chanPinFrame,
  chanAdminFrame,
  chanUnadminFrame,
  chanAdminsFrame,
  chanSetAvatarFrame,
  chanInviteFrame,
  chanRevokeFrame,
  chanSyncFrame,
  chanViewsFrame,
] as const;
export type ChannelClientFrame = z.infer<(typeof channelClientFrames)[number]>;
export const CHANNEL_CLIENT_FRAME_TYPES: ReadonlySet<string> = new Set(
  channelClientFrames.map((schema) => schema.shape.t.value),
);
export function isChannelClientFrame<F extends { t: string }>(frame: F): frame is Extract<F, ChannelClientFrame> {
  return CHANNEL_CLIENT_FRAME_TYPES.has(frame.t);
}

// ---------------------------------------------------------------- relay → client

/** Answer to chanCreate, chanSub, chanJoin, chanAdmin, chanUnadmin, chanSetAvatar. */
export const channelFrame = z.object({ t: z.literal('channel'), re: reqId, info: channelInfoWire });
/** Answer to chanSearch. */
export const channelsFrame = z.object({
  t: z.literal('channels'),
  re: reqId,
  channels: z.array(channelSummaryWire).max(50),
});
/** Answer to chanHistory: newest first. */
export const chanPostsFrame = z.object({
  t: z.literal('chanPosts'),
  re: reqId,
  info: channelInfoWire,
  posts: z.array(channelPostWire).max(CHANNEL_LIMITS.maxHistoryPage),
});
/** Answer to chanPost / chanEdit: committed. */
export const chanPostedFrame = z.object({
  t: z.literal('chanPosted'),
  re: reqId,
  channelId: channelIdSchema,
  postId: postIdSchema,
  seq: seqNumber,
  cseq: seqNumber,
  ts: z.number(),
  duplicate: z.boolean(),
});
/** Answer to chanInvite. */
export const chanInviteTokenFrame = z.object({
  t: z.literal('chanInviteToken'),
  re: reqId,
  channelId: channelIdSchema,
  token: inviteTokenSchema,
});
/** Answer to chanSync: one entry per requested channel. */
export const chanBatchFrame = z.object({
  t: z.literal('chanBatch'),
  re: reqId,
  channels: z
    .array(
      z.object({
        channelId: channelIdSchema,
        /** unknown_channel: no such channel (deleted); not_member: this user is not subscribed. */
        status: z.enum(['ok', 'unknown_channel', 'not_member']),
        head: seqNumber,
        pinned: postIdSchema.nullable(),
        posts: z.array(channelPostWire).max(CHANNEL_LIMITS.maxPostsPerPage),
        /** More changes after the last one here: ask again with `after` = its cseq. */
        more: z.boolean(),
        /** The channel's info revision (channelInfoWire.infoRev): re-read the info when it is newer. */
        infoRev: seqNumber.optional(),
      }),
    )
    .max(CHANNEL_LIMITS.maxSyncChannels),
});
/** Answer to chanViews. */
export const chanStatsFrame = z.object({
  t: z.literal('chanStats'),
  re: reqId,
  channelId: channelIdSchema,
  subscribers: z.number().int().nonnegative(),
  views: z.array(z.object({ seq: seqNumber, views: z.number().int().nonnegative() })).max(CHANNEL_LIMITS.maxViewSeqs),
});
/** Answer to chanAdmins: the owner first. */
export const chanAdminListFrame = z.object({
  t: z.literal('chanAdminList'),
  re: reqId,
  channelId: channelIdSchema,
  admins: z
    .array(
      z.object({
        userId,
        username: z.string(),
        displayName: z.string(),
        /** The identity key the admin is certified for (what a revocation names). */
        identityKey: bin(32),
        owner: z.boolean(),
      }),
    )
    .max(CHANNEL_LIMITS.maxAdmins),
});
/** Push: a post was created, edited or deleted. Serialized once for every online subscriber. */
export const chanPushFrame = z.object({ t: z.literal('chanPush'), channelId: channelIdSchema, post: channelPostWire });
/** Push: the pinned post changed. */
export const chanPinnedFrame = z.object({
  t: z.literal('chanPinned'),
  channelId: channelIdSchema,
  pinned: postIdSchema.nullable(),
});
/**
 * Push: the owner changed (or removed, null) the avatar. `infoRev` is the info revision it
 * made: a client whose revision is not exactly one below re-reads the info instead.
 */
export const chanAvatarFrame = z.object({
  t: z.literal('chanAvatar'),
  channelId: channelIdSchema,
  infoRev: seqNumber,
  avatar: bin(undefined, CHANNEL_LIMITS.maxAvatarBytes).nullable(),
});
/**
 * Push: an admin was added or removed (`userId`); `revoked` is the channel's whole
 * revocation list after the change. The named user's client re-reads its own role.
 */
export const chanAdminChangeFrame = z.object({
  t: z.literal('chanAdminChange'),
  channelId: channelIdSchema,
  infoRev: seqNumber,
  userId,
  revoked: z.array(channelRevocationWire).max(CHANNEL_LIMITS.maxRevocations),
});
/**
 * Push: this connection read too slowly and pushes of these channels were skipped; catch up
 * with chanSync from the last cseq applied.
 */
export const chanResyncFrame = z.object({
  t: z.literal('chanResync'),
  channelIds: z.array(channelIdSchema).max(CHANNEL_LIMITS.maxSyncChannels),
});

export const channelServerFrames = [
  channelFrame,
  channelsFrame,
  chanPostsFrame,
  chanPostedFrame,
  chanInviteTokenFrame,
  chanBatchFrame,
  chanStatsFrame,
  chanAdminListFrame,
  chanPushFrame,
  chanPinnedFrame,
  chanAvatarFrame,
  chanAdminChangeFrame,
  chanResyncFrame,
] as const;
export type ChannelServerFrame = z.infer<(typeof channelServerFrames)[number]>;

// ---------------------------------------------------------------- signed messages

/** `ascii(context) || parts…` (the context strings and post ids are ASCII). */
function concatWithContext(context: string, ...parts: Uint8Array[]): Uint8Array {
  const total = context.length + parts.reduce((n, part) => n + part.byteLength, 0);
  const out = new Uint8Array(total);
  for (let i = 0; i < context.length; i++) out[i] = context.charCodeAt(i);
  let offset = context.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError('expected ASCII');
    out[i] = code;
  }
  return out;
}

/** The image types a channel avatar may be, told by their magic bytes (null: none of them). */
export function channelAvatarType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | 'image/webp' | null {
  const has = (text: string, at: number) =>
    bytes.byteLength >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
  if (has('\x89PNG\r\n\x1a\n', 0)) return 'image/png';
  if (has('\xff\xd8\xff', 0)) return 'image/jpeg';
  if (has('RIFF', 0) && has('WEBP', 8)) return 'image/webp';
  return null;
}

/** What the channel key signs to make `adminIdentityKey` an admin. */
export function channelAdminCertMessage(channelKey: Uint8Array, adminIdentityKey: Uint8Array): Uint8Array {
  return concatWithContext(CHANNEL_ADMIN_CERT_CONTEXT, channelKey, adminIdentityKey);
}

/** What the channel key signs to remove the admin certified for `adminIdentityKey`. */
export function channelRevocationMessage(channelKey: Uint8Array, adminIdentityKey: Uint8Array): Uint8Array {
  return concatWithContext(CHANNEL_REVOKE_SIG_CONTEXT, channelKey, adminIdentityKey);
}

export interface ChannelPostSigned {
  readonly postId: string;
  readonly rev: number;
  readonly deleted: boolean;
  readonly body: Uint8Array;
}

/** What an admin's identity key signs for one revision of a post. */
export function channelPostMessage(channelKey: Uint8Array, post: ChannelPostSigned): Uint8Array {
  if (!Number.isInteger(post.rev) || post.rev < 0 || post.rev > 0xffffffff) throw new RangeError('rev is not a u32');
  const header = new Uint8Array(5);
  header[0] = (post.rev >>> 24) & 0xff;
  header[1] = (post.rev >>> 16) & 0xff;
  header[2] = (post.rev >>> 8) & 0xff;
  header[3] = post.rev & 0xff;
  header[4] = post.deleted ? 1 : 0;
  return concatWithContext(CHANNEL_POST_SIG_CONTEXT, channelKey, ascii(post.postId), header, post.body);
}
