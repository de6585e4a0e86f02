import type { Db } from './database';

export interface ChatRecord {
  id: string;
  kind: 'direct';
  peerId: string;
  unread: number;
  updatedAt: number;
  createdAt: number;
  /** Self-destruct timer for new messages, seconds (0: off). */
  timer: number;
  /** When the timer was last set, by its setter's clock (the newest change wins). */
  timerSetAt: number;
  draft: string;
  /** Send read receipts in this chat; null: follow the global setting. */
  readReceipts: boolean | null;
}

interface ChatRow {
  id: string;
  kind: 'direct';
  peer_id: string;
  unread: number;
  updated_at: number;
  created_at: number;
  timer: number;
  timer_set_at: number;
  draft: string;
  read_receipts: 0 | 1 | null;
}

const fromRow = (row: ChatRow): ChatRecord => ({
  id: row.id,
  kind: row.kind,
  peerId: row.peer_id,
  unread: row.unread,
  updatedAt: row.updated_at,
  createdAt: row.created_at,
  timer: row.timer,
  timerSetAt: row.timer_set_at,
  draft: row.draft,
  readReceipts: row.read_receipts === null ? null : row.read_receipts === 1,
});

const DIRECT_PREFIX = 'dm:';

/** The stable id of the direct chat with a user (the same on every device of ours). */
export const directChatId = (peerId: string): string => `${DIRECT_PREFIX}${peerId}`;

export class ChatsRepo {
  private readonly selectStmt;
  private readonly listStmt;
  private readonly insertStmt;
  private readonly touchStmt;
  private readonly addUnreadStmt;
  private readonly setUnreadStmt;
  private readonly setTimerStmt;
  private readonly setDraftStmt;
  private readonly setReadReceiptsStmt;

  constructor(db: Db) {
    this.selectStmt = db.prepare<[string], ChatRow>('SELECT * FROM chats WHERE id = ?');
    this.listStmt = db.prepare<[], ChatRow>('SELECT * FROM chats ORDER BY updated_at DESC, id');
    this.insertStmt = db.prepare(
      `INSERT INTO chats (id, kind, peer_id, unread, updated_at, created_at)
       VALUES (@id, 'direct', @peerId, 0, @now, @now) ON CONFLICT (id) DO NOTHING`,
    );
    this.touchStmt = db.prepare('UPDATE chats SET updated_at = max(updated_at, @at) WHERE id = @id');
    this.addUnreadStmt = db.prepare('UPDATE chats SET unread = unread + @count WHERE id = @id');
    this.setUnreadStmt = db.prepare('UPDATE chats SET unread = @unread WHERE id = @id');
    this.setTimerStmt = db.prepare(
      'UPDATE chats SET timer = @timer, timer_set_at = @at WHERE id = @id AND timer_set_at <= @at',
    );
    this.setDraftStmt = db.prepare('UPDATE chats SET draft = @draft WHERE id = @id AND draft != @draft');
    this.setReadReceiptsStmt = db.prepare('UPDATE chats SET read_receipts = @value WHERE id = @id');
  }

  /** Sets the timer unless a change made later (by its setter's clock) is already applied; true if set. */
  setTimer(id: string, timer: number, at: number): boolean {
    return this.setTimerStmt.run({ id, timer, at }).changes > 0;
  }

  /** True when the draft changed. */
  setDraft(id: string, draft: string): boolean {
    return this.setDraftStmt.run({ id, draft }).changes > 0;
  }

  setReadReceipts(id: string, enabled: boolean | null): void {
    this.setReadReceiptsStmt.run({ id, value: enabled === null ? null : enabled ? 1 : 0 });
  }

  get(id: string): ChatRecord | null {
    const row = this.selectStmt.get(id);
    return row ? fromRow(row) : null;
  }

  list(): ChatRecord[] {
    return this.listStmt.all().map(fromRow);
  }

  /** Creates the direct chat with `peerId` (a known contact) if missing; returns it. */
  ensureDirect(peerId: string, now: number): { chat: ChatRecord; created: boolean } {
    const id = directChatId(peerId);
    const created = this.insertStmt.run({ id, peerId, now }).changes > 0;
    return { chat: this.get(id)!, created };
  }

  /** Moves the chat's last-activity time forward (never back). */
  touch(id: string, at: number): void {
    this.touchStmt.run({ id, at });
  }

  addUnread(id: string, count: number): void {
    this.addUnreadStmt.run({ id, count });
  }

  setUnread(id: string, unread: number): void {
    this.setUnreadStmt.run({ id, unread });
  }
}
