/**
 * Channels in the core: create (the channel key is made and kept here), search, preview,
 * subscribe, post/edit/delete/pin, admins, invite links; catch-up by sequence on every
 * login; live pushes; batched view reports.
 *
 * Every post is verified on receipt — the channel key's certificate of its author, the
 * author's signature of that revision, and that the author was not removed before it
 * (revocations.ts) — and a forged one is dropped (logged), never stored or shown. Channels
 * are not end-to-end encrypted: the relay reads posts.
 */
import { randomUUID } from 'node:crypto';
import { IpcError, type ChannelPostView, type ChannelSummaryView, type ChannelView } from '../../../shared/ipc';
import {
  CHANNEL_LIMITS,
  channelAdminCertMessage,
  channelPostMessage,
  type ChannelInfoWire,
  type ChannelPostWire,
} from '../../../shared/protocol';
import type { Logger } from '../api';
import { sodium } from '../crypto/sodium';
import type { Account } from '../db/account';
import type { Db } from '../db/database';
import type { CoreEvents } from '../events';
import { describeError } from '../logger';
import type { RelayConnection } from '../relay/connection';
import { RelayError } from '../relay/relayError';
import type { ChannelPushFrame } from './frames';
import { avatarIdOf, avatarToBase64, decodeAvatar, usableAvatar } from './avatar';
import { applyInfoPush } from './infoUpdates';
import { ChannelOwnerTools, type ChannelOwnerHost } from './ownerTools';
import { ChannelRepo, channelViewOf, postViewOf, type ChannelRow } from './repo';
import { signedAfterRevocation, verifiedRevocations, type Revocation } from './revocations';

export const INVITE_LINK_PREFIX = 'parley://join/';
const VIEW_FLUSH_MS = 2_000;
const FIRST_PAGE = 50;
/** Avatars of channels seen in search/preview but not subscribed to, kept in memory. */
const REMOTE_AVATARS_KEPT = 64;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

export interface ChannelServiceOptions {
  db: Db;
  relay: RelayConnection;
  account: () => Account | null;
  events: CoreEvents;
  logger: Logger;
}

/** True when the post's certificate chain and signature verify with the channel key. */
export function verifyChannelPost(channelKey: Uint8Array, post: ChannelPostWire): boolean {
  try {
    return (
      sodium.crypto_sign_verify_detached(post.cert, channelAdminCertMessage(channelKey, post.author), channelKey) &&
      sodium.crypto_sign_verify_detached(post.sig, channelPostMessage(channelKey, post), post.author)
    );
  } catch {
    return false;
  }
}

export class ChannelService implements ChannelOwnerHost {
  readonly repo: ChannelRepo;
  /** The owner's avatar and admin changes (ownerTools.ts). */
  readonly owner: ChannelOwnerTools;
  private readonly pendingViews = new Map<string, Set<number>>();
  private viewTimer: NodeJS.Timeout | null = null;
  private syncRunning: Promise<void> | null = null;
  private syncAgain = false;
  /** channelId → avatar (null: none) of channels not held locally, most recent last. */
  private readonly remoteAvatars = new Map<string, Uint8Array | null>();

  constructor(private readonly options: ChannelServiceOptions) {
    this.repo = new ChannelRepo(options.db);
    this.owner = new ChannelOwnerTools(this);
  }

  get relay(): RelayConnection {
    return this.options.relay;
  }

  stop(): void {
    if (this.viewTimer) clearInterval(this.viewTimer);
    this.viewTimer = null;
  }

  // ------------------------------------------------------------------ views for the renderer

  list(): ChannelView[] {
    const key = this.myKey();
    return this.repo.all().map((row) => channelViewOf(row, this.repo, key));
  }

  view(channelId: string): ChannelView {
    const row = this.repo.get(channelId);
    if (!row) throw new IpcError('not_found', 'not subscribed to this channel');
    return channelViewOf(row, this.repo, this.myKey());
  }

