import type { DeliveryStatus, MessageKind } from '../../../shared/ipc';
import type { Db } from './database';
import { statusesBefore, type ForwardStatus } from './deliveryStatus';
import type { HistoryKey } from './historyCursor';

export interface MessageRecord {
  localId: number;
  id: string;
  /** text: written by someone; keyChanged / undecryptable: lines the core adds (text empty). */
  kind: MessageKind;
  chatId: string;
  senderId: string;
  fromMe: boolean;
  text: string;
  sentAt: number;
  seq: number | null;
  relayTs: number | null;
  /** Outgoing only. */
  status: DeliveryStatus | null;
  error: string | null;
  readReported: boolean;
  /** The message this one answers. */
  replyTo: string | null;
  /** Self-destruct timer in seconds (0: none); for a timer line, the new timer. */
  expiresIn: number;
  /** When it is deleted (ms since epoch); null until its countdown starts. */
  expireAt: number | null;
  editedAt: number | null;
  /** A copy the sender forwarded from elsewhere. */
  forwarded: boolean;
}

interface MessageRow {
  local_id: number;
  id: string;
  kind: MessageKind;
  chat_id: string;
  sender_id: string;
  from_me: 0 | 1;
  text: string;
  sent_at: number;
  seq: number | null;
  relay_ts: number | null;
  status: DeliveryStatus | null;
  error: string | null;
  read_reported: 0 | 1;
  reply_to: string | null;
  expires_in: number;
  expire_at: number | null;
  edited_at: number | null;
  forwarded: 0 | 1;
}

const COLUMNS =
  'local_id, id, kind, chat_id, sender_id, from_me, text, sent_at, seq, relay_ts, status, error, read_reported, ' +
  'reply_to, expires_in, expire_at, edited_at, forwarded';

const fromRow = (row: MessageRow): MessageRecord => ({
  localId: row.local_id,
  id: row.id,
  kind: row.kind,
  chatId: row.chat_id,
  senderId: row.sender_id,
  fromMe: row.from_me === 1,
  text: row.text,
  sentAt: row.sent_at,
  seq: row.seq,
  relayTs: row.relay_ts,
  status: row.status,
  error: row.error,
  readReported: row.read_reported === 1,
  replyTo: row.reply_to,
  expiresIn: row.expires_in,
  expireAt: row.expire_at,
  editedAt: row.edited_at,
  forwarded: row.forwarded === 1,
});

export function historyKeyOf(message: Pick<MessageRecord, 'seq' | 'localId'>): HistoryKey {
  return message.seq === null
    ? { pending: 1, seqKey: 0, localId: message.localId }
    : { pending: 0, seqKey: message.seq, localId: message.localId };
}

export interface NewOutgoingMessage {
  chatId: string;
  id: string;
  senderId: string;
  text: string;
  sentAt: number;
  replyTo?: string | null;
  /** Self-destruct timer in seconds (0 or absent: none). */
  expiresIn?: number;
  forwarded?: boolean;
}

export interface NewIncomingMessage extends NewOutgoingMessage {
  seq: number;
  relayTs: number;
}

/** A line the core adds to a chat's history itself. */
export interface NewSystemLine {
  chatId: string;
  id: string;
  kind: Exclude<MessageKind, 'text'>;
  /** The peer: system lines are never from_me (they carry no delivery status). */
  senderId: string;
  sentAt: number;
  /**
   * Where it goes in history: the relay seq of the message it belongs to (it sorts just
   * before a message stored after it with the same seq), or null for "after the newest
   * sequenced message so far".
   */
  seq: number | null;
  relayTs: number | null;
  /** For a timer line: the new timer in seconds. */
  expiresIn?: number;
}

// Row-value comparisons walk the messages_history index in history order.
const BEFORE_KEY = '(pending, seq_key, local_id) < (@pending, @seqKey, @localId)';
const AFTER_KEY = '(pending, seq_key, local_id) > (@pending, @seqKey, @localId)';
const NEWEST_FIRST = 'ORDER BY pending DESC, seq_key DESC, local_id DESC';

