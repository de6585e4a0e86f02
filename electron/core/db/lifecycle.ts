/**
 * The message lifecycle tables: reactions, tombstones of removed messages, expiry
 * bookkeeping, and app settings. Removing a message (expired, deleted for me or for
 * everyone) deletes every row that holds its text — the message, its outbox rows (the
 * message's own by cascade, edits naming it by target_id) and reactions to it — and leaves a
 * tombstone holding only its id, so no redelivered copy is ever stored again.
 */
import type { Db } from './database';
import type { HistoryKey } from './historyCursor';

export interface ReactionRecord {
  senderId: string;
  emoji: string;
  at: number;
}

export interface RemovedMessage {
  localId: number;
  chatId: string;
  id: string;
}

export class LifecycleRepo {
  private readonly tombstoneStmt;
  private readonly isTombstonedStmt;
  private readonly deleteMessageStmt;
  private readonly lowerUnreadStmt;
  private readonly deleteTargetRowsStmt;
  private readonly deleteReactionsStmt;
  private readonly upsertReactionStmt;
  private readonly reactionsStmt;
  private readonly editStmt;
  private readonly dueStmt;
  private readonly nextDueStmt;
  private readonly countdownOwnStmt;
  private readonly countdownIncomingStmt;
  private readonly capOwnStmt;
  private readonly getSettingStmt;
  private readonly setSettingStmt;

