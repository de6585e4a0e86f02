import type { Db } from './database';

export type OutboxKind = 'message' | 'receipt' | 'control';

export interface OutboxRecord {
  /** Queue position: rows go out in ascending id order. */
  id: number;
  msgId: string;
  recipientId: string;
  kind: OutboxKind;
  /** For kind 'message': the messages row this envelope carries. */
  messageLocalId: number | null;
  /** The payload (crypto/plaintext.ts encoding) to seal; null only for rows queued sealed. */
  plaintext: Uint8Array | null;
  /**
   * The envelope exactly as it goes on the wire, or null until the OutboxSender seals the
   * row (right before its first send). Resends reuse these bytes.
   */
  body: Uint8Array | null;
  /** The recipient identity key `body` was sealed for (sent as `toKey`); null with body. */
  sealedFor: Uint8Array | null;
  createdAt: number;
  /** For an edit: the message whose (new) text it carries; it goes when that message goes. */
  targetId: string | null;
  /** Timed messages: the relay may drop the envelope if undelivered by then (ms since epoch). */
  purgeAt: number | null;
}

interface OutboxRow {
  id: number;
  msg_id: string;
  recipient_id: string;
  kind: OutboxKind;
  message_local_id: number | null;
  plaintext: Uint8Array | null;
  body: Uint8Array | null;
  sealed_for: Uint8Array | null;
  created_at: number;
  target_id: string | null;
  purge_at: number | null;
}

const fromRow = (row: OutboxRow): OutboxRecord => ({
  id: row.id,
  msgId: row.msg_id,
  recipientId: row.recipient_id,
  kind: row.kind,
  messageLocalId: row.message_local_id,
  plaintext: row.plaintext,
  body: row.body,
  sealedFor: row.sealed_for,
  createdAt: row.created_at,
  targetId: row.target_id,
  purgeAt: row.purge_at,
});

/** A new row carries its plaintext; it is sealed later, by the OutboxSender. */
export interface NewOutboxRecord {
  msgId: string;
  recipientId: string;
  kind: OutboxKind;
  messageLocalId: number | null;
  plaintext: Uint8Array;
  createdAt: number;
  targetId?: string | null;
  purgeAt?: number | null;
}

export class OutboxRepo {
  private readonly insertStmt;
  private readonly nextStmt;
  private readonly byIdStmt;
  private readonly unsealedStmt;
  private readonly deleteStmt;
  private readonly countStmt;
  private readonly setSealedStmt;
  private readonly unsealRecipientStmt;
  private readonly unsealAllStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (msg_id, recipient_id, kind, message_local_id, plaintext, created_at, target_id, purge_at)
       VALUES (@msgId, @recipientId, @kind, @messageLocalId, @plaintext, @createdAt, @targetId, @purgeAt)`,
    );
    this.nextStmt = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT 1');
    this.byIdStmt = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
    this.unsealedStmt = db.prepare<[number, number], OutboxRow>(
      'SELECT * FROM outbox WHERE id >= ? AND body IS NULL ORDER BY id LIMIT ?',
    );
    this.deleteStmt = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
    this.setSealedStmt = db.prepare(
      'UPDATE outbox SET body = @body, sealed_for = @sealedFor WHERE id = @id AND body IS NULL',
    );
    this.unsealRecipientStmt = db.prepare(
      `UPDATE outbox SET body = NULL, sealed_for = NULL
       WHERE recipient_id = ? AND body IS NOT NULL AND plaintext IS NOT NULL`,
    );
    this.unsealAllStmt = db.prepare(
      'UPDATE outbox SET body = NULL, sealed_for = NULL WHERE body IS NOT NULL AND plaintext IS NOT NULL',
    );
  }

  enqueue(record: NewOutboxRecord): number {
    return Number(
      this.insertStmt.run({ ...record, targetId: record.targetId ?? null, purgeAt: record.purgeAt ?? null })
        .lastInsertRowid,
    );
  }

  /** The oldest row queued after `afterId` (0 for the head of the queue). */
  nextAfter(afterId: number): OutboxRecord | null {
    const row = this.nextStmt.get(afterId);
    return row ? fromRow(row) : null;
  }

  get(id: number): OutboxRecord | null {
    const row = this.byIdStmt.get(id);
    return row ? fromRow(row) : null;
  }

  /** Rows not sealed yet, from `fromId` on, in queue order. */
  unsealedFrom(fromId: number, limit: number): OutboxRecord[] {
    return this.unsealedStmt.all(fromId, limit).map(fromRow);
  }

  /** Stores the sealed envelope of a row not sealed yet; false if it was (or is gone). */
  setSealed(id: number, body: Uint8Array, sealedFor: Uint8Array): boolean {
    return this.setSealedStmt.run({ id, body, sealedFor }).changes > 0;
  }

  /**
   * Forgets the envelopes of a recipient's unsent rows (its identity changed: they were
   * sealed for a session that is gone), so they are sealed again. Returns how many.
   */
  unsealForRecipient(recipientId: string): number {
    return this.unsealRecipientStmt.run(recipientId).changes;
  }

  /** Like unsealForRecipient, for every recipient (our own identity changed). */
  unsealAll(): number {
    return this.unsealAllStmt.run().changes;
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
