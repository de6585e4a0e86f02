/**
 * The channel part of the IPC contract (merged into `requests` and `events` in contract.ts).
 * Channels are not end-to-end encrypted: views say so with `encrypted: false`. No view
 * carries key material; the channel's secret key stays in the core.
 */
import { z } from 'zod';

const channelIdInput = z.string().regex(/^c_[A-Za-z0-9_-]{22}$/, 'not a channel id');
const userIdInput = z.string().regex(/^u_[A-Za-z0-9_-]{22}$/, 'not a user id');
const postIdInput = z.string().regex(/^[0-9a-f-]{36}$/, 'not a post id');
export const channelHandleInput = z
  .string()
  .trim()
  .transform((s) => s.replace(/^@/, '').toLowerCase())
  .pipe(
    z
      .string()
      .min(3, 'at least 3 characters')
      .max(32, 'at most 32 characters')
      .regex(/^[a-z][a-z0-9_]*$/, 'letters, digits and _, starting with a letter'),
  );
/**
 * A channel avatar as base64 (host mode carries the contract as JSON text, which has no
 * bytes). The core checks the decoded bytes: at most CHANNEL_LIMITS.maxAvatarBytes (64 KiB),
 * a PNG, JPEG or WebP.
 */
export const CHANNEL_AVATAR_MAX_BASE64 = Math.ceil((64 * 1024) / 3) * 4;
const avatarBase64 = z
  .string()
  .min(1, 'empty avatar')
  .max(CHANNEL_AVATAR_MAX_BASE64, 'the avatar is larger than 64 KiB')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'the avatar is not base64');
const postTextInput = z
  .string()
  .max(4_000, 'post too long')
  .refine((s) => s.trim().length > 0, 'post is empty');

export const channelRoleView = z.enum(['owner', 'admin', 'subscriber', 'none']);

export const channelView = z.object({
  /** The relay's channel id (`c_…`). */
  id: z.string(),
  kind: z.literal('channel'),
  title: z.string(),
  description: z.string(),
  /** Public channels have a handle (found by search); private ones are joined by invite link. */
  handle: z.string().nullable(),
  isPublic: z.boolean(),
  role: channelRoleView,
  /** Owner and admins may post; everyone else reads. */
  canPost: z.boolean(),
  subscribers: z.number().int().nonnegative(),
  /** Whether this profile is subscribed (false for a preview). */
  subscribed: z.boolean(),
  muted: z.boolean(),
  unread: z.number().int().nonnegative(),
  pinnedPostId: z.string().nullable(),
  /** Present when the channel has an avatar: changes with its bytes (fetch them with channels.avatar). */
  avatarId: z.string().optional(),
  /** Last activity (ms since epoch), for ordering beside chats. */
  updatedAt: z.number(),
  lastPostText: z.string().optional(),
  /** Always false: channel posts are signed, not end-to-end encrypted. */
  encrypted: z.literal(false),
});
export type ChannelView = z.infer<typeof channelView>;

export const channelPostView = z.object({
  id: z.string(),
  channelId: z.string(),
  seq: z.number().int(),
  text: z.string(),
  /** Relay time of the post, ms since epoch. */
  postedAt: z.number(),
  editedAt: z.number().optional(),
  views: z.number().int().nonnegative(),
  /** Signature checked by this core against the channel key (forged posts never get here). */
  verified: z.literal(true),
});
export type ChannelPostView = z.infer<typeof channelPostView>;

export const channelSummaryView = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  handle: z.string().nullable(),
  subscribers: z.number().int().nonnegative(),
  subscribed: z.boolean(),
  /** The channel has an avatar (fetch it with channels.avatar). */
  hasAvatar: z.boolean().optional(),
});
export type ChannelSummaryView = z.infer<typeof channelSummaryView>;

/** One admin in the owner's list (the owner included, first). */
export const channelAdminView = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  isOwner: z.boolean(),
});
export type ChannelAdminView = z.infer<typeof channelAdminView>;