  // ------------------------------------------------------------------ requests

  async create(input: {
    title: string;
    description: string;
    isPublic: boolean;
    handle?: string;
    avatar?: string;
  }): Promise<ChannelView> {
    const account = this.requireAccount();
    // Checked before anything else: a bad avatar makes no key and stores nothing.
    const avatar = input.avatar !== undefined ? decodeAvatar(input.avatar) : undefined;
    const pair = sodium.crypto_sign_keypair();
    const ownerCert = sodium.crypto_sign_detached(
      channelAdminCertMessage(pair.publicKey, account.keys.identityPublicKey),
      pair.privateKey,
    );
    const answer = await this.options.relay.request({
      t: 'chanCreate',
      channelKey: pair.publicKey,
      ownerCert,
      title: input.title,
      description: input.description,
      ...(input.isPublic && input.handle !== undefined ? { handle: input.handle } : {}),
      ...(avatar ? { avatar } : {}),
    });
    this.repo.transaction(() => {
      this.storeInfo(answer.info);
      this.repo.setSecretKey(answer.info.channelId, pair.privateKey);
    });
    return this.emitChannel(answer.info.channelId);
  }

  async search(query: string): Promise<ChannelSummaryView[]> {
    const answer = await this.options.relay.request({ t: 'chanSearch', query });
    return answer.channels.map((channel) => ({
      id: channel.channelId,
      title: channel.title,
      description: channel.description,
      handle: channel.handle,
      subscribers: channel.subscribers,
      subscribed: this.repo.get(channel.channelId) !== undefined,
      hasAvatar: channel.hasAvatar === true,
    }));
  }

  /** A channel's avatar as base64 (null: none): the local copy, else the relay's (kept in memory). */
  async avatar(channelId: string): Promise<string | null> {
    const local = this.repo.get(channelId);
    if (local) return local.avatar && local.avatar.byteLength > 0 ? avatarToBase64(local.avatar) : null;
    let bytes = this.remoteAvatars.get(channelId);
    if (bytes === undefined) {
      const answer = await this.options.relay.request({ t: 'chanHistory', channelId, limit: 1 });
      bytes = usableAvatar(answer.info.avatar);
      this.rememberAvatar(channelId, bytes);
    }
    return bytes && bytes.byteLength > 0 ? avatarToBase64(bytes) : null;
  }

  private rememberAvatar(channelId: string, avatar: Uint8Array | null): void {
    this.remoteAvatars.delete(channelId);
    this.remoteAvatars.set(channelId, avatar);
    while (this.remoteAvatars.size > REMOTE_AVATARS_KEPT) {
      const oldest = this.remoteAvatars.keys().next().value;
      if (oldest === undefined) break;
      this.remoteAvatars.delete(oldest);
    }
  }

  async preview(channelId: string): Promise<{ channel: ChannelView; posts: ChannelPostView[] }> {
    const answer = await this.options.relay.request({ t: 'chanHistory', channelId, limit: FIRST_PAGE });
    const local = this.repo.get(channelId);
    const avatar = usableAvatar(answer.info.avatar);
    if (!local) this.rememberAvatar(channelId, avatar);
    const channel: ChannelView = local
      ? channelViewOf(local, this.repo, this.myKey())
      : {
          id: answer.info.channelId,
          kind: 'channel',
          title: answer.info.title,
          description: answer.info.description,
          handle: answer.info.handle,
          isPublic: answer.info.isPublic,
          role: answer.info.role,
          canPost: false,
          subscribers: answer.info.subscribers,
          subscribed: false,
          muted: false,
          unread: 0,
          pinnedPostId: answer.info.pinned,
          ...(avatar ? { avatarId: avatarIdOf(avatar) } : {}),
          updatedAt: 0,
          encrypted: false,
        };
    const revoked = verifiedRevocations(answer.info.channelKey, answer.info.revoked);
    const posts = answer.posts
      .filter((post) => !post.deleted && this.verified(answer.info.channelKey, post, channelId, revoked))
      .reverse()
      .map((post) => previewPostView(channelId, post));
    return { channel, posts };
  }

