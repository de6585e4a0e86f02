/**
 * Channel requests (shared/protocol/channels.ts). Every refusal is a RelayError with its own
 * code, thrown before anything is stored; each store write is one atomic transaction. Who
 * may do what is in access.ts; the owner's avatar and admin changes in manage.ts.
 */
import { randomBytes } from 'node:crypto';
import {
  CHANNEL_LIMITS,
  channelAvatarType,
  type ChannelClientFrame,
  type ChannelPostWire,
  type FrameOf,
  type ServerFrame,
} from '../../../shared/protocol';
import type { RequestContext } from '../handlers/context';
import { RelayError } from '../handlers/relayError';
import type { Account } from '../storage/storage';
import { asAdmin, asOwner, info, readable, replyInfo, summary } from './access';
import { handleAddAdmin, handleListAdmins, handleRemoveAdmin, handleSetAvatar } from './manage';
import { verifyAdminCert, verifyPostSignature } from './signatures';
import type { Membership } from './store';

type Frame<T extends ChannelClientFrame['t']> = FrameOf<ChannelClientFrame, T>;

/** Rough wire size of a post besides its body (keys, signature, ids, numbers). */
const POST_OVERHEAD_BYTES = 320;
/** chanBatch answers stay well under the protocol's frame limit. */
const BATCH_BYTE_BUDGET = 160 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export const newChannelId = (): string => `c_${randomBytes(16).toString('base64url')}`;
const newInviteToken = (): string => randomBytes(24).toString('base64url');

export async function dispatchChannel(ctx: RequestContext, session: Account, frame: ChannelClientFrame): Promise<void> {
  switch (frame.t) {
    case 'chanCreate':
      return handleCreate(ctx, session, frame);
    case 'chanSearch':
      return handleSearch(ctx, frame);
    case 'chanHistory':
      return handleHistory(ctx, session, frame);
    case 'chanSub':
      return handleSubscribe(ctx, session, frame);
    case 'chanUnsub':
      return handleUnsubscribe(ctx, session, frame);
    case 'chanJoin':
      return handleJoin(ctx, session, frame);
    case 'chanPost':
      return handlePost(ctx, session, frame);
    case 'chanEdit':
      return handleEdit(ctx, session, frame);
    case 'chanPin':
      return handlePin(ctx, session, frame);
    case 'chanAdmin':
      return handleAddAdmin(ctx, session, frame);
    case 'chanUnadmin':
      return handleRemoveAdmin(ctx, session, frame);
    case 'chanAdmins':
      return handleListAdmins(ctx, session, frame);
    case 'chanSetAvatar':
      return handleSetAvatar(ctx, session, frame);
    case 'chanInvite':
      return handleInvite(ctx, session, frame);
    case 'chanRevoke':
      return handleRevoke(ctx, session, frame);
    case 'chanSync':
      return handleSync(ctx, session, frame);
    case 'chanViews':
      return handleViews(ctx, session, frame);
  }
}

// ------------------------------------------------------------------ helpers

function checkBody(body: Uint8Array): void {
  if (body.byteLength > CHANNEL_LIMITS.maxPostBytes) {
    throw new RelayError('post_too_large', `post of ${body.byteLength} bytes exceeds ${CHANNEL_LIMITS.maxPostBytes}`);
  }
  try {
    utf8.decode(body);
  } catch {
    throw new RelayError('bad_frame', 'a post body must be UTF-8 text');
  }
}

function withViews(ctx: RequestContext, channelId: string, post: ChannelPostWire): ChannelPostWire {
  const pending = ctx.services.channels.views.pendingFor(channelId, post.seq);
  return pending > 0 ? { ...post, views: (post.views ?? 0) + pending } : post;
}

// ------------------------------------------------------------------ handlers

