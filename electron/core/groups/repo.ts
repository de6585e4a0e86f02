/** SQL for the group tables (schema.ts). Call the writers inside a Store transaction. */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { groupChangeWire, type GroupChangeWire, type GroupRole } from '../../../shared/protocol';
import { packr } from '../crypto/msgpack';
import type { GroupLogState } from './log';

export type GroupStatus = 'active' | 'removed' | 'left';

export interface GroupRow {
  id: string;
  name: string;
  version: number;
  status: GroupStatus;
  rotate: number;
  mismatch: number;
  unread: number;
  acked_seq: number;
  updated_at: number;
  created_at: number;
}

export interface GroupMessageRow {
  local_id: number;
  group_id: string;
  id: string;
  sender_id: string;
  from_me: number;
  kind: 'text' | 'system';
  text: string;
  sent_at: number;
  seq: number | null;
  status: 'sending' | 'sent' | 'failed' | null;
  body: Uint8Array | null;
}

export interface HeldRow {
  group_id: string;
  seq: number;
  sender_id: string;
  msg_id: string;
  relay_ts: number;
  body: Uint8Array;
}

/** What a system line stores as its text. */
export const systemLineSchema = z.object({
  action: groupChangeWire.shape.action,
  actor: z.string(),
  targets: z.array(z.string()),
  name: z.string().nullable(),
});
export type SystemLine = z.infer<typeof systemLineSchema>;

export class GroupRepo {
  constructor(private readonly db: Database) {}