  async subscribe(channelId: string): Promise<ChannelView> {
    const answer = await this.options.relay.request({ t: 'chanSub', channelId });
    await this.adopt(answer.info);
    return this.emitChannel(channelId);
  }

  async joinByInvite(link: string): Promise<ChannelView> {
    const token = /([A-Za-z0-9_-]{32})\/?$/.exec(link.trim())?.[1];
    if (!token) throw new IpcError('invalid_input', 'not an invite link');
    const answer = await this.options.relay.request({ t: 'chanJoin', token });
    await this.adopt(answer.info);
    return this.emitChannel(answer.info.channelId);
  }

  async unsubscribe(channelId: string): Promise<void> {
    await this.options.relay.request({ t: 'chanUnsub', channelId });
    this.repo.delete(channelId);
    this.pendingViews.delete(channelId);
    this.options.events.emit('channel.removed', { channelId });
  }

  setMuted(channelId: string, muted: boolean): ChannelView {
    this.requireChannel(channelId);
    this.repo.setMuted(channelId, muted);
    return this.emitChannel(channelId);
  }

  /** Posts oldest first: the local copy, topped up from the relay when it runs out. */
  async history(
    channelId: string,
    beforeSeq: number | undefined,
    limit: number,
  ): Promise<{ posts: ChannelPostView[]; hasMore: boolean }> {
    const row = this.requireChannel(channelId);
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    let rows = this.repo.before(channelId, before, limit + 1);
    if (rows.length <= limit && this.options.relay.isOnline()) {
      // Older posts than we hold: fetch the page before the oldest one here.
      const oldest = rows.at(-1)?.seq ?? Math.min(before, row.cursor + 1);
      if (oldest > 1) {
        try {
          const answer = await this.options.relay.request({
            t: 'chanHistory',
            channelId,
            beforeSeq: oldest,
            limit: Math.min(CHANNEL_LIMITS.maxHistoryPage, limit + 1),
          });
          const revoked = this.repo.revocations(row.channel_id);
          this.repo.transaction(() => {
            for (const post of answer.posts) this.applyPost(row, post, revoked);
          });
          rows = this.repo.before(channelId, before, limit + 1);
        } catch (err) {
          this.options.logger.warn('could not load older channel posts', { error: describeError(err) });
        }
      }
    }
    const hasMore = rows.length > limit;
    return { posts: rows.slice(0, limit).reverse().map(postViewOf), hasMore };
  }

  markRead(channelId: string, seqs: readonly number[]): ChannelView {
    this.requireChannel(channelId);
    const newest = this.repo.latest(channelId)?.seq ?? 0;
    this.repo.markRead(channelId, Math.max(newest, ...seqs));
    for (const seq of seqs) {
      const post = this.repo.post(channelId, seq);
      if (post && post.viewed === 0) this.queueView(channelId, seq);
    }
    return this.emitChannel(channelId);
  }

  async stats(
    channelId: string,
    seqs: readonly number[],
  ): Promise<{ subscribers: number; views: { seq: number; views: number }[] }> {
    const seen = [...(this.pendingViews.get(channelId) ?? [])].slice(0, CHANNEL_LIMITS.maxViewSeqs);
    const answer = await this.options.relay.request({ t: 'chanViews', channelId, seen, query: [...seqs] });
    this.pendingViews.get(channelId)?.clear();
    if (this.repo.get(channelId)) {
      this.repo.transaction(() => {
        for (const seq of seen) this.repo.markViewed(channelId, seq);
        this.repo.setSubscribers(channelId, answer.subscribers);
        for (const { seq, views } of answer.views) this.repo.setViews(channelId, seq, views);
      });
    }
    return { subscribers: answer.subscribers, views: answer.views };
  }