async function handleCreate(ctx: RequestContext, session: Account, frame: Frame<'chanCreate'>): Promise<void> {
  const { storage, now } = ctx.services;
  if (!verifyAdminCert(frame.channelKey, session.user.identityKey, frame.ownerCert)) {
    throw new RelayError('bad_signature', "ownerCert is not the channel key's certificate of your identity key");
  }
  if (frame.avatar !== undefined && channelAvatarType(frame.avatar) === null) {
    throw new RelayError('bad_frame', 'a channel avatar must be a PNG, JPEG or WebP image');
  }
  const result = await storage.channels.createChannel({
    channelId: newChannelId(),
    channelKey: frame.channelKey,
    ownerId: session.user.userId,
    ownerIdentityKey: session.user.identityKey,
    ownerCert: frame.ownerCert,
    handle: frame.handle ?? null,
    title: frame.title,
    description: frame.description,
    avatar: frame.avatar ?? null,
    now: now(),
  });
  if (result.status === 'handle_taken') throw new RelayError('handle_taken', `@${frame.handle} is taken`);
  if (result.status === 'key_exists') throw new RelayError('bad_frame', 'this channel key belongs to another channel');
  const channel = result.channel;
  ctx.services.channels.hub.attach(channel.channelId, ctx.channelListener);
  const membership: Membership = {
    member: true,
    admin: { identityKey: session.user.identityKey, cert: frame.ownerCert },
  };
  ctx.reply({ t: 'channel', re: frame.id, info: info(channel, session.user.userId, membership, []) });
}

async function handleSearch(ctx: RequestContext, frame: Frame<'chanSearch'>): Promise<void> {
  const channels = await ctx.services.storage.channels.searchPublic(
    frame.query.toLowerCase(),
    CHANNEL_LIMITS.maxSearchResults,
  );
  ctx.reply({ t: 'channels', re: frame.id, channels: channels.map(summary) });
}

async function handleHistory(ctx: RequestContext, session: Account, frame: Frame<'chanHistory'>): Promise<void> {
  const store = ctx.services.storage.channels;
  if ((frame.channelId === undefined) === (frame.handle === undefined)) {
    throw new RelayError('bad_frame', 'chanHistory needs exactly one of channelId or handle');
  }
  let channelId = frame.channelId;
  if (channelId === undefined) {
    const byHandle = await store.getChannelByHandle(frame.handle ?? '');
    if (!byHandle) throw new RelayError('unknown_channel', `no channel @${frame.handle}`);
    channelId = byHandle.channelId;
  }
  const { channel, membership } = await readable(ctx, session, channelId);
  const posts = await store.history(channelId, frame.beforeSeq, frame.limit);
  const revoked = await store.revocations(channelId);
  ctx.reply({
    t: 'chanPosts',
    re: frame.id,
    info: info(channel, session.user.userId, membership, revoked),
    posts: posts.map((post) => withViews(ctx, channelId, post)),
  });
}

async function handleSubscribe(ctx: RequestContext, session: Account, frame: Frame<'chanSub'>): Promise<void> {
  const store = ctx.services.storage.channels;
  const result = await store.subscribe(frame.channelId, session.user.userId, ctx.services.now(), false);
  if (result === 'unknown_channel') {
    // Private channels are joined through invite links only, and are invisible otherwise.
    throw new RelayError('unknown_channel', 'no such public channel');
  }
  ctx.services.channels.hub.attach(frame.channelId, ctx.channelListener);
  await replyInfo(ctx, session, frame.id, frame.channelId);
}

async function handleUnsubscribe(ctx: RequestContext, session: Account, frame: Frame<'chanUnsub'>): Promise<void> {
  const result = await ctx.services.storage.channels.unsubscribe(frame.channelId, session.user.userId);
  if (result === 'owner') throw new RelayError('bad_frame', 'the owner cannot unsubscribe from their channel');
  ctx.services.channels.hub.detach(frame.channelId, ctx.channelListener);
  ctx.reply({ t: 'ok', re: frame.id });
}

async function handleJoin(ctx: RequestContext, session: Account, frame: Frame<'chanJoin'>): Promise<void> {
  const channelId = await ctx.services.storage.channels.joinByInvite(
    frame.token,
    session.user.userId,
    ctx.services.now(),
  );
  if (channelId === undefined) throw new RelayError('invalid_invite', 'this invite link is not valid (or was revoked)');
  ctx.services.channels.hub.attach(channelId, ctx.channelListener);
  await replyInfo(ctx, session, frame.id, channelId);
}