export class MessagesRepo {
  private readonly byLocalIdStmt;
  private readonly byIdStmt;
  private readonly insertOutgoingStmt;
  private readonly insertIncomingStmt;
  private readonly newestStmt;
  private readonly lastStmt;
  private readonly olderStmt;
  private readonly markSentStmt;
  private readonly markFailedStmt;
  private readonly countIncomingAfterStmt;
  private readonly takeUnreportedReadStmt;
  private readonly advanceStatusStmt;
  private readonly insertSystemStmt;
  private readonly maxSeqStmt;

  constructor(db: Db) {
    this.byLocalIdStmt = db.prepare<[number], MessageRow>(`SELECT ${COLUMNS} FROM messages WHERE local_id = ?`);
    this.byIdStmt = db.prepare<[string, string], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? AND id = ?`,
    );
    this.insertOutgoingStmt = db.prepare(
      `INSERT INTO messages (chat_id, id, sender_id, from_me, text, sent_at, status, reply_to, expires_in, forwarded)
       VALUES (@chatId, @id, @senderId, 1, @text, @sentAt, 'sending', @replyTo, @expiresIn, @forwarded)`,
    );
    // OR IGNORE on UNIQUE (chat_id, id): the relay delivers at least once; a redelivery is a no-op.
    this.insertIncomingStmt = db.prepare(
      `INSERT OR IGNORE INTO messages (chat_id, id, sender_id, from_me, text, sent_at, seq, relay_ts, reply_to, expires_in, forwarded)
       SELECT @chatId, @id, @senderId, 0, @text, @sentAt, @seq, @relayTs, @replyTo, @expiresIn, @forwarded
       WHERE NOT EXISTS (SELECT 1 FROM message_tombstones WHERE chat_id = @chatId AND id = @id)`,
    );
    this.newestStmt = db.prepare<[{ chatId: string; limit: number }], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE chat_id = @chatId ${NEWEST_FIRST} LIMIT @limit`,
    );
    // Every chat-list update reads this; with a literal LIMIT 1 SQLite runs it about three
    // times faster than the same query with a bound limit.
    this.lastStmt = db.prepare<[string], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE chat_id = ? ${NEWEST_FIRST} LIMIT 1`,
    );
    this.olderStmt = db.prepare<[HistoryKey & { chatId: string; limit: number }], MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE chat_id = @chatId AND ${BEFORE_KEY} ${NEWEST_FIRST} LIMIT @limit`,
    );
    this.markSentStmt = db
      .prepare<[{ localId: number; seq: number; relayTs: number }], string>(
        `UPDATE messages SET seq = @seq, relay_ts = @relayTs,
           status = CASE WHEN status = 'sending' THEN 'sent' ELSE status END
         WHERE local_id = @localId
         RETURNING chat_id`,
      )
      .pluck();
    this.markFailedStmt = db
      .prepare<[{ localId: number; error: string }], string>(
        `UPDATE messages SET status = 'failed', error = @error WHERE local_id = @localId AND status = 'sending'
         RETURNING chat_id`,
      )
      .pluck();
    this.countIncomingAfterStmt = db.prepare<[HistoryKey & { chatId: string }], { n: number }>(
      `SELECT count(*) AS n FROM messages
       WHERE chat_id = @chatId AND from_me = 0 AND kind NOT IN ('keyChanged', 'timer') AND ${AFTER_KEY}`,
    );
    this.takeUnreportedReadStmt = db.prepare<[HistoryKey & { chatId: string }], { id: string }>(
      `UPDATE messages SET read_reported = 1
       WHERE chat_id = @chatId AND from_me = 0 AND read_reported = 0 AND kind = 'text'
         AND (pending, seq_key, local_id) <= (@pending, @seqKey, @localId)
       RETURNING id`,
    );
    this.advanceStatusStmt = db.prepare<
      [{ chatId: string; ids: string; from: string; target: string }],
      { local_id: number }
    >(
      `UPDATE messages SET status = @target
       WHERE chat_id = @chatId AND from_me = 1
         AND id IN (SELECT value FROM json_each(@ids))
         AND status IN (SELECT value FROM json_each(@from))
       RETURNING local_id`,
    );
    this.insertSystemStmt = db.prepare(
      `INSERT OR IGNORE INTO messages (chat_id, id, kind, sender_id, from_me, text, sent_at, seq, relay_ts, expires_in)
       SELECT @chatId, @id, @kind, @senderId, 0, '', @sentAt, @seq, @relayTs, @expiresIn
       WHERE NOT EXISTS (SELECT 1 FROM message_tombstones WHERE chat_id = @chatId AND id = @id)`,
    );
    this.maxSeqStmt = db.prepare<[string], number | null>('SELECT max(seq) FROM messages WHERE chat_id = ?').pluck();
  }

  /** Once per (chat, id): null when that line exists already. */
  insertSystemLine(line: NewSystemLine): number | null {
    const seq = line.seq ?? this.maxSeqStmt.get(line.chatId) ?? 1;
    const result = this.insertSystemStmt.run({ ...line, seq: Math.max(1, seq), expiresIn: line.expiresIn ?? 0 });
    return result.changes > 0 ? Number(result.lastInsertRowid) : null;
  }

  getByLocalId(localId: number): MessageRecord | null {
    const row = this.byLocalIdStmt.get(localId);
    return row ? fromRow(row) : null;
  }

  get(chatId: string, id: string): MessageRecord | null {
    const row = this.byIdStmt.get(chatId, id);
    return row ? fromRow(row) : null;
  }

  insertOutgoing(message: NewOutgoingMessage): number {
    return Number(
      this.insertOutgoingStmt.run({
        ...message,
        replyTo: message.replyTo ?? null,
        expiresIn: message.expiresIn ?? 0,
        forwarded: message.forwarded ? 1 : 0,
      }).lastInsertRowid,
    );
  }

  /** The new row's local id, or null when this message was already stored. */
  insertIncoming(message: NewIncomingMessage): number | null {
    const result = this.insertIncomingStmt.run({
      ...message,
      replyTo: message.replyTo ?? null,
      expiresIn: message.expiresIn ?? 0,
      forwarded: message.forwarded ? 1 : 0,
    });
    return result.changes > 0 ? Number(result.lastInsertRowid) : null;
  }

  /** Up to `limit` messages just older than `before` (or the newest), newest first. */
  pageNewestFirst(chatId: string, before: HistoryKey | null, limit: number): MessageRecord[] {
    const rows = before ? this.olderStmt.all({ chatId, limit, ...before }) : this.newestStmt.all({ chatId, limit });
    return rows.map(fromRow);
  }

  last(chatId: string): MessageRecord | null {
    const row = this.lastStmt.get(chatId);
    return row ? fromRow(row) : null;
  }

  /** The relay committed it: record its place in the conversation. Its chat id, or null if there is no such message. */
  markSent(localId: number, seq: number, relayTs: number): string | null {
    return this.markSentStmt.get({ localId, seq, relayTs: Math.round(relayTs) }) ?? null;
  }

  /** Its chat id, or null when nothing changed (no such message, or no longer 'sending'). */
  markFailed(localId: number, error: string): string | null {
    return this.markFailedStmt.get({ localId, error }) ?? null;
  }

  /**
   * Moves our messages `ids` in `chatId` forward to `target`; messages already there or
   * beyond (or failed) are left alone. Returns the local ids that changed.
   */
  advanceStatus(chatId: string, ids: readonly string[], target: ForwardStatus): number[] {
    const from = statusesBefore(target);
    if (ids.length === 0 || from.length === 0) return [];
    const rows = this.advanceStatusStmt.all({ chatId, ids: JSON.stringify(ids), from: JSON.stringify(from), target });
    return rows.map((r) => r.local_id);
  }

  countIncomingAfter(chatId: string, key: HistoryKey): number {
    return this.countIncomingAfterStmt.get({ chatId, ...key })?.n ?? 0;
  }

  /**
   * Marks the peer's messages up to and including `key` as covered by a read receipt and
   * returns the ids that were not covered before (the ones the receipt must carry).
   */
  takeUnreportedReadUpTo(chatId: string, key: HistoryKey): string[] {
    return this.takeUnreportedReadStmt.all({ chatId, ...key }).map((r) => r.id);
  }
}