  async post(channelId: string, text: string): Promise<ChannelPostView> {
    const account = this.requireAccount();
    const row = await this.requireAdmin(channelId);
    const postId = randomUUID();
    const body = utf8Encoder.encode(text);
    const sig = sodium.crypto_sign_detached(
      channelPostMessage(row.channel_key, { postId, rev: 0, deleted: false, body }),
      account.keys.identitySecretKey,
    );
    const answer = await this.refreshedOnNotAdmin(channelId, () =>
      this.options.relay.request({ t: 'chanPost', channelId, postId, body, sig }),
    );
    this.repo.transaction(() => {
      this.repo.upsertPost({
        channelId,
        seq: answer.seq,
        postId,
        cseq: answer.cseq,
        rev: 0,
        deleted: false,
        text,
        author: account.keys.identityPublicKey,
        ts: answer.ts,
        editedAt: null,
        views: 0,
      });
      if (answer.cseq === row.cursor + 1) this.repo.advanceCursor(channelId, answer.cseq);
      this.repo.touch(channelId, answer.ts);
      this.repo.markRead(channelId, answer.seq);
    });
    const stored = this.repo.post(channelId, answer.seq);
    if (!stored) throw new Error('the new post disappeared');
    const view = postViewOf(stored);
    this.options.events.emit('channel.post', view);
    this.emitChannel(channelId);
    return view;
  }

  async editPost(channelId: string, postId: string, text: string | null): Promise<ChannelPostView | null> {
    const account = this.requireAccount();
    const row = await this.requireAdmin(channelId);
    const current = this.repo.postById(channelId, postId);
    if (!current || current.deleted === 1) throw new IpcError('not_found', 'no such post');
    const rev = current.rev + 1;
    const deleted = text === null;
    const body = deleted ? new Uint8Array(0) : utf8Encoder.encode(text);
    const sig = sodium.crypto_sign_detached(
      channelPostMessage(row.channel_key, { postId, rev, deleted, body }),
      account.keys.identitySecretKey,
    );
    const answer = await this.refreshedOnNotAdmin(channelId, () =>
      this.options.relay.request({ t: 'chanEdit', channelId, postId, rev, deleted, body, sig }),
    );
    this.repo.transaction(() => {
      this.repo.upsertPost({
        channelId,
        seq: current.seq,
        postId,
        cseq: answer.cseq,
        rev,
        deleted,
        text: text ?? '',
        author: account.keys.identityPublicKey,
        ts: current.ts,
        editedAt: answer.ts,
        views: current.views,
      });
      if (answer.cseq === row.cursor + 1) this.repo.advanceCursor(channelId, answer.cseq);
    });
    this.emitChannel(channelId);
    if (deleted) {
      this.options.events.emit('channel.removed', { channelId, postId });
      return null;
    }
    const stored = this.repo.post(channelId, current.seq);
    if (!stored) throw new Error('the edited post disappeared');
    const view = postViewOf(stored);
    this.options.events.emit('channel.post', view);
    return view;
  }

  async pin(channelId: string, postId: string | null): Promise<ChannelView> {
    await this.requireAdmin(channelId);
    await this.options.relay.request({ t: 'chanPin', channelId, postId });
    this.repo.setPinned(channelId, postId);
    return this.emitChannel(channelId);
  }

  async addAdmin(channelId: string, username: string): Promise<ChannelView> {
    const row = this.requireChannel(channelId);
    if (row.role !== 'owner' || !row.channel_secret_key) {
      throw new IpcError('relay_error', "only the channel's owner can add admins");
    }
    const { user } = await this.options.relay.request({ t: 'lookup', username });
    const cert = sodium.crypto_sign_detached(
      channelAdminCertMessage(row.channel_key, user.identityKey),
      row.channel_secret_key,
    );
    const answer = await this.options.relay.request({
      t: 'chanAdmin',
      channelId,
      userId: user.userId,
      identityKey: user.identityKey,
      cert,
    });
    this.storeInfo(answer.info);
    return this.emitChannel(channelId);
  }