export const channelRequests = {
  /** Channels this profile is subscribed to (or owns), newest activity first. */
  'channels.list': {
    input: z.object({}),
    output: z.object({ channels: z.array(channelView) }),
  },
  /** Create a channel: public with a unique handle, or private (invite links). The core makes its key. */
  'channels.create': {
    input: z
      .object({
        title: z.string().trim().min(1, 'required').max(128, 'at most 128 characters'),
        description: z.string().trim().max(1_000, 'at most 1000 characters').default(''),
        isPublic: z.boolean(),
        handle: channelHandleInput.optional(),
        /** Optional avatar: a square PNG, JPEG or WebP of at most 64 KiB, base64. */
        avatar: avatarBase64.optional(),
      })
      .refine((v) => !v.isPublic || v.handle !== undefined, {
        message: 'a public channel needs a handle',
        path: ['handle'],
      }),
    output: channelView,
  },
  /** Public channels by handle prefix or title words. */
  'channels.search': {
    input: z.object({ query: z.string().trim().min(1).max(64) }),
    output: z.object({ channels: z.array(channelSummaryView) }),
  },
  /** A public channel and its latest posts, before subscribing. */
  'channels.preview': {
    input: z.object({ channelId: channelIdInput }),
    output: z.object({ channel: channelView, posts: z.array(channelPostView) }),
  },
  'channels.subscribe': {
    input: z.object({ channelId: channelIdInput }),
    output: channelView,
  },
  'channels.unsubscribe': {
    input: z.object({ channelId: channelIdInput }),
    output: z.object({}),
  },
  'channels.setMuted': {
    input: z.object({ channelId: channelIdInput, muted: z.boolean() }),
    output: channelView,
  },
  /** Posts oldest first; without `beforeSeq` the newest page. `hasMore` when older ones exist. */
  'channels.history': {
    input: z.object({
      channelId: channelIdInput,
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(100).default(50),
    }),
    output: z.object({ posts: z.array(channelPostView), hasMore: z.boolean() }),
  },
  /** The user has seen the channel: clears unread; the shown posts count as viewed. */
  'channels.markRead': {
    input: z.object({ channelId: channelIdInput, seqs: z.array(z.number().int().positive()).max(200).default([]) }),
    output: channelView,
  },
  /** Fresh subscriber and view counts for these posts. */
  'channels.stats': {
    input: z.object({ channelId: channelIdInput, seqs: z.array(z.number().int().positive()).max(200) }),
    output: z.object({
      subscribers: z.number().int().nonnegative(),
      views: z.array(z.object({ seq: z.number().int(), views: z.number().int().nonnegative() })),
    }),
  },
  'channels.post': {
    input: z.object({ channelId: channelIdInput, text: postTextInput }),
    output: channelPostView,
  },
  'channels.editPost': {
    input: z.object({ channelId: channelIdInput, postId: postIdInput, text: postTextInput }),
    output: channelPostView,
  },
  'channels.deletePost': {
    input: z.object({ channelId: channelIdInput, postId: postIdInput }),
    output: z.object({}),
  },
  /** Pin a post (null unpins). */
  'channels.pin': {
    input: z.object({ channelId: channelIdInput, postId: postIdInput.nullable() }),
    output: channelView,
  },
  /** Owner only: make a user (by @username) an admin who can post. */
  'channels.addAdmin': {
    input: z.object({ channelId: channelIdInput, username: channelHandleInput }),
    output: channelView,
  },
  /** Owner only: the admins, the owner first. */
  'channels.admins': {
    input: z.object({ channelId: channelIdInput }),
    output: z.object({ admins: z.array(channelAdminView) }),
  },
  /**
   * Owner only: remove an admin (not the owner). The channel key signs the removal; their
   * later posts are refused, earlier ones stay. They stay subscribed.
   */
  'channels.removeAdmin': {
    input: z.object({ channelId: channelIdInput, userId: userIdInput }),
    output: channelView,
  },
  /** Owner only: change the avatar (the same rules as when creating), or remove it with null. */
  'channels.setAvatar': {
    input: z.object({ channelId: channelIdInput, avatar: avatarBase64.nullable() }),
    output: channelView,
  },
  /** Owner only: a new invite link. */
  'channels.createInvite': {
    input: z.object({ channelId: channelIdInput }),
    output: z.object({ link: z.string(), token: z.string() }),
  },
  'channels.revokeInvite': {
    input: z.object({ channelId: channelIdInput, token: z.string().regex(/^[A-Za-z0-9_-]{32}$/) }),
    output: z.object({}),
  },
  /** Join through an invite link (or its bare token). */
  'channels.joinByInvite': {
    input: z.object({ link: z.string().trim().min(1).max(256) }),
    output: channelView,
  },
  /** A channel's avatar (base64, null when it has none): from the local copy, else from the relay. */
  'channels.avatar': {
    input: z.object({ channelId: channelIdInput }),
    output: z.object({ avatar: z.string().nullable() }),
  },
} as const;

export const channelEvents = {
  /** A channel's summary changed (new post, unread, counts, pin, mute, avatar, our role). */
  'channel.updated': channelView,
  /** A post appeared or changed (verified). */
  'channel.post': channelPostView,
  /** A post was deleted, or (postId absent) the channel left this profile. */
  'channel.removed': z.object({ channelId: z.string(), postId: z.string().optional() }),
} as const;
