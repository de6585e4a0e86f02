/**
 * ChannelStore on the relay's SQLite database, sharing its connection and its group commit
 * (a post commits with the sends of the same loop turn, under one fsync).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { CHANNEL_LIMITS, type ChannelPostWire } from '../../../shared/protocol';
import { bytesEqual } from '../groups/signatures';
import type { GroupCommit } from '../storage/groupCommit';
import type {
  AddAdminResult,
  AdminListEntry,
  AdminRecord,
  AppendPostResult,
  ChannelRecord,
  ChannelStore,
  CreateChannelResult,
  EditPostResult,
  Membership,
  NewChannel,
  NewPost,
  PostEdit,
  RemoveAdminResult,
  RevocationRecord,
  SubscribeResult,
  UnsubscribeResult,
  ViewIncrement,
} from './store';

interface ChannelRow {
  channel_id: string;
  channel_key: Buffer<ArrayBuffer>;
  owner_id: string;
  handle: string | null;
  title: string;
  description: string;
  avatar: Buffer<ArrayBuffer> | null;
  head: number;
  subscribers: number;
  pinned: string | null;
  info_rev: number;
}

interface PostRow {
  seq: number;
  post_id: string;
  cseq: number;
  rev: number;
  deleted: number;
  body: Buffer<ArrayBuffer>;
  author: Buffer<ArrayBuffer>;
  cert: Buffer<ArrayBuffer>;
  sig: Buffer<ArrayBuffer>;
  ts: number;
  edited_at: number | null;
  views: number;
}

const CHANNEL_COLUMNS =
  'channel_id, channel_key, owner_id, handle, title, description, avatar, head, subscribers, pinned, info_rev';
const POST_COLUMNS = 'seq, post_id, cseq, rev, deleted, body, author, cert, sig, ts, edited_at, views';

const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export class SqliteChannelStore implements ChannelStore {
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      channelById: db.prepare<[string], ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE channel_id = ?`),
      channelByHandle: db.prepare<[string], ChannelRow>(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE handle = ?`),
      channelByKey: db.prepare<[Buffer], { channel_id: string }>(
        'SELECT channel_id FROM channels WHERE channel_key = ?',
      ),
      search: db.prepare<[string, string, number], ChannelRow>(
        `SELECT ${CHANNEL_COLUMNS} FROM channels
         WHERE handle IS NOT NULL AND (handle LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\')
         ORDER BY subscribers DESC, handle LIMIT ?`,
      ),
      insertChannel: db.prepare(
        `INSERT INTO channels (channel_id, channel_key, owner_id, handle, title, description, avatar, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      member: db
        .prepare<[string, string], number>('SELECT 1 FROM channel_members WHERE channel_id = ? AND user_id = ?')
        .pluck(),
      admin: db.prepare<[string, string], { identity_key: Buffer<ArrayBuffer>; cert: Buffer<ArrayBuffer> }>(
        'SELECT identity_key, cert FROM channel_admins WHERE channel_id = ? AND user_id = ?',
      ),
      insertMember: db.prepare<[string, string, number]>(
        'INSERT INTO channel_members (channel_id, user_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      deleteMember: db.prepare<[string, string]>('DELETE FROM channel_members WHERE channel_id = ? AND user_id = ?'),
      deleteAdmin: db.prepare<[string, string]>('DELETE FROM channel_admins WHERE channel_id = ? AND user_id = ?'),
      addSubscribers: db.prepare<[number, string]>(
        'UPDATE channels SET subscribers = subscribers + ? WHERE channel_id = ?',
      ),
      upsertAdmin: db.prepare<[string, string, Buffer, Buffer]>(
        `INSERT INTO channel_admins (channel_id, user_id, identity_key, cert) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_id, user_id) DO UPDATE SET identity_key = excluded.identity_key, cert = excluded.cert`,
      ),
      adminCount: db.prepare<[string], number>('SELECT count(*) FROM channel_admins WHERE channel_id = ?').pluck(),
      adminList: db.prepare<
        [string],
        { user_id: string; username: string; display_name: string; identity_key: Buffer<ArrayBuffer> }
      >(
        `SELECT a.user_id, u.username, u.display_name, a.identity_key
         FROM channel_admins a JOIN users u ON u.user_id = a.user_id
         WHERE a.channel_id = ? ORDER BY u.username`,
      ),
      bumpInfoRev: db.prepare<[string]>('UPDATE channels SET info_rev = info_rev + 1 WHERE channel_id = ?'),
      setAvatar: db.prepare<[Buffer | null, string]>('UPDATE channels SET avatar = ? WHERE channel_id = ?'),
      revocations: db.prepare<
        [string],
        { identity_key: Buffer<ArrayBuffer>; after_cseq: number; sig: Buffer<ArrayBuffer> }
      >(
        `SELECT identity_key, after_cseq, sig FROM channel_revocations WHERE channel_id = ?
         ORDER BY revoked_at, identity_key`,
      ),
      revocationCount: db
        .prepare<[string], number>('SELECT count(*) FROM channel_revocations WHERE channel_id = ?')
        .pluck(),
      insertRevocation: db.prepare<[string, Buffer, number, Buffer, number]>(
        `INSERT INTO channel_revocations (channel_id, identity_key, after_cseq, sig, revoked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (channel_id, identity_key) DO UPDATE SET after_cseq = excluded.after_cseq, sig = excluded.sig,
           revoked_at = excluded.revoked_at`,
      ),
      deleteRevocation: db.prepare<[string, Buffer]>(
        'DELETE FROM channel_revocations WHERE channel_id = ? AND identity_key = ?',
      ),
      invite: db
        .prepare<[string], string>('SELECT channel_id FROM channel_invites WHERE token = ? AND revoked_at IS NULL')
        .pluck(),
      insertInvite: db.prepare<[string, string, number]>(
        'INSERT INTO channel_invites (token, channel_id, created_at) VALUES (?, ?, ?)',
      ),
      revokeInvite: db.prepare<[number, string, string]>(
        'UPDATE channel_invites SET revoked_at = ? WHERE token = ? AND channel_id = ? AND revoked_at IS NULL',
      ),
      nextHead: db
        .prepare<[string], number>('UPDATE channels SET head = head + 1 WHERE channel_id = ? RETURNING head')
        .pluck(),
      postById: db.prepare<[string, string], PostRow>(
        `SELECT ${POST_COLUMNS} FROM channel_posts WHERE channel_id = ? AND post_id = ?`,
      ),
      insertPost: db.prepare(
        `INSERT INTO channel_posts (channel_id, seq, post_id, cseq, rev, deleted, body, author, cert, sig, ts)
         VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?)`,
      ),
      updatePost: db.prepare(
        `UPDATE channel_posts SET cseq = ?, rev = ?, deleted = ?, body = ?, author = ?, cert = ?, sig = ?, edited_at = ?
         WHERE channel_id = ? AND post_id = ?`,
      ),
      setPinned: db.prepare<[string | null, string]>('UPDATE channels SET pinned = ? WHERE channel_id = ?'),
      unpinIf: db.prepare<[string, string]>('UPDATE channels SET pinned = NULL WHERE channel_id = ? AND pinned = ?'),
      changesAfter: db.prepare<[string, number, number], PostRow>(
        `SELECT ${POST_COLUMNS} FROM channel_posts WHERE channel_id = ? AND cseq > ? ORDER BY cseq LIMIT ?`,
      ),
      historyBefore: db.prepare<[string, number, number], PostRow>(
        `SELECT ${POST_COLUMNS} FROM channel_posts WHERE channel_id = ? AND seq < ? AND deleted = 0
         ORDER BY seq DESC LIMIT ?`,
      ),
      addViews: db.prepare<[number, string, number]>(
        'UPDATE channel_posts SET views = views + ? WHERE channel_id = ? AND seq = ?',
      ),
      views: db
        .prepare<[string, number], number>('SELECT views FROM channel_posts WHERE channel_id = ? AND seq = ?')
        .pluck(),
    };
  }

  createChannel(channel: NewChannel): Promise<CreateChannelResult> {
    const s = this.s;
    return this.writes.run((): CreateChannelResult => {
      if (channel.handle !== null && s.channelByHandle.get(channel.handle)) return { status: 'handle_taken' };
      if (s.channelByKey.get(buf(channel.channelKey))) return { status: 'key_exists' };
      s.insertChannel.run(
        channel.channelId,
        buf(channel.channelKey),
        channel.ownerId,
        channel.handle,
        channel.title,
        channel.description,
        channel.avatar ? buf(channel.avatar) : null,
        channel.now,
      );
      s.upsertAdmin.run(channel.channelId, channel.ownerId, buf(channel.ownerIdentityKey), buf(channel.ownerCert));
      s.insertMember.run(channel.channelId, channel.ownerId, channel.now);
      s.addSubscribers.run(1, channel.channelId);
      const row = s.channelById.get(channel.channelId);
      if (!row) throw new Error('the new channel disappeared');
      return { status: 'created', channel: toChannel(row) };
    });
  }

  async getChannel(channelId: string): Promise<ChannelRecord | undefined> {
    const row = this.s.channelById.get(channelId);
    return row && toChannel(row);
  }

  async getChannelByHandle(handle: string): Promise<ChannelRecord | undefined> {
    const row = this.s.channelByHandle.get(handle);
    return row && toChannel(row);
  }

  async searchPublic(query: string, limit: number): Promise<ChannelRecord[]> {
    const q = escapeLike(query.trim().replace(/^@/, ''));
    if (q.length === 0) return [];
    return this.s.search.all(`${q}%`, `%${q}%`, limit).map(toChannel);
  }

  async membership(channelId: string, userId: string): Promise<Membership> {
    const admin = this.s.admin.get(channelId, userId);
    return {
      member: this.s.member.get(channelId, userId) === 1,
      admin: admin ? { identityKey: admin.identity_key, cert: admin.cert } : undefined,
    };
  }

  subscribe(channelId: string, userId: string, now: number, allowPrivate: boolean): Promise<SubscribeResult> {
    const s = this.s;
    return this.writes.run((): SubscribeResult => {
      const channel = s.channelById.get(channelId);
      if (!channel || (channel.handle === null && !allowPrivate)) return 'unknown_channel';
      if (s.insertMember.run(channelId, userId, now).changes === 0) return 'already';
      s.addSubscribers.run(1, channelId);
      return 'subscribed';
    });
  }

  unsubscribe(channelId: string, userId: string): Promise<UnsubscribeResult> {
    const s = this.s;
    return this.writes.run((): UnsubscribeResult => {
      const channel = s.channelById.get(channelId);
      if (channel?.owner_id === userId) return 'owner';
      if (s.deleteMember.run(channelId, userId).changes === 0) return 'not_member';
      s.deleteAdmin.run(channelId, userId);
      s.addSubscribers.run(-1, channelId);
      return 'unsubscribed';
    });
  }

  joinByInvite(token: string, userId: string, now: number): Promise<string | undefined> {
    const s = this.s;
    return this.writes.run((): string | undefined => {
      const channelId = s.invite.get(token);
      if (channelId === undefined) return undefined;
      if (s.insertMember.run(channelId, userId, now).changes > 0) s.addSubscribers.run(1, channelId);
      return channelId;
    });
  }

  createInvite(channelId: string, token: string, now: number): Promise<void> {
    return this.writes.run(() => {
      this.s.insertInvite.run(token, channelId, now);
    });
  }

  revokeInvite(channelId: string, token: string, now: number): Promise<void> {
    return this.writes.run(() => {
      this.s.revokeInvite.run(now, token, channelId);
    });
  }

  addAdmin(channelId: string, userId: string, admin: AdminRecord, now: number): Promise<AddAdminResult> {
    const s = this.s;
    return this.writes.run((): AddAdminResult => {
      const isNew = s.admin.get(channelId, userId) === undefined;
      if (isNew && (s.adminCount.get(channelId) ?? 0) >= CHANNEL_LIMITS.maxAdmins) return { status: 'admin_limit' };
      s.upsertAdmin.run(channelId, userId, buf(admin.identityKey), buf(admin.cert));
      if (s.insertMember.run(channelId, userId, now).changes > 0) s.addSubscribers.run(1, channelId);
      // Certified again: posts by this key count from now on, like before the removal.
      s.deleteRevocation.run(channelId, buf(admin.identityKey));
      return { status: 'added', channel: this.bumpedChannel(channelId) };
    });
  }

  removeAdmin(
    channelId: string,
    userId: string,
    revocation: { readonly identityKey: Uint8Array; readonly sig: Uint8Array },
    now: number,
  ): Promise<RemoveAdminResult> {
    const s = this.s;
    return this.writes.run((): RemoveAdminResult => {
      const channel = s.channelById.get(channelId);
      const admin = s.admin.get(channelId, userId);
      if (!channel || !admin || channel.owner_id === userId) return { status: 'not_admin' };
      if (!bytesEqual(admin.identity_key, revocation.identityKey)) return { status: 'identity_changed' };
      if ((s.revocationCount.get(channelId) ?? 0) >= CHANNEL_LIMITS.maxRevocations) return { status: 'admin_limit' };
      s.deleteAdmin.run(channelId, userId);
      // The head read in this transaction: every revision by that key so far has a number up to it.
      s.insertRevocation.run(channelId, buf(revocation.identityKey), channel.head, buf(revocation.sig), now);
      return { status: 'removed', channel: this.bumpedChannel(channelId) };
    });
  }

  async admins(channelId: string): Promise<AdminListEntry[]> {
    return this.s.adminList.all(channelId).map((row) => ({
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      identityKey: row.identity_key,
    }));
  }

  async revocations(channelId: string): Promise<RevocationRecord[]> {
    return this.s.revocations
      .all(channelId)
      .map((row) => ({ identityKey: row.identity_key, after: row.after_cseq, sig: row.sig }));
  }

  setAvatar(channelId: string, avatar: Uint8Array | null): Promise<ChannelRecord | undefined> {
    const s = this.s;
    return this.writes.run((): ChannelRecord | undefined => {
      if (s.setAvatar.run(avatar ? buf(avatar) : null, channelId).changes === 0) return undefined;
      return this.bumpedChannel(channelId);
    });
  }

  /** Bumps the info revision and reads the channel back (inside a write). */
  private bumpedChannel(channelId: string): ChannelRecord {
    this.s.bumpInfoRev.run(channelId);
    const row = this.s.channelById.get(channelId);
    if (!row) throw new Error('the channel disappeared');
    return toChannel(row);
  }

  appendPost(post: NewPost): Promise<AppendPostResult> {
    const s = this.s;
    return this.writes.run((): AppendPostResult => {
      const previous = s.postById.get(post.channelId, post.postId);
      if (previous) return { status: 'duplicate', post: toPost(previous) };
      // Checked again here: a removal committed since the handler's check must win.
      if (!this.isAdminFor(post.channelId, post.userId, post.author)) return { status: 'not_admin' };
      const seq = s.nextHead.get(post.channelId);
      if (seq === undefined) return { status: 'unknown_channel' };
      const ts = Math.floor(post.now);
      s.insertPost.run(
        post.channelId,
        seq,
        post.postId,
        seq,
        buf(post.body),
        buf(post.author),
        buf(post.cert),
        buf(post.sig),
        ts,
      );
      return {
        status: 'stored',
        post: {
          postId: post.postId,
          seq,
          cseq: seq,
          rev: 0,
          deleted: false,
          body: post.body,
          ts,
          author: post.author,
          cert: post.cert,
          sig: post.sig,
        },
      };
    });
  }

  editPost(edit: PostEdit): Promise<EditPostResult> {
    const s = this.s;
    return this.writes.run((): EditPostResult => {
      if (!this.isAdminFor(edit.channelId, edit.userId, edit.author)) return { status: 'not_admin' };
      const current = s.postById.get(edit.channelId, edit.postId);
      if (!current) return { status: 'not_found' };
      if (edit.rev <= current.rev || current.deleted === 1) return { status: 'stale_revision' };
      const cseq = s.nextHead.get(edit.channelId);
      if (cseq === undefined) return { status: 'not_found' };
      const editedAt = Math.floor(edit.now);
      const body = edit.deleted ? new Uint8Array(0) : edit.body;
      s.updatePost.run(
        cseq,
        edit.rev,
        edit.deleted ? 1 : 0,
        buf(body),
        buf(edit.author),
        buf(edit.cert),
        buf(edit.sig),
        editedAt,
        edit.channelId,
        edit.postId,
      );
      if (edit.deleted) s.unpinIf.run(edit.channelId, edit.postId);
      return {
        status: 'stored',
        post: {
          postId: edit.postId,
          seq: current.seq,
          cseq,
          rev: edit.rev,
          deleted: edit.deleted,
          body,
          ts: current.ts,
          editedAt,
          author: edit.author,
          cert: edit.cert,
          sig: edit.sig,
        },
      };
    });
  }

  private isAdminFor(channelId: string, userId: string, identityKey: Uint8Array): boolean {
    const admin = this.s.admin.get(channelId, userId);
    return admin !== undefined && bytesEqual(admin.identity_key, identityKey);
  }

  setPinned(channelId: string, postId: string | null): Promise<boolean> {
    const s = this.s;
    return this.writes.run((): boolean => {
      if (postId !== null) {
        const post = s.postById.get(channelId, postId);
        if (!post || post.deleted === 1) return false;
      }
      return s.setPinned.run(postId, channelId).changes > 0;
    });
  }

  async changesAfter(channelId: string, after: number, limit: number): Promise<ChannelPostWire[]> {
    return this.s.changesAfter.all(channelId, after, limit).map(toPost);
  }

  async history(channelId: string, beforeSeq: number | undefined, limit: number): Promise<ChannelPostWire[]> {
    return this.s.historyBefore.all(channelId, beforeSeq ?? Number.MAX_SAFE_INTEGER, limit).map(toPost);
  }

  addViews(increments: readonly ViewIncrement[]): Promise<void> {
    return this.writes.run(() => {
      for (const { channelId, seq, count } of increments) this.s.addViews.run(count, channelId, seq);
    });
  }

  async viewCounts(channelId: string, seqs: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const seq of new Set(seqs)) {
      const views = this.s.views.get(channelId, seq);
      if (views !== undefined) counts.set(seq, views);
    }
    return counts;
  }
}

function toChannel(row: ChannelRow): ChannelRecord {
  return {
    channelId: row.channel_id,
    channelKey: row.channel_key,
    ownerId: row.owner_id,
    handle: row.handle,
    title: row.title,
    description: row.description,
    avatar: row.avatar,
    head: row.head,
    subscribers: row.subscribers,
    pinned: row.pinned,
    infoRev: row.info_rev,
  };
}

function toPost(row: PostRow): ChannelPostWire {
  return {
    postId: row.post_id,
    seq: row.seq,
    cseq: row.cseq,
    rev: row.rev,
    deleted: row.deleted === 1,
    body: row.body,
    ts: row.ts,
    ...(row.edited_at !== null ? { editedAt: row.edited_at } : {}),
    author: row.author,
    cert: row.cert,
    sig: row.sig,
    views: row.views,
  };
}

/** Makes `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
