/**
 * The owner's management of a channel after creating it: admins (add, list, remove) and the
 * avatar. Every change bumps the channel's info revision and is pushed to online
 * subscribers; one who misses the push sees the newer revision in its next chanSync.
 */
import { channelAvatarType, CHANNEL_LIMITS, type ChannelClientFrame, type FrameOf } from '../../../shared/protocol';
import type { RequestContext } from '../handlers/context';
import { RelayError } from '../handlers/relayError';
import type { Account } from '../storage/storage';
import { asOwner, replyInfo, revocationWire, sameBytes } from './access';
import { verifyAdminCert, verifyRevocation } from './signatures';
import type { ChannelRecord } from './store';

type Frame<T extends ChannelClientFrame['t']> = FrameOf<ChannelClientFrame, T>;

export async function handleAddAdmin(ctx: RequestContext, session: Account, frame: Frame<'chanAdmin'>): Promise<void> {
  const { channel } = await asOwner(ctx, session, frame.channelId);
  const user = await ctx.services.storage.findUserById(frame.userId);
  if (!user) throw new RelayError('not_found', 'no such user');
  if (!sameBytes(user.identityKey, frame.identityKey)) {
    throw new RelayError('identity_changed', "that is not the user's current identity key; look them up again");
  }
  if (!verifyAdminCert(channel.channelKey, frame.identityKey, frame.cert)) {
    throw new RelayError('bad_signature', "cert is not the channel key's certificate of that identity key");
  }
  const result = await ctx.services.storage.channels.addAdmin(
    frame.channelId,
    frame.userId,
    { identityKey: frame.identityKey, cert: frame.cert },
    ctx.services.now(),
  );
  if (result.status === 'admin_limit') {
    throw new RelayError('admin_limit', `a channel has at most ${CHANNEL_LIMITS.maxAdmins} admins`);
  }
  await replyInfo(ctx, session, frame.id, frame.channelId);
  await publishAdminChange(ctx, result.channel, frame.userId);
}

export async function handleRemoveAdmin(
  ctx: RequestContext,
  session: Account,
  frame: Frame<'chanUnadmin'>,
): Promise<void> {
  const { channel } = await asOwner(ctx, session, frame.channelId);
  // The owner's own certificate is what every other one hangs from; it is never revoked.
  if (frame.userId === channel.ownerId) throw new RelayError('bad_frame', 'the owner cannot be removed as an admin');
  if (!verifyRevocation(channel.channelKey, frame.identityKey, frame.sig)) {
    throw new RelayError('bad_signature', "sig is not the channel key's revocation of that identity key");
  }
  const result = await ctx.services.storage.channels.removeAdmin(
    frame.channelId,
    frame.userId,
    { identityKey: frame.identityKey, sig: frame.sig },
    ctx.services.now(),
  );
  switch (result.status) {
    case 'not_admin':
      throw new RelayError('not_found', 'that user is not an admin of this channel');
    case 'identity_changed':
      throw new RelayError('identity_changed', 'that admin is certified for another identity key; list admins again');
    case 'admin_limit':
      throw new RelayError('admin_limit', `a channel keeps at most ${CHANNEL_LIMITS.maxRevocations} removed admins`);
  }
  await replyInfo(ctx, session, frame.id, frame.channelId);
  await publishAdminChange(ctx, result.channel, frame.userId);
}

export async function handleListAdmins(
  ctx: RequestContext,
  session: Account,
  frame: Frame<'chanAdmins'>,
): Promise<void> {
  const { channel } = await asOwner(ctx, session, frame.channelId);
  const admins = await ctx.services.storage.channels.admins(frame.channelId);
  const listed = admins.map((admin) => ({
    userId: admin.userId,
    username: admin.username,
    displayName: admin.displayName,
    identityKey: new Uint8Array(admin.identityKey),
    owner: admin.userId === channel.ownerId,
  }));
  listed.sort((a, b) => Number(b.owner) - Number(a.owner));
  ctx.reply({ t: 'chanAdminList', re: frame.id, channelId: frame.channelId, admins: listed });
}

export async function handleSetAvatar(
  ctx: RequestContext,
  session: Account,
  frame: Frame<'chanSetAvatar'>,
): Promise<void> {
  await asOwner(ctx, session, frame.channelId);
  // The same check as chanCreate (the size is the frame schema's).
  if (frame.avatar !== null && channelAvatarType(frame.avatar) === null) {
    throw new RelayError('bad_frame', 'a channel avatar must be a PNG, JPEG or WebP image');
  }
  const channel = await ctx.services.storage.channels.setAvatar(frame.channelId, frame.avatar);
  if (!channel) throw new RelayError('unknown_channel', 'no such channel');
  await replyInfo(ctx, session, frame.id, frame.channelId);
  ctx.services.channels.hub.publish(frame.channelId, {
    t: 'chanAvatar',
    channelId: frame.channelId,
    infoRev: channel.infoRev,
    avatar: channel.avatar ? new Uint8Array(channel.avatar) : null,
  });
}

/** Tells online subscribers the admins changed: the new revocation list, and whose role changed. */
async function publishAdminChange(ctx: RequestContext, channel: ChannelRecord, userId: string): Promise<void> {
  const revoked = await ctx.services.storage.channels.revocations(channel.channelId);
  ctx.services.channels.hub.publish(channel.channelId, {
    t: 'chanAdminChange',
    channelId: channel.channelId,
    infoRev: channel.infoRev,
    userId,
    revoked: revoked.map(revocationWire),
  });
}
