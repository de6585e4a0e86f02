/**
 * GroupStore on the relay's SQLite database, sharing its connection and its group commit.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { Packr } from 'msgpackr';
import { groupChangeWire, type GroupChangeWire, type GroupMemberWire, type GroupRole } from '../../../shared/protocol';
import type { GroupCommit } from '../storage/groupCommit';
import type {
  AppendGroupMessageResult,
  ApplyChangeResult,
  ChangeEffects,
  GroupSnapshot,
  GroupStore,
  StoredGroupMessage,
} from './store';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

interface GroupRow {
  group_id: string;
  name: string;
  owner_id: string;
  version: number;
  head: number;
}

export class SqliteGroupStore implements GroupStore {
  private readonly s;
  /** A timed message was deleted (by ack or backlog) since the last sweep's checkpoint. */
  private timedDeleted = false;

  constructor(
    private readonly db: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      group: db.prepare<[string], GroupRow>(
        'SELECT group_id, name, owner_id, version, head FROM groups WHERE group_id = ?',
      ),
      members: db.prepare<[string], { user_id: string; role: GroupRole }>(
        'SELECT user_id, role FROM group_members WHERE group_id = ? ORDER BY user_id',
      ),
      role: db.prepare<[string, string], { role: GroupRole }>(
        'SELECT role FROM group_members WHERE group_id = ? AND user_id = ?',
      ),
      invites: db.prepare<[string], { token: string; approval: number }>(
        'SELECT token, approval FROM group_invites WHERE group_id = ? AND revoked = 0 ORDER BY token',
      ),
      pending: db.prepare<[string], { user_id: string }>(
        'SELECT user_id FROM group_join_requests WHERE group_id = ? ORDER BY requested_at, user_id',
      ),
      pendingCount: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM group_join_requests WHERE group_id = ?',
      ),
      insertGroup: db.prepare(
        'INSERT INTO groups (group_id, name, owner_id, version, created_at) VALUES (?, ?, ?, 1, ?) ON CONFLICT DO NOTHING',
      ),
      insertMember: db.prepare(
        'INSERT INTO group_members (group_id, user_id, role, cursor, joined_at) VALUES (?, ?, ?, ?, ?)',
      ),
      deleteMember: db.prepare('DELETE FROM group_members WHERE group_id = ? AND user_id = ?'),
      setRole: db.prepare('UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?'),
      insertChange: db.prepare('INSERT INTO group_changes (group_id, version, change) VALUES (?, ?, ?)'),
      bumpVersion: db.prepare('UPDATE groups SET version = ? WHERE group_id = ? AND version = ?'),
      rename: db.prepare('UPDATE groups SET name = ? WHERE group_id = ?'),
      insertInvite: db.prepare(
        'INSERT INTO group_invites (token, group_id, approval) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      revokeInvite: db.prepare('UPDATE group_invites SET revoked = 1 WHERE token = ? AND group_id = ?'),
      findInvite: db.prepare<[string], { group_id: string; approval: number }>(
        'SELECT group_id, approval FROM group_invites WHERE token = ? AND revoked = 0',
      ),
      insertRequest: db.prepare(
        'INSERT INTO group_join_requests (group_id, user_id, requested_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      deleteRequest: db.prepare('DELETE FROM group_join_requests WHERE group_id = ? AND user_id = ?'),
      changesAfter: db.prepare<[string, number, number], { change: Buffer }>(
        'SELECT change FROM group_changes WHERE group_id = ? AND version > ? ORDER BY version LIMIT ?',
      ),
      sent: db.prepare<[string, string, string], { seq: number; ts: number }>(
        'SELECT seq, ts FROM group_sent WHERE group_id = ? AND sender_id = ? AND msg_id = ?',
      ),
      takeSeq: db.prepare<[string], { head: number; version: number }>(
        'UPDATE groups SET head = head + 1 WHERE group_id = ? RETURNING head, version',
      ),
      // Stamped with the group's membership version, read in the same transaction (roles as they were).
      insertMessage: db.prepare(
        `INSERT INTO group_messages (group_id, seq, sender_id, msg_id, ts, body, purge_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSent: db.prepare('INSERT INTO group_sent (group_id, sender_id, msg_id, seq, ts) VALUES (?, ?, ?, ?, ?)'),
      advanceOwnCursor: db.prepare(
        'UPDATE group_members SET cursor = ? WHERE group_id = ? AND user_id = ? AND cursor = ?',
      ),
      setCursor: db.prepare(
        `UPDATE group_members SET cursor = MAX(cursor, MIN(?, (SELECT head FROM groups WHERE group_id = ?)))
         WHERE group_id = ? AND user_id = ?`,
      ),
      messagesAfter: db.prepare<
        [string, string, number, number, number],
        { seq: number; sender_id: string; msg_id: string; ts: number; body: Buffer; version: number | null }
      >(
        `SELECT m.seq, m.sender_id, m.msg_id, m.ts, m.body, m.version FROM group_messages m
         WHERE m.group_id = ? AND EXISTS (SELECT 1 FROM group_members WHERE group_id = m.group_id AND user_id = ?)
           AND m.seq > ? AND (m.purge_at IS NULL OR m.purge_at > ?) ORDER BY m.seq LIMIT ?`,
      ),
      purgeExpired: db.prepare<[number]>('DELETE FROM group_messages WHERE purge_at IS NOT NULL AND purge_at <= ?'),
      // RETURNING purge_at: a timed message gone by ack must leave the WAL at the next sweep too.
      purgeDelivered: db.prepare<[string, string], { purge_at: number | null }>(
        `DELETE FROM group_messages WHERE group_id = ?
         AND seq <= (SELECT MIN(cursor) FROM group_members WHERE group_id = ?) RETURNING purge_at`,
      ),
      pruneSent: db.prepare('DELETE FROM group_sent WHERE ts < ?'),
      dropBeyondBacklog: db.prepare<[string, number], { purge_at: number | null }>(
        'DELETE FROM group_messages WHERE group_id = ? AND seq <= ? RETURNING purge_at',
      ),
      groupsOf: db.prepare<[string], { group_id: string; cursor: number; version: number }>(
        `SELECT m.group_id, m.cursor, g.version FROM group_members m JOIN groups g ON g.group_id = m.group_id
         WHERE m.user_id = ? ORDER BY m.group_id`,
      ),
      memberIds: db.prepare<[string], { user_id: string }>('SELECT user_id FROM group_members WHERE group_id = ?'),
    };
  }

  createGroup(change: GroupChangeWire, members: readonly GroupMemberWire[], now: number): Promise<boolean> {
    return this.writes.run((): boolean => {
      if (this.s.insertGroup.run(change.gid, change.name ?? '', change.actor, now).changes === 0) return false;
      for (const m of members) this.s.insertMember.run(change.gid, m.userId, m.role, 0, now);
      this.s.insertChange.run(change.gid, 1, packr.pack(change));
      return true;
    });
  }

  async snapshot(groupId: string): Promise<GroupSnapshot | undefined> {
    const row = this.s.group.get(groupId);
    if (!row) return undefined;
    return {
      group: { groupId: row.group_id, name: row.name, ownerId: row.owner_id, version: row.version, head: row.head },
      members: this.s.members.all(groupId).map((m) => ({ userId: m.user_id, role: m.role })),
      invites: this.s.invites.all(groupId).map((i) => ({ token: i.token, approval: i.approval === 1 })),
      pending: this.s.pending.all(groupId).map((p) => p.user_id),
    };
  }

  async role(groupId: string, userId: string): Promise<GroupRole | undefined> {
    return this.s.role.get(groupId, userId)?.role;
  }

  applyChange(effects: ChangeEffects, now: number): Promise<ApplyChangeResult> {
    return this.writes.run((): ApplyChangeResult => {
      const { change } = effects;
      const gid = change.gid;
      if (this.s.group.get(gid)?.version !== change.version - 1) return { status: 'conflict' };
      if (effects.inviteCreated) {
        const created = this.s.insertInvite.run(
          effects.inviteCreated.token,
          gid,
          effects.inviteCreated.approval ? 1 : 0,
        );
        if (created.changes === 0) return { status: 'invite_taken' };
      }
      this.s.bumpVersion.run(change.version, gid, change.version - 1);
      const head = this.s.group.get(gid)!.head;
      for (const m of effects.added) {
        this.s.insertMember.run(gid, m.userId, m.role, head, now);
        this.s.deleteRequest.run(gid, m.userId);
      }
      for (const userId of effects.removed) this.s.deleteMember.run(gid, userId);
      for (const r of effects.roles) this.s.setRole.run(r.role, gid, r.userId);
      if (effects.name !== null) this.s.rename.run(effects.name, gid);
      if (effects.inviteRevoked !== null) this.s.revokeInvite.run(effects.inviteRevoked, gid);
      this.s.insertChange.run(gid, change.version, packr.pack(change));
      if (effects.removed.length > 0) this.noteDeleted(this.s.purgeDelivered.all(gid, gid));
      return { status: 'applied', head };
    });
  }

  async changesAfter(groupId: string, after: number, limit: number): Promise<GroupChangeWire[]> {
    return this.s.changesAfter.all(groupId, after, limit).map((row) => groupChangeWire.parse(packr.unpack(row.change)));
  }

  async findInvite(token: string): Promise<{ groupId: string; approval: boolean } | undefined> {
    const row = this.s.findInvite.get(token);
    return row ? { groupId: row.group_id, approval: row.approval === 1 } : undefined;
  }

  requestJoin(groupId: string, userId: string, max: number, now: number): Promise<boolean> {
    return this.writes.run((): boolean => {
      if (this.s.pendingCount.get(groupId)!.n >= max) return false;
      this.s.insertRequest.run(groupId, userId, now);
      return true;
    });
  }

  appendMessage(
    groupId: string,
    senderId: string,
    msgId: string,
    body: Uint8Array,
    now: number,
    maxBacklog: number,
    purgeAt?: number,
  ): Promise<AppendGroupMessageResult> {
    return this.writes.run((): AppendGroupMessageResult => {
      if (!this.s.role.get(groupId, senderId)) return { status: 'not_member' };
      const previous = this.s.sent.get(groupId, senderId, msgId);
      if (previous) return { status: 'stored', seq: previous.seq, ts: previous.ts, duplicate: true };
      const { head: seq, version } = this.s.takeSeq.get(groupId)!;
      // Already past its deadline (a late resend from an outbox, a skewed clock): accepted so
      // the sender can drop it, but never deliverable, so its bytes never reach the disk.
      const expired = purgeAt !== undefined && purgeAt <= now;
      if (!expired) this.s.insertMessage.run(groupId, seq, senderId, msgId, now, buf(body), purgeAt ?? null, version);
      this.s.insertSent.run(groupId, senderId, msgId, seq, now);
      if (seq > maxBacklog) this.noteDeleted(this.s.dropBeyondBacklog.all(groupId, seq - maxBacklog));
      // The sender has its own message: its cursor moves past it — only if it has everything
      // before it. Otherwise earlier messages of others it has not acknowledged yet would be
      // skipped (a connection starts pushing a group at the cursor); its next gAck moves it.
      this.s.advanceOwnCursor.run(seq, groupId, senderId, seq - 1);
      return { status: 'stored', seq, ts: now, duplicate: false, version };
    });
  }

  async messagesAfter(
    groupId: string,
    userId: string,
    after: number,
    limit: number,
    now: number,
  ): Promise<StoredGroupMessage[]> {
    return this.s.messagesAfter.all(groupId, userId, after, now, limit).map((row) => ({
      seq: row.seq,
      senderId: row.sender_id,
      msgId: row.msg_id,
      ts: row.ts,
      body: new Uint8Array(row.body),
      ...(row.version !== null ? { version: row.version } : {}),
    }));
  }

  ack(groupId: string, userId: string, seq: number, pruneBefore: number): Promise<void> {
    return this.writes.run(() => {
      if (this.s.setCursor.run(seq, groupId, groupId, userId).changes > 0) {
        this.noteDeleted(this.s.purgeDelivered.all(groupId, groupId));
      }
      this.s.pruneSent.run(pruneBefore);
    });
  }

  async purgeExpired(now: number): Promise<number> {
    const purged = await this.writes.run(() => this.s.purgeExpired.run(now).changes);
    // As purgeExpiredEnvelopes does, outside any transaction: secure_delete zeroed the rows in
    // the pages, but earlier copies of those pages stay in the WAL until it is checkpointed.
    // Also after timed messages went by ack or backlog since the last sweep.
    if ((purged > 0 || this.timedDeleted) && this.db.open) {
      this.timedDeleted = false;
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return purged;
  }

  /** Rows deleted outside the sweep: remember whether a timed one was among them. */
  private noteDeleted(rows: readonly { purge_at: number | null }[]): void {
    if (rows.some((row) => row.purge_at !== null)) this.timedDeleted = true;
  }

  async groupsOf(userId: string): Promise<{ groupId: string; cursor: number; version: number }[]> {
    return this.s.groupsOf
      .all(userId)
      .map((row) => ({ groupId: row.group_id, cursor: row.cursor, version: row.version }));
  }

  async memberIds(groupId: string): Promise<string[]> {
    return this.s.memberIds.all(groupId).map((row) => row.user_id);
  }
}
