/**
 * Opens (creating if needed) a profile database: SQLite via better-sqlite3-multiple-ciphers,
 * WAL, foreign keys on, secure_delete on, migrated to the current schema.
 *
 * With `key`, the file is encrypted at rest in the SQLCipher v4 format (the key is the raw
 * 32-byte database key, applied before the first read). Without it the file is plain: only
 * tests do that. The product opens profiles through profile/profileDatabase.ts, which finds
 * the key (key file, passphrase or OS keychain) and never opens a profile without one.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import type { Database as DatabaseHandle } from 'better-sqlite3-multiple-ciphers';
import { migrate } from './migrations';

export type Db = DatabaseHandle;

export const DATABASE_KEY_BYTES = 32;

export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

/**
 * Sets SQLCipher v4 and the raw 32-byte key on a connection before its first read (`key`),
 * or encrypts a plain database in place with it (`rekey`, on a database not in WAL mode).
 */
export function applySqlCipherKey(db: Db, key: Uint8Array, pragma: 'key' | 'rekey'): void {
  if (key.byteLength !== DATABASE_KEY_BYTES) {
    throw new DatabaseOpenError(`database key must be ${DATABASE_KEY_BYTES} bytes`);
  }
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // Raw-key form: no passphrase derivation; the hex never leaves this statement.
  db.pragma(`${pragma} = "x'${Buffer.from(key).toString('hex')}'"`);
}

export function openDatabase(file: string, key?: Uint8Array): Db {
  if (key !== undefined && key.byteLength !== DATABASE_KEY_BYTES) {
    throw new DatabaseOpenError(`database key must be ${DATABASE_KEY_BYTES} bytes`);
  }
  const db = new Database(file);
  try {
    if (key !== undefined) applySqlCipherKey(db, key, 'key');
    try {
      // First real read: fails here (SQLITE_NOTADB) on a wrong key or a foreign file.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      throw new DatabaseOpenError(
        key !== undefined
          ? 'cannot open the profile database: wrong key, or not a Parley database'
          : 'cannot open the profile database: it is encrypted or not a Parley database',
        { cause: err },
      );
    }
    db.pragma('journal_mode = WAL');
    // FULL: a message is acknowledged to the relay right after our commit, so the commit
    // must survive power loss, not just a process crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