async function handlePost(ctx: RequestContext, session: Account, frame: Frame<'chanPost'>): Promise<void> {
  checkBody(frame.body);
  const { channel, admin } = await asAdmin(ctx, session, frame.channelId);
  const signed = { postId: frame.postId, rev: 0, deleted: false, body: frame.body };
  if (!verifyPostSignature(channel.channelKey, session.user.identityKey, signed, frame.sig)) {
    throw new RelayError('bad_signature', 'the post signature does not verify with your identity key');
  }
  const result = await ctx.services.storage.channels.appendPost({
    channelId: frame.channelId,
    userId: session.user.userId,
    postId: frame.postId,
    body: frame.body,
    author: new Uint8Array(session.user.identityKey),
    cert: new Uint8Array(admin.cert),
    sig: frame.sig,
    now: ctx.services.now(),
  });
  if (result.status === 'unknown_channel') throw new RelayError('unknown_channel', 'no such channel');
  if (result.status === 'not_admin') throw new RelayError('not_admin', 'you are no longer an admin of this channel');
  const { post } = result;
  ctx.reply({
    t: 'chanPosted',
    re: frame.id,
    channelId: frame.channelId,
    postId: post.postId,
    seq: post.seq,
    cseq: post.cseq,
    ts: post.ts,
    duplicate: result.status === 'duplicate',
  });
  if (result.status === 'stored') {
    const { views: _views, ...live } = post;
    ctx.services.channels.hub.publish(frame.channelId, { t: 'chanPush', channelId: frame.channelId, post: live });
  }
}

async function handleEdit(ctx: RequestContext, session: Account, frame: Frame<'chanEdit'>): Promise<void> {
  checkBody(frame.body);
  if (frame.deleted && frame.body.byteLength > 0) throw new RelayError('bad_frame', 'a deletion has an empty body');
  const { channel, admin } = await asAdmin(ctx, session, frame.channelId);
  const signed = { postId: frame.postId, rev: frame.rev, deleted: frame.deleted, body: frame.body };
  if (!verifyPostSignature(channel.channelKey, session.user.identityKey, signed, frame.sig)) {
    throw new RelayError('bad_signature', 'the edit signature does not verify with your identity key');
  }
  const result = await ctx.services.storage.channels.editPost({
    channelId: frame.channelId,
    userId: session.user.userId,
    postId: frame.postId,
    rev: frame.rev,
    deleted: frame.deleted,
    body: frame.body,
    author: new Uint8Array(session.user.identityKey),
    cert: new Uint8Array(admin.cert),
    sig: frame.sig,
    now: ctx.services.now(),
  });
  if (result.status === 'not_found') throw new RelayError('not_found', 'no such post in this channel');
  if (result.status === 'not_admin') throw new RelayError('not_admin', 'you are no longer an admin of this channel');
  if (result.status === 'stale_revision') {
    throw new RelayError('stale_revision', 'the post has this revision or a newer one (or was deleted)');
  }
  const { post } = result;
  ctx.reply({
    t: 'chanPosted',
    re: frame.id,
    channelId: frame.channelId,
    postId: post.postId,
    seq: post.seq,
    cseq: post.cseq,
    ts: post.editedAt ?? post.ts,
    duplicate: false,
  });
  ctx.services.channels.hub.publish(frame.channelId, { t: 'chanPush', channelId: frame.channelId, post });
  if (post.deleted && channel.pinned === post.postId) {
    ctx.services.channels.hub.publish(frame.channelId, { t: 'chanPinned', channelId: frame.channelId, pinned: null });
  }
}

