/**
 * Who may do what in a channel, and the channel as one user sees it. Shared by the channel
 * request handlers; each check throws the RelayError its refusal is answered with.
 */
import type { ChannelInfoWire, ChannelRole, ChannelSummaryWire } from '../../../shared/protocol';
import type { RequestContext } from '../handlers/context';
import { RelayError } from '../handlers/relayError';
import type { Account } from '../storage/storage';
import type { ChannelRecord, Membership, RevocationRecord } from './store';

export function summary(channel: ChannelRecord): ChannelSummaryWire {
  return {
    channelId: channel.channelId,
    channelKey: new Uint8Array(channel.channelKey),
    handle: channel.handle,
    title: channel.title,
    description: channel.description,
    isPublic: channel.handle !== null,
    subscribers: channel.subscribers,
    hasAvatar: channel.avatar !== null && channel.avatar.byteLength > 0,
  };
}

export function info(
  channel: ChannelRecord,
  userId: string,
  membership: Membership,
  revoked: readonly RevocationRecord[],
): ChannelInfoWire {
  const role: ChannelRole =
    channel.ownerId === userId ? 'owner' : membership.admin ? 'admin' : membership.member ? 'subscriber' : 'none';
  return {
    ...summary(channel),
    avatar: channel.avatar ? new Uint8Array(channel.avatar) : null,
    ownerId: channel.ownerId,
    head: channel.head,
    pinned: channel.pinned,
    role,
    ...(membership.admin ? { myCert: new Uint8Array(membership.admin.cert) } : {}),
    infoRev: channel.infoRev,
    revoked: revoked.map(revocationWire),
  };
}

export function revocationWire(revocation: RevocationRecord) {
  return {
    identityKey: new Uint8Array(revocation.identityKey),
    after: revocation.after,
    sig: new Uint8Array(revocation.sig),
  };
}

/** The channel, if this user may read it: public, or private and a member. Else unknown_channel. */
export async function readable(
  ctx: RequestContext,
  session: Account,
  channelId: string,
): Promise<{ channel: ChannelRecord; membership: Membership }> {
  const store = ctx.services.storage.channels;
  const channel = await store.getChannel(channelId);
  if (!channel) throw new RelayError('unknown_channel', 'no such channel');
  const membership = await store.membership(channelId, session.user.userId);
  // A private channel is invisible to non-members: the same answer as for no channel at all.
  if (channel.handle === null && !membership.member) throw new RelayError('unknown_channel', 'no such channel');
  return { channel, membership };
}

/** The channel and this user's admin record; not_admin when they are not one (with their current key). */
export async function asAdmin(ctx: RequestContext, session: Account, channelId: string) {
  const { channel, membership } = await readable(ctx, session, channelId);
  const admin = membership.admin;
  if (!admin) throw new RelayError('not_admin', 'only admins of this channel may do that');
  if (!sameBytes(admin.identityKey, session.user.identityKey)) {
    throw new RelayError('not_admin', 'your admin certificate is for an earlier identity key; ask the owner again');
  }
  return { channel, membership, admin };
}

export async function asOwner(ctx: RequestContext, session: Account, channelId: string) {
  const { channel, membership } = await readable(ctx, session, channelId);
  if (channel.ownerId !== session.user.userId)
    throw new RelayError('not_owner', "only the channel's owner may do that");
  return { channel, membership };
}

/** Answers `re` with the channel's info as this user sees it now. */
export async function replyInfo(ctx: RequestContext, session: Account, re: number, channelId: string): Promise<void> {
  const { channel, membership } = await readable(ctx, session, channelId);
  const revoked = await ctx.services.storage.channels.revocations(channelId);
  ctx.reply({ t: 'channel', re, info: info(channel, session.user.userId, membership, revoked) });
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.byteLength === b.byteLength &&
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}