  get(id: string): GroupRow | undefined {
    return this.db.prepare('SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined;
  }

  all(): GroupRow[] {
    return this.db.prepare('SELECT * FROM groups ORDER BY updated_at DESC').all() as GroupRow[];
  }

  active(): GroupRow[] {
    return this.db.prepare("SELECT * FROM groups WHERE status = 'active'").all() as GroupRow[];
  }

  /** The verified state of a group (null if unknown). */
  logState(id: string): GroupLogState | null {
    const row = this.get(id);
    if (!row) return null;
    const members = new Map<string, GroupRole>(
      (
        this.db.prepare('SELECT user_id, role FROM group_members WHERE group_id = ?').all(id) as {
          user_id: string;
          role: GroupRole;
        }[]
      ).map((m) => [m.user_id, m.role]),
    );
    const invites = new Map<string, boolean>(
      (
        this.db.prepare('SELECT token, approval FROM group_invites WHERE group_id = ?').all(id) as {
          token: string;
          approval: number;
        }[]
      ).map((i) => [i.token, i.approval === 1]),
    );
    return { gid: id, name: row.name, version: row.version, members, invites };
  }

  /** Stores a state after a verified change (and the change itself). */
  saveState(state: GroupLogState, change: GroupChangeWire, now: number): void {
    this.db
      .prepare(
        `INSERT INTO groups (id, name, version, status, updated_at, created_at) VALUES (?, ?, ?, 'active', ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, updated_at = excluded.updated_at`,
      )
      .run(state.gid, state.name, state.version, now, now);
    this.db.prepare('DELETE FROM group_members WHERE group_id = ?').run(state.gid);
    const member = this.db.prepare('INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)');
    for (const [userId, role] of state.members) member.run(state.gid, userId, role);
    this.db.prepare('DELETE FROM group_invites WHERE group_id = ?').run(state.gid);
    const invite = this.db.prepare('INSERT INTO group_invites (group_id, token, approval) VALUES (?, ?, ?)');
    for (const [token, approval] of state.invites) invite.run(state.gid, token, approval ? 1 : 0);
    this.db
      .prepare('INSERT OR REPLACE INTO group_changes (group_id, version, record) VALUES (?, ?, ?)')
      .run(state.gid, change.version, packr.pack(change));
  }

  setStatus(id: string, status: GroupStatus): void {
    this.db.prepare('UPDATE groups SET status = ? WHERE id = ?').run(status, id);
  }

  setRotate(id: string, rotate: boolean): void {
    this.db.prepare('UPDATE groups SET rotate = ? WHERE id = ?').run(rotate ? 1 : 0, id);
  }

  setMismatch(id: string, mismatch: boolean): void {
    this.db.prepare('UPDATE groups SET mismatch = ? WHERE id = ?').run(mismatch ? 1 : 0, id);
  }

  touch(id: string, at: number): void {
    this.db.prepare('UPDATE groups SET updated_at = max(updated_at, ?) WHERE id = ?').run(at, id);
  }

  addUnread(id: string, n: number): void {
    this.db.prepare('UPDATE groups SET unread = unread + ? WHERE id = ?').run(n, id);
  }

  clearUnread(id: string): void {
    this.db.prepare('UPDATE groups SET unread = 0 WHERE id = ?').run(id);
  }

  noteAcked(id: string, seq: number): void {
    this.db.prepare('UPDATE groups SET acked_seq = max(acked_seq, ?) WHERE id = ?').run(seq, id);
  }

  memberCount(id: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM group_members WHERE group_id = ?').get(id) as { n: number }).n;
  }

  // ------------------------------------------------------------ sender keys

  senderKey(id: string): Uint8Array | undefined {
    return (
      this.db.prepare('SELECT state FROM group_sender_keys WHERE group_id = ?').get(id) as
        { state: Uint8Array } | undefined
    )?.state;
  }

  putSenderKey(id: string, state: Uint8Array): void {
    this.db.prepare('INSERT OR REPLACE INTO group_sender_keys (group_id, state) VALUES (?, ?)').run(id, state);
  }

  receiverKey(id: string, senderId: string): Uint8Array | undefined {
    return (
      this.db
        .prepare('SELECT state FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?')
        .get(id, senderId) as { state: Uint8Array } | undefined
    )?.state;
  }

  putReceiverKey(id: string, senderId: string, state: Uint8Array): void {
    this.db
      .prepare('INSERT OR REPLACE INTO group_receiver_keys (group_id, sender_id, state) VALUES (?, ?, ?)')
      .run(id, senderId, state);
  }

  dropReceiverKey(id: string, senderId: string): void {
    this.db.prepare('DELETE FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?').run(id, senderId);
  }

  /** Forgets every key of a group this profile is no longer in (its own chain is rotated on re-entry). */
  dropAllReceiverKeys(id: string): void {
    this.db.prepare('DELETE FROM group_receiver_keys WHERE group_id = ?').run(id);
    this.db.prepare('DELETE FROM group_held WHERE group_id = ?').run(id);
  }

  // ------------------------------------------------------------ held messages

  hold(row: HeldRow, now: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO group_held (group_id, seq, sender_id, msg_id, relay_ts, body, held_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.group_id, row.seq, row.sender_id, row.msg_id, row.relay_ts, row.body, now);
  }

  held(): HeldRow[] {
    return this.db.prepare('SELECT * FROM group_held ORDER BY group_id, seq').all() as HeldRow[];
  }

  unhold(id: string, seq: number): void {
    this.db.prepare('DELETE FROM group_held WHERE group_id = ? AND seq = ?').run(id, seq);
  }

  // ------------------------------------------------------------ messages

  message(id: string, msgId: string): GroupMessageRow | undefined {
    return this.db.prepare('SELECT * FROM group_messages WHERE group_id = ? AND id = ?').get(id, msgId) as
      GroupMessageRow | undefined;
  }

  messageByLocalId(localId: number): GroupMessageRow | undefined {
    return this.db.prepare('SELECT * FROM group_messages WHERE local_id = ?').get(localId) as
      GroupMessageRow | undefined;
  }

  insertMessage(row: Omit<GroupMessageRow, 'local_id'>): number | null {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO group_messages (group_id, id, sender_id, from_me, kind, text, sent_at, seq, status, body)
         VALUES (@group_id, @id, @sender_id, @from_me, @kind, @text, @sent_at, @seq, @status, @body)`,
      )
      .run(row);
    return info.changes === 0 ? null : Number(info.lastInsertRowid);
  }

  markSent(localId: number, seq: number): void {
    this.db
      .prepare("UPDATE group_messages SET status = 'sent', seq = ?, body = NULL WHERE local_id = ?")
      .run(seq, localId);
  }

  markFailed(localId: number): void {
    this.db.prepare("UPDATE group_messages SET status = 'failed', body = NULL WHERE local_id = ?").run(localId);
  }

  unsent(): GroupMessageRow[] {
    return this.db
      .prepare("SELECT * FROM group_messages WHERE status = 'sending' ORDER BY local_id LIMIT 64")
      .all() as GroupMessageRow[];
  }

  history(id: string, beforeLocalId: number | undefined, limit: number): GroupMessageRow[] {
    const rows = this.db
      .prepare('SELECT * FROM group_messages WHERE group_id = ? AND local_id < ? ORDER BY local_id DESC LIMIT ?')
      .all(id, beforeLocalId ?? Number.MAX_SAFE_INTEGER, limit) as GroupMessageRow[];
    return rows.reverse();
  }

  last(id: string): GroupMessageRow | undefined {
    return this.db.prepare('SELECT * FROM group_messages WHERE group_id = ? ORDER BY local_id DESC LIMIT 1').get(id) as
      GroupMessageRow | undefined;
  }
}