  async createInvite(channelId: string): Promise<{ link: string; token: string }> {
    const answer = await this.options.relay.request({ t: 'chanInvite', channelId });
    return { link: `${INVITE_LINK_PREFIX}${answer.token}`, token: answer.token };
  }

  async revokeInvite(channelId: string, token: string): Promise<void> {
    await this.options.relay.request({ t: 'chanRevoke', channelId, token });
  }

  // ------------------------------------------------------------------ relay side

  /** Called once online: catch up on every channel, and start reporting views. */
  onOnline(): void {
    this.viewTimer ??= setInterval(() => void this.flushViews(), VIEW_FLUSH_MS);
    this.viewTimer.unref();
    void this.requestSync();
  }

  onPush(frame: ChannelPushFrame): void {
    try {
      switch (frame.t) {
        case 'chanPush': {
          const row = this.repo.get(frame.channelId);
          if (!row) return;
          let changed = false;
          this.repo.transaction(() => {
            changed = this.applyPost(row, frame.post, this.repo.revocations(row.channel_id));
            if (frame.post.cseq === row.cursor + 1) this.repo.advanceCursor(frame.channelId, frame.post.cseq);
          });
          // A gap (a push skipped while this connection was slow, or one racing the catch-up):
          // ask for everything after the cursor.
          if (frame.post.cseq > row.cursor + 1) void this.requestSync();
          if (changed) this.announcePost(frame.channelId, frame.post);
          return;
        }
        case 'chanPinned':
          if (!this.repo.get(frame.channelId)) return;
          this.repo.setPinned(frame.channelId, frame.pinned);
          this.emitChannel(frame.channelId);
          return;
        case 'chanAvatar':
        case 'chanAdminChange': {
          const outcome = applyInfoPush(this.repo, frame, this.options.account()?.userId ?? null);
          if (outcome === 'applied') this.emitChannel(frame.channelId);
          else if (outcome === 'refresh') void this.refreshInfo(frame.channelId);
          return;
        }
        case 'chanResync':
          void this.requestSync();
          return;
      }
    } catch (err) {
      this.options.logger.error('applying a channel push failed', { error: describeError(err) });
    }
  }

  /** Catch up on every channel (coalesced: one run at a time, one more if asked meanwhile). */
  requestSync(): Promise<void> {
    if (this.syncRunning) {
      this.syncAgain = true;
      return this.syncRunning;
    }
    this.syncRunning = (async () => {
      do {
        this.syncAgain = false;
        try {
          await this.syncAll();
        } catch (err) {
          this.options.logger.warn('channel catch-up failed', { error: describeError(err) });
        }
      } while (this.syncAgain && this.options.relay.isOnline());
    })().finally(() => {
      this.syncRunning = null;
    });
    return this.syncRunning;
  }

  private async syncAll(): Promise<void> {
    let pending = this.repo.all().map((row) => row.channel_id);
    while (pending.length > 0 && this.options.relay.isOnline()) {
      const batch = pending.slice(0, CHANNEL_LIMITS.maxSyncChannels);
      const rest = pending.slice(CHANNEL_LIMITS.maxSyncChannels);
      const answer = await this.options.relay.request({
        t: 'chanSync',
        channels: batch.map((channelId) => ({ channelId, after: this.repo.get(channelId)?.cursor ?? 0 })),
      });
      const again: string[] = [];
      for (const entry of answer.channels) {
        const row = this.repo.get(entry.channelId);
        if (!row) continue;
        if (entry.status !== 'ok') {
          // Gone, or unsubscribed from another device: drop the local copy.
          this.repo.delete(entry.channelId);
          this.options.events.emit('channel.removed', { channelId: entry.channelId });
          continue;
        }
        // A newer info (avatar, admins) first: revocations decide which of these posts count.
        const infoChanged = (entry.infoRev ?? 0) > row.info_rev;
        if (infoChanged) await this.refreshInfo(entry.channelId, false);
        const changed: ChannelPostWire[] = [];
        const revoked = this.repo.revocations(entry.channelId);
        this.repo.transaction(() => {
          for (const post of entry.posts) if (this.applyPost(row, post, revoked)) changed.push(post);
          const last = entry.posts.at(-1)?.cseq ?? row.cursor;
          this.repo.advanceCursor(entry.channelId, entry.more ? last : Math.max(last, entry.head));
          this.repo.setPinned(entry.channelId, entry.pinned);
        });
        for (const post of changed) this.announcePost(entry.channelId, post, false);
        if (changed.length > 0 || entry.pinned !== row.pinned || infoChanged) this.emitChannel(entry.channelId);
        if (entry.more) again.push(entry.channelId);
      }
      pending = [...again, ...rest];
    }
  }

