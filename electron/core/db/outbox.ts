import type { Db } from './database';

export type OutboxKind = 'message' | 'receipt';

export interface OutboxRecord {
  /** Queue position: rows go out in ascending id order. */
  id: number;
  msgId: string;
  recipientId: string;
  kind: OutboxKind;
  /** For kind 'message': the messages row this envelope carries. */
  messageLocalId: number | null;
  /** The encrypted envelope, exactly as it goes on the wire. */
  body: Uint8Array;
  createdAt: number;
}

interface OutboxRow {
  id: number;
  msg_id: string;
  recipient_id: string;
  kind: OutboxKind;
  message_local_id: number | null;
  body: Uint8Array;
  created_at: number;
}

const fromRow = (row: OutboxRow): OutboxRecord => ({
  id: row.id,
  msgId: row.msg_id,
  recipientId: row.recipient_id,
  kind: row.kind,
  messageLocalId: row.message_local_id,
  body: row.body,
  createdAt: row.created_at,
});

export type NewOutboxRecord = Omit<OutboxRecord, 'id'>;

export class OutboxRepo {
  private readonly insertStmt;
  private readonly nextStmt;
  private readonly deleteStmt;
  private readonly countStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (msg_id, recipient_id, kind, message_local_id, body, created_at)
       VALUES (@msgId, @recipientId, @kind, @messageLocalId, @body, @createdAt)`,
    );
    this.nextStmt = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT 1');
    this.deleteStmt = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox');
  }

  enqueue(record: NewOutboxRecord): number {
    return Number(this.insertStmt.run(record).lastInsertRowid);
  }

  /** The oldest row queued after `afterId` (0 for the head of the queue). */
  nextAfter(afterId: number): OutboxRecord | null {
    const row = this.nextStmt.get(afterId);
    return row ? fromRow(row) : null;
  }

  delete(id: number): void {
    this.deleteStmt.run(id);
  }

  count(): number {
    return this.countStmt.get()?.n ?? 0;
  }
}
