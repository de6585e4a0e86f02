/** SQL for the group tables (schema.ts). Call the writers inside a Store transaction. */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
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
  timer: number;
  timer_at: number;
  draft: string;
  read_upto: number;
}

/**
 * text: a message; system: a membership line (text = JSON SystemLine); timer: the group's
 * self-destruct timer became expires_in; control: our queued edit/delete/reaction (only a
 * sealed body, never shown, deleted once sent); held: the place of a received message whose
 * sender key has not arrived (never shown; becomes the text when it opens).
 */
export type GroupLineKind = 'text' | 'system' | 'timer' | 'control' | 'held';

export interface GroupMessageRow {
  local_id: number;
  group_id: string;
  id: string;
  sender_id: string;
  from_me: number;
  kind: GroupLineKind;
  text: string;
  sent_at: number;
  seq: number | null;
  status: 'sending' | 'sent' | 'failed' | null;
  body: Uint8Array | null;
  reply_to: string | null;
  edited_at: number | null;
  expires_in: number;
  expire_at: number | null;
  forwarded: number;
  purge_at: number | null;
  target_id: string | null;
  read_reported: number;
}

export type NewGroupMessage = Omit<
  GroupMessageRow,
  | 'local_id'
  | 'reply_to'
  | 'edited_at'
  | 'expires_in'
  | 'expire_at'
  | 'forwarded'
  | 'purge_at'
  | 'target_id'
  | 'read_reported'
> &
  Partial<Pick<GroupMessageRow, 'reply_to' | 'expires_in' | 'forwarded' | 'purge_at' | 'target_id'>>;

export interface GroupReaction {
  senderId: string;
  emoji: string;
}

