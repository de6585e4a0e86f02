import type { Db } from './database';

/** A stored ratchet session (the state bytes hold secret keys; see e2ee/state.ts). */
export interface StoredSession {
  peerId: string;
  /** The X3DH base key naming the session (the initiator's ephemeral key). */
  baseKey: Uint8Array;
  state: Uint8Array;
  /** Higher = more recently made current. The highest is the one we send on. */
  rank: number;
}

interface SessionRow {
  peer_id: string;
  base_key: Uint8Array;
  state: Uint8Array;
  rank: number;
}

const fromRow = (row: SessionRow): StoredSession => ({
  peerId: row.peer_id,
  baseKey: row.base_key,
  state: row.state,
  rank: row.rank,
});

/** Sessions kept per peer (the current one plus older ones that may still receive). */
export const MAX_SESSIONS_PER_PEER = 4;

export class SessionsRepo {
  private readonly listStmt;
  private readonly upsertStmt;
  private readonly updateStateStmt;
  private readonly maxRankStmt;
  private readonly pruneStmt;
  private readonly deletePeerStmt;
  private readonly deleteAllStmt;

  constructor(db: Db) {
    this.listStmt = db.prepare<[string], SessionRow>(
      'SELECT peer_id, base_key, state, rank FROM ratchet_sessions WHERE peer_id = ? ORDER BY rank DESC',
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO ratchet_sessions (peer_id, base_key, state, rank, updated_at)
       VALUES (@peerId, @baseKey, @state, @rank, @now)
       ON CONFLICT (peer_id, base_key) DO UPDATE SET state = excluded.state, rank = excluded.rank,
         updated_at = excluded.updated_at`,
    );
    this.updateStateStmt = db.prepare(
      'UPDATE ratchet_sessions SET state = @state, updated_at = @now WHERE peer_id = @peerId AND base_key = @baseKey',
    );
    this.maxRankStmt = db.prepare<[], number | null>('SELECT max(rank) FROM ratchet_sessions').pluck();
    this.pruneStmt = db.prepare(
      `DELETE FROM ratchet_sessions WHERE peer_id = @peerId AND base_key NOT IN (
         SELECT base_key FROM ratchet_sessions WHERE peer_id = @peerId ORDER BY rank DESC LIMIT @keep)`,
    );
    this.deletePeerStmt = db.prepare('DELETE FROM ratchet_sessions WHERE peer_id = ?');
    this.deleteAllStmt = db.prepare('DELETE FROM ratchet_sessions');
  }

  /** The peer's sessions, current (sending) one first. */
  list(peerId: string): StoredSession[] {
    return this.listStmt.all(peerId).map(fromRow);
  }

  current(peerId: string): StoredSession | null {
    return this.list(peerId)[0] ?? null;
  }

  /**
   * Stores a session as the peer's current one (new, or an older one that just proved to be
   * the one the peer uses) and drops the oldest beyond MAX_SESSIONS_PER_PEER.
   */
  putCurrent(peerId: string, baseKey: Uint8Array, state: Uint8Array, now: number): void {
    const rank = (this.maxRankStmt.get() ?? 0) + 1;
    this.upsertStmt.run({ peerId, baseKey, state, rank, now });
    this.pruneStmt.run({ peerId, keep: MAX_SESSIONS_PER_PEER });
  }

  /** Replaces a session's state without changing which one is current. */
  update(peerId: string, baseKey: Uint8Array, state: Uint8Array, now: number): void {
    this.updateStateStmt.run({ peerId, baseKey, state, now });
  }

  deleteForPeer(peerId: string): void {
    this.deletePeerStmt.run(peerId);
  }

  deleteAll(): void {
    this.deleteAllStmt.run();
  }
}
