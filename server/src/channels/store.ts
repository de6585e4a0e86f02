/**
 * What the relay persists for channels, behind an async interface like `Storage` (of which
 * it is a part: `storage.channels`). Writes follow the Storage rules: atomic, applied in
 * call order, resolved only once durably committed (group commit).
 */
import type { ChannelPostWire } from '../../../shared/protocol';

export interface ChannelRecord {
  readonly channelId: string;
  readonly channelKey: Uint8Array;
  readonly ownerId: string;
  /** null for a private channel. */
  readonly handle: string | null;
  readonly title: string;
  readonly description: string;
  readonly avatar: Uint8Array | null;
  /** Last sequence number taken. */
  readonly head: number;
  readonly subscribers: number;
  readonly pinned: string | null;
  /** Changes of the info that are not posts (avatar, admins) so far. */
  readonly infoRev: number;
}

/** A removed admin's key: revisions it signed with cseq ≤ after stay valid. */
export interface RevocationRecord {
  readonly identityKey: Uint8Array;
  readonly after: number;
  readonly sig: Uint8Array;
}

/** An admin as the owner's list shows them. */
export interface AdminListEntry {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly identityKey: Uint8Array;
}

export type AddAdminResult =
  | { readonly status: 'added'; readonly channel: ChannelRecord }
  /** The channel has CHANNEL_LIMITS.maxAdmins admins already: nothing was stored. */
  | { readonly status: 'admin_limit' };

export type RemoveAdminResult =
  | { readonly status: 'removed'; readonly channel: ChannelRecord }
  /** The user is not an admin of the channel (or is its owner). */
  | { readonly status: 'not_admin' }
  /** The admin is certified for another key than the revocation names. */
  | { readonly status: 'identity_changed' }
  /** The channel holds CHANNEL_LIMITS.maxRevocations revocations already. */
  | { readonly status: 'admin_limit' };

export interface NewChannel {
  readonly channelId: string;
  readonly channelKey: Uint8Array;
  readonly ownerId: string;
  readonly ownerIdentityKey: Uint8Array;
  readonly ownerCert: Uint8Array;
  readonly handle: string | null;
  readonly title: string;
  readonly description: string;
  readonly avatar: Uint8Array | null;
  readonly now: number;
}

export type CreateChannelResult =
  | { readonly status: 'created'; readonly channel: ChannelRecord }
  | { readonly status: 'handle_taken' }
  /** Another channel has this channel key. */
  | { readonly status: 'key_exists' };

export interface AdminRecord {
  readonly identityKey: Uint8Array;
  readonly cert: Uint8Array<ArrayBuffer>;
}

export interface Membership {
  readonly member: boolean;
  /** Set when the user is an admin (or the owner). */
  readonly admin: AdminRecord | undefined;
}

export interface NewPost {
  readonly channelId: string;
  /** The signed-in author: re-checked as an admin for `author` inside the write. */
  readonly userId: string;
  readonly postId: string;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly author: Uint8Array<ArrayBuffer>;
  readonly cert: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
  readonly now: number;
}

export interface PostEdit {
  readonly channelId: string;
  /** The signed-in author: re-checked as an admin for `author` inside the write. */
  readonly userId: string;
  readonly postId: string;
  readonly rev: number;
  readonly deleted: boolean;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly author: Uint8Array<ArrayBuffer>;
  readonly cert: Uint8Array<ArrayBuffer>;
  readonly sig: Uint8Array<ArrayBuffer>;
  readonly now: number;
}

export type AppendPostResult =
  | { readonly status: 'stored'; readonly post: ChannelPostWire }
  /** (channel, postId) was stored before: nothing new was stored. */
  | { readonly status: 'duplicate'; readonly post: ChannelPostWire }
  | { readonly status: 'unknown_channel' }
  /** The author stopped being an admin (removed meanwhile): nothing was stored. */
  | { readonly status: 'not_admin' };

export type EditPostResult =
  | { readonly status: 'stored'; readonly post: ChannelPostWire }
  | { readonly status: 'not_found' }
  /** rev is not above the stored rev: nothing was stored. */
  | { readonly status: 'stale_revision' }
  /** The author stopped being an admin (removed meanwhile): nothing was stored. */
  | { readonly status: 'not_admin' };

export type SubscribeResult = 'subscribed' | 'already' | 'unknown_channel';
export type UnsubscribeResult = 'unsubscribed' | 'not_member' | 'owner';

export interface ViewIncrement {
  readonly channelId: string;
  readonly seq: number;
  readonly count: number;
}

export interface ChannelStore {
  createChannel(channel: NewChannel): Promise<CreateChannelResult>;
  getChannel(channelId: string): Promise<ChannelRecord | undefined>;
  getChannelByHandle(handle: string): Promise<ChannelRecord | undefined>;
  /** Public channels whose handle starts with `query` or whose title contains it (case-insensitive). */
  searchPublic(query: string, limit: number): Promise<ChannelRecord[]>;
  membership(channelId: string, userId: string): Promise<Membership>;
  /** Adds the user as a subscriber (public channels, or private ones when `allowPrivate`). */
  subscribe(channelId: string, userId: string, now: number, allowPrivate: boolean): Promise<SubscribeResult>;
  unsubscribe(channelId: string, userId: string): Promise<UnsubscribeResult>;
  /** Subscribes through a live invite token; undefined when the token is unknown or revoked. */
  joinByInvite(token: string, userId: string, now: number): Promise<string | undefined>;
  createInvite(channelId: string, token: string, now: number): Promise<void>;
  revokeInvite(channelId: string, token: string, now: number): Promise<void>;
  /**
   * Makes the user an admin (and a subscriber), lifts a revocation of that key and bumps the
   * info revision; refused past CHANNEL_LIMITS.maxAdmins (re-certifying an admin is not new).
   */
  addAdmin(channelId: string, userId: string, admin: AdminRecord, now: number): Promise<AddAdminResult>;
  /**
   * Removes an admin certified for `identityKey` (never the owner) and stores the revocation
   * with after = the current head, bumping the info revision; all in one transaction.
   */
  removeAdmin(
    channelId: string,
    userId: string,
    revocation: { readonly identityKey: Uint8Array; readonly sig: Uint8Array },
    now: number,
  ): Promise<RemoveAdminResult>;
  /** The channel's admins, owner included. */
  admins(channelId: string): Promise<AdminListEntry[]>;
  revocations(channelId: string): Promise<RevocationRecord[]>;
  /** Replaces (null: removes) the avatar and bumps the info revision; undefined for no channel. */
  setAvatar(channelId: string, avatar: Uint8Array | null): Promise<ChannelRecord | undefined>;
  /** Takes the next head number for a new post (seq = cseq) and stores it. */
  appendPost(post: NewPost): Promise<AppendPostResult>;
  /** Takes the next head number for an edit or deletion of a stored post. */
  editPost(edit: PostEdit): Promise<EditPostResult>;
  /** false when postId is not a live post of the channel. */
  setPinned(channelId: string, postId: string | null): Promise<boolean>;
  /** Posts with cseq > after, in cseq order (deleted ones included, as tombstones). */
  changesAfter(channelId: string, after: number, limit: number): Promise<ChannelPostWire[]>;
  /** Live posts with seq < beforeSeq (all when undefined), newest first. */
  history(channelId: string, beforeSeq: number | undefined, limit: number): Promise<ChannelPostWire[]>;
  /** Adds aggregated view counts in one transaction. */
  addViews(increments: readonly ViewIncrement[]): Promise<void>;
  /** Stored view counts of these posts. */
  viewCounts(channelId: string, seqs: readonly number[]): Promise<Map<number, number>>;
}