async function handlePin(ctx: RequestContext, session: Account, frame: Frame<'chanPin'>): Promise<void> {
  await asAdmin(ctx, session, frame.channelId);
  const pinned = await ctx.services.storage.channels.setPinned(frame.channelId, frame.postId);
  if (!pinned) throw new RelayError('not_found', 'no such post in this channel');
  ctx.reply({ t: 'ok', re: frame.id });
  ctx.services.channels.hub.publish(frame.channelId, {
    t: 'chanPinned',
    channelId: frame.channelId,
    pinned: frame.postId,
  });
}

async function handleInvite(ctx: RequestContext, session: Account, frame: Frame<'chanInvite'>): Promise<void> {
  await asOwner(ctx, session, frame.channelId);
  const token = newInviteToken();
  await ctx.services.storage.channels.createInvite(frame.channelId, token, ctx.services.now());
  ctx.reply({ t: 'chanInviteToken', re: frame.id, channelId: frame.channelId, token });
}

async function handleRevoke(ctx: RequestContext, session: Account, frame: Frame<'chanRevoke'>): Promise<void> {
  await asOwner(ctx, session, frame.channelId);
  await ctx.services.storage.channels.revokeInvite(frame.channelId, frame.token, ctx.services.now());
  ctx.reply({ t: 'ok', re: frame.id });
}

async function handleSync(ctx: RequestContext, session: Account, frame: Frame<'chanSync'>): Promise<void> {
  const store = ctx.services.storage.channels;
  const { hub } = ctx.services.channels;
  let postsLeft = CHANNEL_LIMITS.maxPostsPerPage;
  let bytesLeft = BATCH_BYTE_BUDGET;
  const answers: FrameOf<ServerFrame, 'chanBatch'>['channels'] = [];
  const seen = new Set<string>();
  for (const { channelId, after } of frame.channels) {
    if (seen.has(channelId)) continue;
    seen.add(channelId);
    const channel = await store.getChannel(channelId);
    if (!channel) {
      answers.push({ channelId, status: 'unknown_channel', head: 0, pinned: null, posts: [], more: false });
      continue;
    }
    const membership = await store.membership(channelId, session.user.userId);
    if (!membership.member) {
      answers.push({ channelId, status: 'not_member', head: 0, pinned: null, posts: [], more: false });
      continue;
    }
    // Attach before reading: a post committed from now on is pushed live, so nothing can
    // fall between this page and the pushes (a post in both is ignored by its cseq).
    hub.attach(channelId, ctx.channelListener);
    const posts: ChannelPostWire[] = [];
    // The latest change always holds the head number, so head > after means changes wait.
    let more = channel.head > after;
    if (more && postsLeft > 0 && bytesLeft > 0) {
      // One row more than fits tells whether this page is the last one.
      const rows = await store.changesAfter(channelId, after, postsLeft + 1);
      for (const row of rows) {
        const size = row.body.byteLength + POST_OVERHEAD_BYTES;
        if (posts.length >= postsLeft || (size > bytesLeft && posts.length > 0)) break;
        posts.push(withViews(ctx, channelId, row));
        bytesLeft -= size;
      }
      postsLeft -= posts.length;
      more = rows.length > posts.length;
    }
    answers.push({
      channelId,
      status: 'ok',
      head: channel.head,
      pinned: channel.pinned,
      posts,
      more,
      infoRev: channel.infoRev,
    });
  }
  ctx.reply({ t: 'chanBatch', re: frame.id, channels: answers });
}

async function handleViews(ctx: RequestContext, session: Account, frame: Frame<'chanViews'>): Promise<void> {
  const { channel } = await readable(ctx, session, frame.channelId);
  const { views } = ctx.services.channels;
  for (const seq of new Set(frame.seen)) {
    if (seq >= 1 && seq <= channel.head && ctx.channelListener.firstView(frame.channelId, seq)) {
      views.add(frame.channelId, seq);
    }
  }
  const stored = await ctx.services.storage.channels.viewCounts(frame.channelId, frame.query);
  ctx.reply({
    t: 'chanStats',
    re: frame.id,
    channelId: frame.channelId,
    subscribers: channel.subscribers,
    views: [...stored].map(([seq, count]) => ({ seq, views: count + views.pendingFor(frame.channelId, seq) })),
  });
}
