/** Local channel tables (schema in ./schema.ts). */
import type { ChannelPostView, ChannelView } from '../../../shared/ipc';
import type { Db } from '../db/database';
import { avatarIdOf } from './avatar';
import type { Revocation } from './revocations';

export interface ChannelRow {
  channel_id: string;
  channel_key: Uint8Array;
  channel_secret_key: Uint8Array | null;
  handle: string | null;
  title: string;
  description: string;
  owner_id: string;
  role: 'owner' | 'admin' | 'subscriber';
  my_cert: Uint8Array | null;
  subscribers: number;
  pinned: string | null;
  /** The channel's avatar (PNG/JPEG/WebP bytes), schema version 5. */
  avatar: Uint8Array | null;
  cursor: number;
  /** The relay's info revision this copy reflects (schema version 8). */
  info_rev: number;
  muted: number;
  last_read_seq: number;
  updated_at: number;
  joined_at: number;
}

export interface PostRow {
  channel_id: string;
  seq: number;
  post_id: string;
  cseq: number;
  rev: number;
  deleted: number;
  text: string;
  author: Uint8Array;
  ts: number;
  edited_at: number | null;
  views: number;
  viewed: number;
}

export interface ChannelUpsert {
  channelId: string;
  channelKey: Uint8Array;
  handle: string | null;
  title: string;
  description: string;
  ownerId: string;
  role: 'owner' | 'admin' | 'subscriber';
  myCert: Uint8Array | null;
  subscribers: number;
  pinned: string | null;
  avatar: Uint8Array | null;
  infoRev: number;
  now: number;
}

