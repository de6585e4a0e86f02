/**
 * Opens a profile's encrypted database: finds (or makes) its key (see databaseKey.ts),
 * encrypts a plaintext database left by an earlier build once, and opens it with the key.
 *
 * Migration of a plaintext database (`parley.db` that starts with "SQLite format 3"):
 * 1. it is opened without a key and taken out of WAL mode, which folds the -wal into the
 *    main file and removes it;
 * 2. it is copied to `parley.db.encrypting`, and the copy is encrypted in place with
 *    SQLite3MultipleCiphers' `PRAGMA rekey` (SQLCipher v4, raw key) and checked: same schema
 *    version and table count when opened with the key;
 * 3. the copy is renamed over `parley.db`; the old plaintext inode, still open, is then
 *    overwritten with zeros and closed, and the copy's leftovers are removed.
 * A crash before 3 leaves the plaintext database untouched (the half-made copy is deleted on
 * the next start, which migrates again); after 3 the database is encrypted. Overwriting is
 * best effort: copy-on-write file systems and SSDs may keep old blocks; full-disk
 * encryption is what covers those.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Logger } from '../api';
import { sodium } from '../crypto/sodium';
import { applySqlCipherKey, DatabaseOpenError, openDatabase, type Db } from '../db/database';
import { resolveDatabaseKey, type DatabaseKeyOptions } from './databaseKey';
import { syncDirectory } from './secureFile';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const ENCRYPTING_SUFFIX = '.encrypting';
const SIDE_FILES = ['-wal', '-shm', '-journal'];

export type DatabaseFileState = 'absent' | 'plaintext' | 'encrypted';

/** What is at `file`: nothing (or an empty file), a plain SQLite database, or anything else. */
export function databaseFileState(file: string): DatabaseFileState {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    if (read === 0) return 'absent';
    return read === head.length && head.equals(SQLITE_MAGIC) ? 'plaintext' : 'encrypted';
  } finally {
    fs.closeSync(fd);
  }
}

export async function openProfileDatabase(
  profileDir: string,
  file: string,
  keyOptions: DatabaseKeyOptions,
  logger: Logger,
): Promise<Db> {
  fs.rmSync(file + ENCRYPTING_SUFFIX, { force: true }); // an interrupted migration
  const state = databaseFileState(file);
  if (state === 'absent') {
    // An empty file (a crash while creating it) holds nothing; nor do side files next to it.
    for (const suffix of ['', ...SIDE_FILES]) fs.rmSync(file + suffix, { force: true });
  }
  // An encrypted database with no key is not a new profile: never make a new key for it.
  const resolved = await resolveDatabaseKey(profileDir, keyOptions, state !== 'encrypted');
  try {
    if (resolved.keychainFallback) {
      logger.warn('the OS keychain is not available: the database key is kept in a key file readable only by you');
    }
    if (resolved.created) logger.info('created the database key', { method: resolved.method });
    if (state === 'plaintext') {
      logger.warn('encrypting the profile database, left unencrypted by an earlier build');
      encryptPlaintextDatabase(file, resolved.key);
      logger.info('the profile database is now encrypted');
    }
    return openDatabase(file, resolved.key);
  } finally {
    sodium.memzero(resolved.key);
  }
}

/** Encrypts the plaintext SQLite database at `file` with `key` (see the module comment). */
export function encryptPlaintextDatabase(file: string, key: Uint8Array): void {
  const copy = file + ENCRYPTING_SUFFIX;

  // 1. Fold the WAL into the main file; count what must survive.
  const plain = new Database(file);
  let expected: Summary;
  try {
    plain.pragma('journal_mode = DELETE');
    expected = schemaSummary(plain);
  } finally {
    plain.close();
  }

  // 2. Encrypt a copy in place and check it.
  fs.rmSync(copy, { force: true });
  fs.copyFileSync(file, copy, fs.constants.COPYFILE_EXCL);
  fs.chmodSync(copy, 0o600);
  try {
    const target = new Database(copy);
    try {
      applySqlCipherKey(target, key, 'rekey');
    } finally {
      target.close();
    }
    const check = new Database(copy);
    try {
      applySqlCipherKey(check, key, 'key');
      const actual = schemaSummary(check);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`the encrypted copy differs (${JSON.stringify(actual)} vs ${JSON.stringify(expected)})`);
      }
    } finally {
      check.close();
    }
    if (databaseFileState(copy) !== 'encrypted') throw new Error('the copy is still plaintext');
    const fd = fs.openSync(copy, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    for (const suffix of ['', ...SIDE_FILES]) fs.rmSync(copy + suffix, { force: true });
    throw new DatabaseOpenError('could not encrypt the plaintext profile database; it was left as it was', {
      cause: err,
    });
  }

  // 3. Swap, then overwrite the old plaintext through a descriptor opened before the swap.
  const old = fs.openSync(file, 'r+');
  try {
    fs.renameSync(copy, file);
    syncDirectory(path.dirname(file));
    overwriteWithZeros(old);
  } finally {
    fs.closeSync(old);
  }
  for (const suffix of SIDE_FILES) {
    fs.rmSync(copy + suffix, { force: true });
    fs.rmSync(file + suffix, { force: true });
  }
}

interface Summary {
  version: number;
  objects: number;
  rows: number;
}

/** Schema version, schema object count and total row count: what a faithful copy keeps. */
function schemaSummary(db: Db): Summary {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  let rows = 0;
  for (const table of tables) {
    rows += db
      .prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`)
      .pluck()
      .get() as number;
  }
  const objects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
  return { version: db.pragma('user_version', { simple: true }) as number, objects, rows };
}

function overwriteWithZeros(fd: number): void {
  const size = fs.fstatSync(fd).size;
  const zeros = Buffer.alloc(Math.min(size, 1 << 20));
  for (let offset = 0; offset < size; offset += zeros.length) {
    fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - offset), offset);
  }
  fs.fsyncSync(fd);
}
