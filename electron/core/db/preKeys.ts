import type { Db } from './database';

export interface StoredSignedPreKey {
  id: number;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  signature: Uint8Array;
  createdAt: number;
  /** When it stopped being the current one; null for the current one. */
  retiredAt: number | null;
}

export interface StoredOneTimePreKey {
  id: number;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  uploaded: boolean;
}

interface SignedRow {
  id: number;
  public_key: Uint8Array;
  secret_key: Uint8Array;
  signature: Uint8Array;
  created_at: number;
  retired_at: number | null;
}

interface OneTimeRow {
  id: number;
  public_key: Uint8Array;
  secret_key: Uint8Array;
  uploaded: 0 | 1;
}

const signedFromRow = (row: SignedRow): StoredSignedPreKey => ({
  id: row.id,
  publicKey: row.public_key,
  secretKey: row.secret_key,
  signature: row.signature,
  createdAt: row.created_at,
  retiredAt: row.retired_at,
});

const oneTimeFromRow = (row: OneTimeRow): StoredOneTimePreKey => ({
  id: row.id,
  publicKey: row.public_key,
  secretKey: row.secret_key,
  uploaded: row.uploaded === 1,
});

/**
 * This device's prekey secrets. Ids come from a persisted counter: monotonic and never
 * reused, not even after a key reset (a relay or peer may still remember an old id).
 */
export class PreKeysRepo {
  private readonly signedStmt;
  private readonly insertSignedStmt;
  private readonly deleteSignedStmt;
  private readonly pruneOneTimeStmt;
  private readonly deleteAllSignedStmt;
  private readonly oneTimeStmt;
  private readonly pendingUploadStmt;
  private readonly insertOneTimeStmt;
  private readonly markUploadedStmt;
  private readonly deleteOneTimeStmt;
  private readonly deleteAllOneTimeStmt;
  private readonly idsStmt;
  private readonly setNextSignedStmt;
  private readonly setNextOneTimeStmt;

  constructor(db: Db) {
    this.signedStmt = db.prepare<[], SignedRow>('SELECT * FROM signed_prekeys ORDER BY id');
    this.insertSignedStmt = db.prepare(
      `INSERT INTO signed_prekeys (id, public_key, secret_key, signature, created_at, retired_at)
       VALUES (@id, @publicKey, @secretKey, @signature, @createdAt, @retiredAt)`,
    );
    this.deleteSignedStmt = db.prepare('DELETE FROM signed_prekeys WHERE id = ?');
    this.deleteAllSignedStmt = db.prepare('DELETE FROM signed_prekeys');
    this.oneTimeStmt = db.prepare<[number], OneTimeRow>('SELECT * FROM one_time_prekeys WHERE id = ?');
    this.pendingUploadStmt = db.prepare<[number], OneTimeRow>(
      'SELECT * FROM one_time_prekeys WHERE uploaded = 0 ORDER BY id LIMIT ?',
    );
    this.insertOneTimeStmt = db.prepare(
      `INSERT INTO one_time_prekeys (id, public_key, secret_key, uploaded, created_at)
       VALUES (@id, @publicKey, @secretKey, 0, @createdAt)`,
    );
    this.markUploadedStmt = db.prepare('UPDATE one_time_prekeys SET uploaded = 1 WHERE id = ?');
    this.deleteOneTimeStmt = db.prepare('DELETE FROM one_time_prekeys WHERE id = ?');
    this.deleteAllOneTimeStmt = db.prepare('DELETE FROM one_time_prekeys');
    this.pruneOneTimeStmt = db.prepare<[number]>(
      `DELETE FROM one_time_prekeys WHERE uploaded = 1 AND id NOT IN
         (SELECT id FROM one_time_prekeys WHERE uploaded = 1 ORDER BY id DESC LIMIT ?)`,
    );
    this.idsStmt = db.prepare<[], { next_signed_id: number; next_one_time_id: number }>(
      'SELECT next_signed_id, next_one_time_id FROM prekey_ids WHERE id = 1',
    );
    this.setNextSignedStmt = db.prepare('UPDATE prekey_ids SET next_signed_id = ? WHERE id = 1');
    this.setNextOneTimeStmt = db.prepare('UPDATE prekey_ids SET next_one_time_id = ? WHERE id = 1');
  }

  /** The current signed prekey and (during its grace period) the previous one. */
  signedPreKeys(): StoredSignedPreKey[] {
    return this.signedStmt.all().map(signedFromRow);
  }

  /** Replaces the stored signed prekeys with `keys` (the ring as it should now be). */
  replaceSignedPreKeys(keys: readonly StoredSignedPreKey[]): void {
    this.deleteAllSignedStmt.run();
    for (const key of keys) this.insertSignedStmt.run(key);
  }

  deleteSignedPreKey(id: number): void {
    this.deleteSignedStmt.run(id);
  }

  oneTimePreKey(id: number): StoredOneTimePreKey | null {
    const row = this.oneTimeStmt.get(id);
    return row ? oneTimeFromRow(row) : null;
  }

  /** One-time prekeys stored but not yet confirmed uploaded, oldest first. */
  pendingUpload(limit: number): StoredOneTimePreKey[] {
    return this.pendingUploadStmt.all(limit).map(oneTimeFromRow);
  }

  insertOneTimePreKeys(
    keys: readonly { id: number; publicKey: Uint8Array; secretKey: Uint8Array }[],
    now: number,
  ): void {
    for (const key of keys) this.insertOneTimeStmt.run({ ...key, createdAt: now });
  }

  markUploaded(ids: readonly number[]): void {
    for (const id of ids) this.markUploadedStmt.run(id);
  }

  /**
   * Keeps only the newest `keep` uploaded one-time prekeys. The relay hands out the lowest
   * ids first, so the oldest were handed out long ago and never used — e.g. drained by
   * someone fetching bundles to make us upload more: without a bound that grows forever
   * and keeps secrets on disk that a future compromise could use.
   */
  pruneOneTimePreKeys(keep: number): number {
    return this.pruneOneTimeStmt.run(keep).changes;
  }

  consumeOneTimePreKey(id: number): void {
    this.deleteOneTimeStmt.run(id);
  }

  /** Takes `count` fresh one-time prekey ids (call inside the transaction that stores the keys). */
  takeOneTimeIds(count: number): number {
    const first = this.idsStmt.get()!.next_one_time_id;
    this.setNextOneTimeStmt.run(first + count);
    return first;
  }

  takeSignedId(): number {
    const id = this.idsStmt.get()!.next_signed_id;
    this.setNextSignedStmt.run(id + 1);
    return id;
  }

  /** Records that signed prekey id `id` is taken (rotation numbers the next key itself). */
  signedIdUsed(id: number): void {
    if (this.idsStmt.get()!.next_signed_id <= id) this.setNextSignedStmt.run(id + 1);
  }

  /** Forgets every prekey secret (identity reset); the id counters stay. */
  deleteAll(): void {
    this.deleteAllSignedStmt.run();
    this.deleteAllOneTimeStmt.run();
  }
}