  private async flushViews(): Promise<void> {
    if (!this.options.relay.isOnline()) return;
    for (const [channelId, seqs] of this.pendingViews) {
      if (seqs.size === 0) continue;
      try {
        await this.stats(channelId, []);
      } catch (err) {
        this.options.logger.debug('reporting channel views failed', { error: describeError(err) });
      }
    }
  }

  private queueView(channelId: string, seq: number): void {
    let seqs = this.pendingViews.get(channelId);
    if (!seqs) {
      seqs = new Set();
      this.pendingViews.set(channelId, seqs);
    }
    seqs.add(seq);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Stores a verified post revision; false when forged, by a removed admin after their removal,
   * or not newer than what is here. `revoked`: the channel's revocations, read once per batch.
   */
  private applyPost(row: ChannelRow, post: ChannelPostWire, revoked: readonly Revocation[]): boolean {
    if (!this.verified(row.channel_key, post, row.channel_id, revoked)) return false;
    const stored = this.repo.upsertPost({
      channelId: row.channel_id,
      seq: post.seq,
      postId: post.postId,
      cseq: post.cseq,
      rev: post.rev,
      deleted: post.deleted,
      text: post.deleted ? '' : utf8Decoder.decode(post.body),
      author: post.author,
      ts: post.ts,
      editedAt: post.editedAt ?? null,
      views: post.views ?? 0,
    });
    if (stored) this.repo.touch(row.channel_id, post.editedAt ?? post.ts);
    return stored;
  }

  private verified(
    channelKey: Uint8Array,
    post: ChannelPostWire,
    channelId: string,
    revocations: readonly Revocation[],
  ): boolean {
    if (!verifyChannelPost(channelKey, post)) {
      this.options.logger.warn('refused a channel post with an invalid signature', { channelId, seq: post.seq });
      return false;
    }
    if (signedAfterRevocation(revocations, post)) {
      this.options.logger.warn('refused a channel post by a removed admin', { channelId, seq: post.seq });
      return false;
    }
    return true;
  }

  /**
   * Re-reads the channel's info from the relay (avatar, admins, our role) after a change this
   * copy missed or that concerns us; announces it unless the caller will.
   */
  private async refreshInfo(channelId: string, announce = true): Promise<void> {
    try {
      const answer = await this.options.relay.request({ t: 'chanHistory', channelId, limit: 1 });
      if (!this.repo.get(channelId)) return;
      this.storeInfo(answer.info);
      if (announce) this.emitChannel(channelId);
    } catch (err) {
      this.options.logger.warn('could not re-read a channel', { error: describeError(err) });
    }
  }

  /** Runs a post or edit; when the relay says we are no longer an admin, re-reads our role first. */
  private async refreshedOnNotAdmin<T>(channelId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof RelayError && err.code === 'not_admin') await this.refreshInfo(channelId);
      throw err;
    }
  }

  private announcePost(channelId: string, post: ChannelPostWire, withChannel = true): void {
    if (post.deleted) {
      this.options.events.emit('channel.removed', { channelId, postId: post.postId });
    } else {
      const stored = this.repo.post(channelId, post.seq);
      if (stored) this.options.events.emit('channel.post', postViewOf(stored));
    }
    if (withChannel) this.emitChannel(channelId);
  }

  /** Stores the channel as the relay describes it, then its latest page of posts. */
  private async adopt(info: ChannelInfoWire): Promise<void> {
    this.repo.transaction(() => {
      this.storeInfo(info);
      // Start live from the current head; older posts come as pages of history.
      this.repo.advanceCursor(info.channelId, info.head);
    });
    const row = this.repo.get(info.channelId);
    if (!row) return;
    try {
      const page = await this.options.relay.request({ t: 'chanHistory', channelId: info.channelId, limit: FIRST_PAGE });
      const revoked = this.repo.revocations(row.channel_id);
      this.repo.transaction(() => {
        for (const post of page.posts) this.applyPost(row, post, revoked);
        // What was posted before subscribing is not "unread".
        this.repo.markRead(info.channelId, info.head);
      });
    } catch (err) {
      this.options.logger.warn('could not load a channel page', { error: describeError(err) });
    }
  }

  /** Stores the channel as the relay describes it (also for ownerTools.ts). */
  storeInfo(info: ChannelInfoWire): void {
    const role = info.role === 'none' ? 'subscriber' : info.role;
    const revocations = verifiedRevocations(info.channelKey, info.revoked);
    this.repo.transaction(() => {
      this.storeRow(info, role);
      this.repo.setRevocations(info.channelId, revocations);
    });
    this.remoteAvatars.delete(info.channelId);
  }

  private storeRow(info: ChannelInfoWire, role: ChannelRow['role']): void {
    this.repo.upsert({
      channelId: info.channelId,
      channelKey: info.channelKey,
      handle: info.handle,
      title: info.title,
      description: info.description,
      ownerId: info.ownerId,
      role,
      myCert: info.myCert ?? null,
      subscribers: info.subscribers,
      pinned: info.pinned,
      avatar: usableAvatar(info.avatar),
      infoRev: info.infoRev ?? 0,
      now: Date.now(),
    });
  }

  /** The channel's view, announced to the renderer (also for ownerTools.ts). */
  emitChannel(channelId: string): ChannelView {
    const view = this.view(channelId);
    this.options.events.emit('channel.updated', view);
    return view;
  }

  private requireAccount(): Account {
    const account = this.options.account();
    if (!account) throw new IpcError('not_signed_in', 'sign up first');
    return account;
  }

  private requireChannel(channelId: string): ChannelRow {
    const row = this.repo.get(channelId);
    if (!row) throw new IpcError('not_found', 'not subscribed to this channel');
    return row;
  }

  /** The channel, if this profile may post in it (asking the relay when the local role says no: the owner may have just added us). */
  private async requireAdmin(channelId: string): Promise<ChannelRow> {
    let row = this.requireChannel(channelId);
    if (row.role !== 'owner' && row.role !== 'admin') {
      const answer = await this.options.relay.request({ t: 'chanHistory', channelId, limit: 1 });
      this.storeInfo(answer.info);
      row = this.requireChannel(channelId);
    }
    if (row.role !== 'owner' && row.role !== 'admin') {
      throw new IpcError('relay_error', 'only admins of this channel can post');
    }
    return row;
  }

  private myKey(): Uint8Array {
    return this.options.account()?.keys.identityPublicKey ?? new Uint8Array(32);
  }
}

/** The relay's copy of an avatar, if it is one of the allowed images (the relay is not trusted to check). */
function previewPostView(channelId: string, post: ChannelPostWire): ChannelPostView {
  return {
    id: post.postId,
    channelId,
    seq: post.seq,
    text: utf8Decoder.decode(post.body),
    postedAt: post.ts,
    ...(post.editedAt !== undefined ? { editedAt: post.editedAt } : {}),
    views: post.views ?? 0,
    verified: true,
  };
}