export class ChannelRepo {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[string], ChannelRow>('SELECT * FROM channels WHERE channel_id = ?'),
      all: db.prepare<[], ChannelRow>('SELECT * FROM channels ORDER BY updated_at DESC'),
      upsert: db.prepare(
        `INSERT INTO channels (channel_id, channel_key, handle, title, description, owner_id, role, my_cert,
           subscribers, pinned, avatar, info_rev, updated_at, joined_at)
         VALUES (@channelId, @channelKey, @handle, @title, @description, @ownerId, @role, @myCert,
           @subscribers, @pinned, @avatar, @infoRev, @now, @now)
         ON CONFLICT (channel_id) DO UPDATE SET handle = excluded.handle, title = excluded.title,
           description = excluded.description, role = excluded.role,
           my_cert = coalesce(excluded.my_cert, channels.my_cert), subscribers = excluded.subscribers,
           pinned = excluded.pinned, avatar = excluded.avatar, info_rev = excluded.info_rev`,
      ),
      setSecret: db.prepare<[Uint8Array, string]>('UPDATE channels SET channel_secret_key = ? WHERE channel_id = ?'),
      delete: db.prepare<[string]>('DELETE FROM channels WHERE channel_id = ?'),
      setCursor: db.prepare<[number, string]>('UPDATE channels SET cursor = max(cursor, ?) WHERE channel_id = ?'),
      setMuted: db.prepare<[number, string]>('UPDATE channels SET muted = ? WHERE channel_id = ?'),
      setPinned: db.prepare<[string | null, string]>('UPDATE channels SET pinned = ? WHERE channel_id = ?'),
      setAvatar: db.prepare<[Uint8Array | null, number, string]>(
        'UPDATE channels SET avatar = ?, info_rev = ? WHERE channel_id = ?',
      ),
      setInfoRev: db.prepare<[number, string]>('UPDATE channels SET info_rev = ? WHERE channel_id = ?'),
      revocations: db.prepare<[string], { identity_key: Uint8Array; after_cseq: number }>(
        'SELECT identity_key, after_cseq FROM channel_revocations WHERE channel_id = ?',
      ),
      clearRevocations: db.prepare<[string]>('DELETE FROM channel_revocations WHERE channel_id = ?'),
      insertRevocation: db.prepare<[string, Uint8Array, number]>(
        'INSERT OR REPLACE INTO channel_revocations (channel_id, identity_key, after_cseq) VALUES (?, ?, ?)',
      ),
      setSubscribers: db.prepare<[number, string]>('UPDATE channels SET subscribers = ? WHERE channel_id = ?'),
      touch: db.prepare<[number, string]>('UPDATE channels SET updated_at = max(updated_at, ?) WHERE channel_id = ?'),
      markRead: db.prepare<[number, string]>(
        'UPDATE channels SET last_read_seq = max(last_read_seq, ?) WHERE channel_id = ?',
      ),
      post: db.prepare<[string, number], PostRow>('SELECT * FROM channel_posts WHERE channel_id = ? AND seq = ?'),
      postById: db.prepare<[string, string], PostRow>(
        'SELECT * FROM channel_posts WHERE channel_id = ? AND post_id = ?',
      ),
      upsertPost: db.prepare(
        `INSERT INTO channel_posts (channel_id, seq, post_id, cseq, rev, deleted, text, author, ts, edited_at, views)
         VALUES (@channelId, @seq, @postId, @cseq, @rev, @deleted, @text, @author, @ts, @editedAt, @views)
         ON CONFLICT (channel_id, seq) DO UPDATE SET cseq = excluded.cseq, rev = excluded.rev,
           deleted = excluded.deleted, text = excluded.text, author = excluded.author,
           edited_at = excluded.edited_at, views = max(channel_posts.views, excluded.views)
         WHERE excluded.rev > channel_posts.rev OR excluded.cseq > channel_posts.cseq`,
      ),
      setViews: db.prepare<[number, string, number]>(
        'UPDATE channel_posts SET views = max(views, ?) WHERE channel_id = ? AND seq = ?',
      ),
      markViewed: db.prepare<[string, number]>('UPDATE channel_posts SET viewed = 1 WHERE channel_id = ? AND seq = ?'),
      before: db.prepare<[string, number, number], PostRow>(
        'SELECT * FROM channel_posts WHERE channel_id = ? AND seq < ? AND deleted = 0 ORDER BY seq DESC LIMIT ?',
      ),
      latest: db.prepare<[string], PostRow>(
        'SELECT * FROM channel_posts WHERE channel_id = ? AND deleted = 0 ORDER BY seq DESC LIMIT 1',
      ),
      unread: db
        .prepare<[string, number, Uint8Array], number>(
          'SELECT count(*) FROM channel_posts WHERE channel_id = ? AND seq > ? AND deleted = 0 AND author != ?',
        )
        .pluck(),
      minSeq: db.prepare<[string], number | null>('SELECT min(seq) FROM channel_posts WHERE channel_id = ?').pluck(),
    };
  }

  get(channelId: string): ChannelRow | undefined {
    return this.s.get.get(channelId);
  }

  all(): ChannelRow[] {
    return this.s.all.all();
  }

  upsert(channel: ChannelUpsert): void {
    this.s.upsert.run(channel);
  }

  setSecretKey(channelId: string, secretKey: Uint8Array): void {
    this.s.setSecret.run(secretKey, channelId);
  }

  delete(channelId: string): void {
    this.s.delete.run(channelId);
  }

  advanceCursor(channelId: string, cseq: number): void {
    this.s.setCursor.run(cseq, channelId);
  }

  setMuted(channelId: string, muted: boolean): void {
    this.s.setMuted.run(muted ? 1 : 0, channelId);
  }

  setPinned(channelId: string, postId: string | null): void {
    this.s.setPinned.run(postId, channelId);
  }

  /** The avatar as of info revision `infoRev` (null: none). */
  setAvatar(channelId: string, avatar: Uint8Array | null, infoRev: number): void {
    this.s.setAvatar.run(avatar, infoRev, channelId);
  }

  setInfoRev(channelId: string, infoRev: number): void {
    this.s.setInfoRev.run(infoRev, channelId);
  }

  revocations(channelId: string): Revocation[] {
    return this.s.revocations.all(channelId).map((row) => ({ identityKey: row.identity_key, after: row.after_cseq }));
  }

  /** Replaces the channel's revocations (the relay's list is the whole truth each time). */
  setRevocations(channelId: string, revocations: readonly Revocation[]): void {
    this.s.clearRevocations.run(channelId);
    for (const r of revocations) this.s.insertRevocation.run(channelId, r.identityKey, r.after);
  }

  setSubscribers(channelId: string, count: number): void {
    this.s.setSubscribers.run(count, channelId);
  }

  touch(channelId: string, at: number): void {
    this.s.touch.run(at, channelId);
  }

  markRead(channelId: string, seq: number): void {
    this.s.markRead.run(seq, channelId);
  }

  post(channelId: string, seq: number): PostRow | undefined {
    return this.s.post.get(channelId, seq);
  }

  postById(channelId: string, postId: string): PostRow | undefined {
    return this.s.postById.get(channelId, postId);
  }

  /** Stores a post revision unless a newer one is already here; true when it changed something. */
  upsertPost(post: {
    channelId: string;
    seq: number;
    postId: string;
    cseq: number;
    rev: number;
    deleted: boolean;
    text: string;
    author: Uint8Array;
    ts: number;
    editedAt: number | null;
    views: number;
  }): boolean {
    return this.s.upsertPost.run({ ...post, deleted: post.deleted ? 1 : 0 }).changes > 0;
  }

  setViews(channelId: string, seq: number, views: number): void {
    this.s.setViews.run(views, channelId, seq);
  }

  markViewed(channelId: string, seq: number): void {
    this.s.markViewed.run(channelId, seq);
  }

  /** Live posts older than `beforeSeq`, newest first. */
  before(channelId: string, beforeSeq: number, limit: number): PostRow[] {
    return this.s.before.all(channelId, beforeSeq, limit);
  }

  latest(channelId: string): PostRow | undefined {
    return this.s.latest.get(channelId);
  }

  unread(channelId: string, lastReadSeq: number, myKey: Uint8Array): number {
    return this.s.unread.get(channelId, lastReadSeq, myKey) ?? 0;
  }

  oldestSeq(channelId: string): number | null {
    return this.s.minSeq.get(channelId) ?? null;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

export function postViewOf(row: PostRow): ChannelPostView {
  return {
    id: row.post_id,
    channelId: row.channel_id,
    seq: row.seq,
    text: row.text,
    postedAt: row.ts,
    ...(row.edited_at !== null ? { editedAt: row.edited_at } : {}),
    views: row.views,
    verified: true,
  };
}

export function channelViewOf(row: ChannelRow, repo: ChannelRepo, myKey: Uint8Array): ChannelView {
  const latest = repo.latest(row.channel_id);
  return {
    id: row.channel_id,
    kind: 'channel',
    title: row.title,
    description: row.description,
    handle: row.handle,
    isPublic: row.handle !== null,
    role: row.role,
    canPost: row.role === 'owner' || row.role === 'admin',
    subscribers: row.subscribers,
    subscribed: true,
    muted: row.muted === 1,
    unread: repo.unread(row.channel_id, row.last_read_seq, myKey),
    pinnedPostId: row.pinned,
    ...(row.avatar && row.avatar.byteLength > 0 ? { avatarId: avatarIdOf(row.avatar) } : {}),
    updatedAt: row.updated_at,
    ...(latest ? { lastPostText: latest.text.slice(0, 200) } : {}),
    encrypted: false,
  };
}