export interface HeldRow {
  group_id: string;
  seq: number;
  sender_id: string;
  msg_id: string;
  relay_ts: number;
  body: Uint8Array;
  /** The group's membership version when the relay stored it (null: an older relay). */
  version: number | null;
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
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  /** Prepared once per SQL text: preparing costs more than running most of these statements. */
  private sql(source: string): Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  get(id: string): GroupRow | undefined {
    return this.sql('SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined;
  }

  all(): GroupRow[] {
    return this.sql('SELECT * FROM groups ORDER BY updated_at DESC').all() as GroupRow[];
  }

  active(): GroupRow[] {
    return this.sql("SELECT * FROM groups WHERE status = 'active'").all() as GroupRow[];
  }

  /** The verified state of a group (null if unknown). */
  logState(id: string): GroupLogState | null {
    const row = this.get(id);
    if (!row) return null;
    const members = new Map<string, GroupRole>(
      (
        this.sql('SELECT user_id, role FROM group_members WHERE group_id = ?').all(id) as {
          user_id: string;
          role: GroupRole;
        }[]
      ).map((m) => [m.user_id, m.role]),
    );
    const invites = new Map<string, boolean>(
      (
        this.sql('SELECT token, approval FROM group_invites WHERE group_id = ?').all(id) as {
          token: string;
          approval: number;
        }[]
      ).map((i) => [i.token, i.approval === 1]),
    );
    return { gid: id, name: row.name, version: row.version, members, invites };
  }

  /** The verified change records of a group with after < version <= upTo, oldest first. */
  changesBetween(id: string, after: number, upTo: number): GroupChangeWire[] {
    return (
      this.sql(
        'SELECT record FROM group_changes WHERE group_id = ? AND version > ? AND version <= ? ORDER BY version',
      ).all(id, after, upTo) as { record: Uint8Array }[]
    ).map((row) => groupChangeWire.parse(packr.unpack(row.record)));
  }

  /** Stores a state after a verified change (and the change itself). */
  saveState(state: GroupLogState, change: GroupChangeWire, now: number): void {
    this.sql(
      `INSERT INTO groups (id, name, version, status, updated_at, created_at) VALUES (?, ?, ?, 'active', ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version, updated_at = excluded.updated_at`,
    ).run(state.gid, state.name, state.version, now, now);
    this.sql('DELETE FROM group_members WHERE group_id = ?').run(state.gid);
    const member = this.sql('INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)');
    for (const [userId, role] of state.members) member.run(state.gid, userId, role);
    this.sql('DELETE FROM group_invites WHERE group_id = ?').run(state.gid);
    const invite = this.sql('INSERT INTO group_invites (group_id, token, approval) VALUES (?, ?, ?)');
    for (const [token, approval] of state.invites) invite.run(state.gid, token, approval ? 1 : 0);
    this.sql('INSERT OR REPLACE INTO group_changes (group_id, version, record) VALUES (?, ?, ?)').run(
      state.gid,
      change.version,
      packr.pack(change),
    );
  }

  setStatus(id: string, status: GroupStatus): void {
    this.sql('UPDATE groups SET status = ? WHERE id = ?').run(status, id);
  }

  setRotate(id: string, rotate: boolean): void {
    this.sql('UPDATE groups SET rotate = ? WHERE id = ?').run(rotate ? 1 : 0, id);
  }

  /** Every group `userId` is a member of must rotate our sender key before our next message. */
  rotateGroupsWith(userId: string): void {
    this.sql('UPDATE groups SET rotate = 1 WHERE id IN (SELECT group_id FROM group_members WHERE user_id = ?)').run(
      userId,
    );
  }

  setMismatch(id: string, mismatch: boolean): void {
    this.sql('UPDATE groups SET mismatch = ? WHERE id = ?').run(mismatch ? 1 : 0, id);
  }

  touch(id: string, at: number): void {
    this.sql('UPDATE groups SET updated_at = max(updated_at, ?) WHERE id = ?').run(at, id);
  }

  addUnread(id: string, n: number): void {
    this.sql('UPDATE groups SET unread = unread + ? WHERE id = ?').run(n, id);
  }

  // ------------------------------------------------------------ sender keys

  senderKey(id: string): Uint8Array | undefined {
    return (
      this.sql('SELECT state FROM group_sender_keys WHERE group_id = ?').get(id) as { state: Uint8Array } | undefined
    )?.state;
  }

  putSenderKey(id: string, state: Uint8Array): void {
    this.sql('INSERT OR REPLACE INTO group_sender_keys (group_id, state) VALUES (?, ?)').run(id, state);
  }

  receiverKey(id: string, senderId: string): Uint8Array | undefined {
    return (
      this.sql('SELECT state FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?').get(id, senderId) as
        { state: Uint8Array } | undefined
    )?.state;
  }

  putReceiverKey(id: string, senderId: string, state: Uint8Array): void {
    this.sql('INSERT OR REPLACE INTO group_receiver_keys (group_id, sender_id, state) VALUES (?, ?, ?)').run(
      id,
      senderId,
      state,
    );
  }

  dropReceiverKey(id: string, senderId: string): void {
    this.sql('DELETE FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?').run(id, senderId);
  }

  /** Forgets every key of a group this profile is no longer in (its own chain is rotated on re-entry). */
  dropAllReceiverKeys(id: string): void {
    this.sql('DELETE FROM group_receiver_keys WHERE group_id = ?').run(id);
    this.sql('DELETE FROM group_held WHERE group_id = ?').run(id);
    this.sql("DELETE FROM group_messages WHERE group_id = ? AND kind = 'held'").run(id);
  }

  /** A held message opened as a text: it takes the place kept for it. True if there was one. */
  fillHeld(
    localId: number,
    senderId: string,
    line: Pick<GroupMessageRow, 'text' | 'sent_at' | 'reply_to' | 'expires_in' | 'forwarded'>,
  ): boolean {
    return (
      this.sql(
        `UPDATE group_messages SET kind = 'text', text = @text, sent_at = @sent_at, reply_to = @reply_to,
             expires_in = @expires_in, forwarded = @forwarded
           WHERE local_id = @localId AND kind = 'held' AND sender_id = @senderId`,
      ).run({ ...line, localId, senderId }).changes > 0
    );
  }

  /**
   * A held message of `senderId` turned out to be a control message or unreadable: its place
   * goes. Only its sender's: message ids are chosen by senders, so another member may reuse one.
   */
  dropHeldPlace(id: string, msgId: string, senderId: string): void {
    this.sql("DELETE FROM group_messages WHERE group_id = ? AND id = ? AND kind = 'held' AND sender_id = ?").run(
      id,
      msgId,
      senderId,
    );
  }

  /** A member left or was removed: what of theirs still waits for a key never will open. */
  dropHeldFrom(id: string, senderId: string): void {
    this.sql('DELETE FROM group_held WHERE group_id = ? AND sender_id = ?').run(id, senderId);
    this.sql(
      `DELETE FROM group_reactions WHERE group_id = ? AND message_id IN
         (SELECT id FROM group_messages WHERE group_id = ? AND sender_id = ? AND kind = 'held')`,
    ).run(id, id, senderId);
    this.sql("DELETE FROM group_messages WHERE group_id = ? AND sender_id = ? AND kind = 'held'").run(id, senderId);
  }

  // ------------------------------------------------------------ held messages

  hold(row: HeldRow, now: number): void {
    this.sql(
      `INSERT OR IGNORE INTO group_held (group_id, seq, sender_id, msg_id, relay_ts, body, held_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(row.group_id, row.seq, row.sender_id, row.msg_id, row.relay_ts, row.body, now, row.version);
  }

  held(): HeldRow[] {
    return this.sql('SELECT * FROM group_held ORDER BY group_id, seq').all() as HeldRow[];
  }

  unhold(id: string, seq: number): void {
    this.sql('DELETE FROM group_held WHERE group_id = ? AND seq = ?').run(id, seq);
  }

  // ------------------------------------------------------------ messages

  message(id: string, msgId: string): GroupMessageRow | undefined {
    return this.sql('SELECT * FROM group_messages WHERE group_id = ? AND id = ?').get(id, msgId) as
      GroupMessageRow | undefined;
  }

  messageByLocalId(localId: number): GroupMessageRow | undefined {
    return this.sql('SELECT * FROM group_messages WHERE local_id = ?').get(localId) as GroupMessageRow | undefined;
  }

  /** Stores a line unless its id is known (or was removed before); null then. */
  insertMessage(row: NewGroupMessage): number | null {
    if (this.isTombstoned(row.group_id, row.id)) return null;
    const info = this.sql(
      `INSERT OR IGNORE INTO group_messages
           (group_id, id, sender_id, from_me, kind, text, sent_at, seq, status, body, reply_to, expires_in, forwarded, purge_at, target_id)
         VALUES (@group_id, @id, @sender_id, @from_me, @kind, @text, @sent_at, @seq, @status, @body, @reply_to, @expires_in, @forwarded, @purge_at, @target_id)`,
    ).run({ reply_to: null, expires_in: 0, forwarded: 0, purge_at: null, target_id: null, ...row });
    return info.changes === 0 ? null : Number(info.lastInsertRowid);
  }

  /**
   * The relay took one of ours: a control row goes (its work is done); a timed text starts
   * its countdown now (for the sender, as in Signal: from sending). True if a countdown started.
   */
  markSent(localId: number, seq: number, now: number): boolean {
    const row = this.messageByLocalId(localId);
    if (!row) return false;
    if (row.kind === 'control') {
      this.sql('DELETE FROM group_messages WHERE local_id = ?').run(localId);
      return false;
    }
    this.sql(
      `UPDATE group_messages SET status = 'sent', seq = ?, body = NULL, purge_at = NULL,
           expire_at = CASE WHEN kind = 'text' AND expires_in > 0
             THEN min(coalesce(expire_at, ? + expires_in * 1000), ? + expires_in * 1000) ELSE expire_at END
         WHERE local_id = ?`,
    ).run(seq, now, now, localId);
    return row.kind === 'text' && row.expires_in > 0;
  }

  /** The relay refused it for good. A timed text starts its countdown now; true if one started. */
  markFailed(localId: number, now: number): boolean {
    this.sql("DELETE FROM group_messages WHERE local_id = ? AND kind = 'control'").run(localId);
    return (
      (
        this.sql(
          `UPDATE group_messages SET status = 'failed', body = NULL,
           expire_at = CASE WHEN kind = 'text' AND expires_in > 0 THEN ? + expires_in * 1000 ELSE expire_at END
         WHERE local_id = ? RETURNING expire_at`,
        ).get(now, localId) as { expire_at: number | null } | undefined
      )?.expire_at != null
    );
  }

  unsent(): GroupMessageRow[] {
    return this.sql(
      "SELECT * FROM group_messages WHERE status = 'sending' ORDER BY local_id LIMIT 64",
    ).all() as GroupMessageRow[];
  }

  history(id: string, beforeLocalId: number | undefined, limit: number): GroupMessageRow[] {
    const rows = this.sql(
      `SELECT * FROM group_messages WHERE group_id = ? AND local_id < ? AND kind NOT IN ('control', 'held')
         ORDER BY local_id DESC LIMIT ?`,
    ).all(id, beforeLocalId ?? Number.MAX_SAFE_INTEGER, limit) as GroupMessageRow[];
    return rows.reverse();
  }

  last(id: string): GroupMessageRow | undefined {
    return this.sql(
      "SELECT * FROM group_messages WHERE group_id = ? AND kind NOT IN ('control', 'held') ORDER BY local_id DESC LIMIT 1",
    ).get(id) as GroupMessageRow | undefined;
  }

  // ------------------------------------------------------------ lifecycle

  isTombstoned(id: string, msgId: string): boolean {
    return this.sql('SELECT 1 FROM message_tombstones WHERE chat_id = ? AND id = ?').get(id, msgId) !== undefined;
  }

  tombstone(id: string, msgId: string, now: number): void {
    this.sql('INSERT OR IGNORE INTO message_tombstones (chat_id, id, removed_at) VALUES (?, ?, ?)').run(id, msgId, now);
  }

  /**
   * Deletes a line and everything holding its text — its queued edits and the reactions to
   * it — and leaves a tombstone so a redelivered copy is never stored again. Unread is
   * counted again. Null if it was not there.
   */
  remove(localId: number, now: number): { groupId: string; id: string } | null {
    const row = this.sql(
      "DELETE FROM group_messages WHERE local_id = ? AND kind != 'control' RETURNING group_id, id",
    ).get(localId) as { group_id: string; id: string } | undefined;
    if (!row) return null;
    this.sql("DELETE FROM group_messages WHERE group_id = ? AND kind = 'control' AND target_id = ?").run(
      row.group_id,
      row.id,
    );
    this.sql('DELETE FROM group_reactions WHERE group_id = ? AND message_id = ?').run(row.group_id, row.id);
    this.sql('DELETE FROM group_reads WHERE group_id = ? AND message_id = ?').run(row.group_id, row.id);
    this.tombstone(row.group_id, row.id, now);
    this.recountUnread(row.group_id);
    return { groupId: row.group_id, id: row.id };
  }

  newestLocalId(id: string): number {
    return (
      (
        this.sql('SELECT max(local_id) AS n FROM group_messages WHERE group_id = ?').get(id) as {
          n: number | null;
        }
      ).n ?? 0
    );
  }

  /** Local ids of the lines that quote `msgId`. */
  repliesTo(id: string, msgId: string): number[] {
    return (
      this.sql('SELECT local_id FROM group_messages WHERE group_id = ? AND reply_to = ?').all(id, msgId) as {
        local_id: number;
      }[]
    ).map((r) => r.local_id);
  }

  /** Applies an edit unless a newer one is already applied; true when the text changed. */
  edit(localId: number, text: string, editedAt: number): boolean {
    return (
      this.sql(
        `UPDATE group_messages SET text = ?, edited_at = ?
           WHERE local_id = ? AND kind = 'text' AND (edited_at IS NULL OR edited_at < ?)`,
      ).run(text, editedAt, localId, editedAt).changes > 0
    );
  }

  /** Last writer (by `at`) wins per member; '' records a taken-back reaction. True if it changed. */
  setReaction(id: string, messageId: string, senderId: string, emoji: string, at: number): boolean {
    return (
      this.sql(
        `INSERT INTO group_reactions (group_id, message_id, sender_id, emoji, at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (group_id, message_id, sender_id) DO UPDATE SET emoji = excluded.emoji, at = excluded.at
           WHERE excluded.at >= group_reactions.at`,
      ).run(id, messageId, senderId, emoji, at).changes > 0
    );
  }

  reactions(id: string, messageId: string): GroupReaction[] {
    return (
      this.sql(
        "SELECT sender_id, emoji FROM group_reactions WHERE group_id = ? AND message_id = ? AND emoji != '' ORDER BY at",
      ).all(id, messageId) as { sender_id: string; emoji: string }[]
    ).map((r) => ({ senderId: r.sender_id, emoji: r.emoji }));
  }

  /** A timer change by the sender's clock `at`: applied unless a later one is in effect. */
  setTimer(id: string, seconds: number, at: number): boolean {
    return (
      this.sql('UPDATE groups SET timer = ?, timer_at = ? WHERE id = ? AND timer_at <= ?').run(seconds, at, id, at)
        .changes > 0
    );
  }

  setDraft(id: string, draft: string): void {
    this.sql('UPDATE groups SET draft = ? WHERE id = ?').run(draft, id);
  }

  /** Unread = incoming texts after the newest line the user has seen. */
  recountUnread(id: string): void {
    this.sql(
      `UPDATE groups SET unread = (SELECT count(*) FROM group_messages
           WHERE group_id = groups.id AND from_me = 0 AND kind = 'text' AND local_id > groups.read_upto)
         WHERE id = ?`,
    ).run(id);
  }

  /**
   * The user has seen the group up to `upTo` (a local id): unread is counted
   * again and the countdown of the timed messages seen starts now. Returns those local ids.
   */
  markRead(id: string, upTo: number, now: number): number[] {
    this.sql('UPDATE groups SET read_upto = max(read_upto, ?) WHERE id = ?').run(upTo, id);
    this.recountUnread(id);
    return (
      this.sql(
        `UPDATE group_messages SET expire_at = ? + expires_in * 1000
           WHERE group_id = ? AND from_me = 0 AND kind = 'text' AND expires_in > 0 AND expire_at IS NULL AND local_id <= ?
           RETURNING local_id`,
      ).all(now, id, upTo) as { local_id: number }[]
    ).map((r) => r.local_id);
  }

  /** Incoming texts up to `upTo` seen now and not reported yet: marked, and returned for receipts. */
  takeUnreportedRead(id: string, upTo: number): { sender_id: string; id: string }[] {
    return this.sql(
      `UPDATE group_messages SET read_reported = 1
         WHERE group_id = ? AND from_me = 0 AND kind = 'text' AND read_reported = 0 AND local_id <= ?
         RETURNING sender_id, id`,
    ).all(id, upTo) as { sender_id: string; id: string }[];
  }

  /** `readerId` has read these messages of ours; local ids of the lines that gained a reader. */
  addReads(id: string, messageIds: readonly string[], readerId: string): number[] {
    const own = this.sql(
      "SELECT local_id FROM group_messages WHERE group_id = ? AND id = ? AND from_me = 1 AND kind = 'text'",
    );
    const insert = this.sql('INSERT OR IGNORE INTO group_reads (group_id, message_id, reader_id) VALUES (?, ?, ?)');
    const changed: number[] = [];
    for (const messageId of messageIds) {
      const row = own.get(id, messageId) as { local_id: number } | undefined;
      if (row && insert.run(id, messageId, readerId).changes > 0) changed.push(row.local_id);
    }
    return changed;
  }

  readCount(id: string, messageId: string): number {
    return (
      this.sql('SELECT count(*) AS n FROM group_reads WHERE group_id = ? AND message_id = ?').get(id, messageId) as {
        n: number;
      }
    ).n;
  }

  /** Local ids of timed lines due at `now`, soonest first. */
  due(now: number, limit = 500): number[] {
    return (
      this.sql(
        'SELECT local_id FROM group_messages WHERE expire_at IS NOT NULL AND expire_at <= ? ORDER BY expire_at LIMIT ?',
      ).all(now, limit) as { local_id: number }[]
    ).map((r) => r.local_id);
  }

  nextDue(): number | null {
    return (
      (
        this.sql('SELECT min(expire_at) AS at FROM group_messages WHERE expire_at IS NOT NULL').get() as {
          at: number | null;
        }
      ).at ?? null
    );
  }
}