  constructor(db: Db) {
    this.tombstoneStmt = db.prepare(
      'INSERT OR IGNORE INTO message_tombstones (chat_id, id, removed_at) VALUES (@chatId, @id, @now)',
    );
    this.isTombstonedStmt = db
      .prepare<[string, string], number>('SELECT 1 FROM message_tombstones WHERE chat_id = ? AND id = ?')
      .pluck();
    this.deleteMessageStmt = db.prepare<[number], { chat_id: string; id: string; unread: 0 | 1 }>(
      `DELETE FROM messages WHERE local_id = ?
       RETURNING chat_id, id, (from_me = 0 AND kind = 'text' AND read_reported = 0) AS unread`,
    );
    // A removed message the user had not seen yet no longer counts as unread.
    this.lowerUnreadStmt = db.prepare<[string]>('UPDATE chats SET unread = max(unread - 1, 0) WHERE id = ?');
    this.deleteTargetRowsStmt = db.prepare<[string]>('DELETE FROM outbox WHERE target_id = ?');
    this.deleteReactionsStmt = db.prepare<[string, string]>(
      'DELETE FROM reactions WHERE chat_id = ? AND message_id = ?',
    );
    this.upsertReactionStmt = db.prepare(
      `INSERT INTO reactions (chat_id, message_id, sender_id, emoji, at) VALUES (@chatId, @messageId, @senderId, @emoji, @at)
       ON CONFLICT (chat_id, message_id, sender_id) DO UPDATE SET emoji = excluded.emoji, at = excluded.at
       WHERE excluded.at >= reactions.at`,
    );
    this.reactionsStmt = db.prepare<[string, string], { sender_id: string; emoji: string; at: number }>(
      "SELECT sender_id, emoji, at FROM reactions WHERE chat_id = ? AND message_id = ? AND emoji != '' ORDER BY at",
    );
    this.editStmt = db.prepare(
      `UPDATE messages SET text = @text, edited_at = @editedAt
       WHERE local_id = @localId AND kind = 'text' AND (edited_at IS NULL OR edited_at < @editedAt)`,
    );
    this.dueStmt = db
      .prepare<[number, number], number>(
        'SELECT local_id FROM messages WHERE expire_at IS NOT NULL AND expire_at <= ? ORDER BY expire_at LIMIT ?',
      )
      .pluck();
    this.nextDueStmt = db
      .prepare<[], number | null>('SELECT min(expire_at) FROM messages WHERE expire_at IS NOT NULL')
      .pluck();
    // Countdowns only ever move earlier: a later "start" (a replayed receipt) never extends one.
    this.countdownOwnStmt = db.prepare<[{ chatId: string; ids: string; now: number }], { local_id: number }>(
      `UPDATE messages SET expire_at = min(coalesce(expire_at, @now + expires_in * 1000), @now + expires_in * 1000)
       WHERE chat_id = @chatId AND from_me = 1 AND expires_in > 0 AND id IN (SELECT value FROM json_each(@ids))
       RETURNING local_id`,
    );
    this.countdownIncomingStmt = db.prepare<[HistoryKey & { chatId: string; now: number }], { local_id: number }>(
      `UPDATE messages SET expire_at = @now + expires_in * 1000
       WHERE chat_id = @chatId AND from_me = 0 AND kind = 'text' AND expires_in > 0 AND expire_at IS NULL
         AND (pending, seq_key, local_id) <= (@pending, @seqKey, @localId)
       RETURNING local_id`,
    );
    this.capOwnStmt = db.prepare<[{ localId: number; base: number }]>(
      `UPDATE messages SET expire_at = min(coalesce(expire_at, @base + expires_in * 1000), @base + expires_in * 1000)
       WHERE local_id = @localId AND expires_in > 0`,
    );
    this.getSettingStmt = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.setSettingStmt = db.prepare(
      'INSERT INTO settings (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  tombstone(chatId: string, id: string, now: number): void {
    this.tombstoneStmt.run({ chatId, id, now });
  }

  isTombstoned(chatId: string, id: string): boolean {
    return this.isTombstonedStmt.get(chatId, id) === 1;
  }

  /** Deletes a message and everything holding its text; leaves a tombstone. Null if it was not there. */
  remove(localId: number, now: number): RemovedMessage | null {
    const row = this.deleteMessageStmt.get(localId);
    if (!row) return null;
    if (row.unread === 1) this.lowerUnreadStmt.run(row.chat_id);
    this.deleteTargetRowsStmt.run(row.id);
    this.deleteReactionsStmt.run(row.chat_id, row.id);
    this.tombstone(row.chat_id, row.id, now);
    return { localId, chatId: row.chat_id, id: row.id };
  }

  /** Applies an edit unless a newer one is already applied; true when the text changed. */
  edit(localId: number, text: string, editedAt: number): boolean {
    return this.editStmt.run({ localId, text, editedAt }).changes > 0;
  }

  /** Last writer (by `at`) wins; '' records a taken-back reaction. */
  setReaction(chatId: string, messageId: string, senderId: string, emoji: string, at: number): boolean {
    return this.upsertReactionStmt.run({ chatId, messageId, senderId, emoji, at }).changes > 0;
  }

  reactions(chatId: string, messageId: string): ReactionRecord[] {
    return this.reactionsStmt.all(chatId, messageId).map((r) => ({ senderId: r.sender_id, emoji: r.emoji, at: r.at }));
  }

  /** Our timed messages the peer has read: their countdown starts now. Local ids changed. */
  startOwnCountdown(chatId: string, ids: readonly string[], now: number): number[] {
    if (ids.length === 0) return [];
    return this.countdownOwnStmt.all({ chatId, ids: JSON.stringify(ids), now }).map((r) => r.local_id);
  }

  /** The peer's timed messages up to `key` have been seen: their countdown starts now. */
  startIncomingCountdown(chatId: string, key: HistoryKey, now: number): number[] {
    return this.countdownIncomingStmt.all({ chatId, now, ...key }).map((r) => r.local_id);
  }

  /** A hard cap for one of our timed messages: it goes by `base` + its timer even if never read. */
  capOwn(localId: number, base: number): void {
    this.capOwnStmt.run({ localId, base });
  }

  /** Local ids of messages due at `now`, soonest first. */
  due(now: number, limit = 500): number[] {
    return this.dueStmt.all(now, limit);
  }

  nextDue(): number | null {
    return this.nextDueStmt.get() ?? null;
  }

  getSetting(key: string): string | null {
    return this.getSettingStmt.get(key) ?? null;
  }

  setSetting(key: string, value: string): void {
    this.setSettingStmt.run({ key, value });
  }
}
