import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../crypto/sodium';
import { DatabaseOpenError, openDatabase } from '../db/database';
import { Store } from '../db/store';
import { silentLogger } from '../logger';
import { contactOf, makeAccount, newMessageId } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { MIN_ARGON2_LIMITS } from './argon2';
import {
  changePassphrase,
  DatabaseKeyError,
  KEY_FILE_NAME,
  PASSPHRASE_HEADER_NAME,
  SEALED_KEY_NAME,
  type DatabaseKeyErrorCode,
  type DatabaseKeyOptions,
  type KeyProtector,
  type PassphraseRequest,
} from './databaseKey';
import { databaseFileState, ENCRYPTING_SUFFIX, openProfileDatabase } from './profileDatabase';

const DB = 'parley.db';
const dirs = tempDirs('parley-profile-db-test-');
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

const posix = process.platform !== 'win32';
const fast = (options: DatabaseKeyOptions = {}): DatabaseKeyOptions => ({ argon2: MIN_ARGON2_LIMITS, ...options });

async function open(dir: string, options: DatabaseKeyOptions = {}): Promise<Store> {
  const store = new Store(await openProfileDatabase(dir, path.join(dir, DB), fast(options), silentLogger));
  stores.push(store);
  return store;
}

function close(store: Store): void {
  store.close();
  stores.splice(stores.indexOf(store), 1);
}

/** Writes a contact whose display name is a unique marker; returns the marker. */
function writeMarker(store: Store): string {
  const marker = `canary-${randomUUID()}`;
  store.contacts.put({ ...contactOf(makeAccount('peer')), displayName: marker });
  return marker;
}

const hasMarker = (store: Store, marker: string) =>
  store.db.prepare('SELECT count(*) FROM contacts WHERE display_name = ?').pluck().get(marker) === 1;

/** Every file of the database (main, -wal, -shm) and a hash of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (name.startsWith(DB))
      out[name] = createHash('sha256')
        .update(fs.readFileSync(path.join(dir, name)))
        .digest('hex');
  }
  return out;
}

function databaseBytesContain(dir: string, text: string): boolean {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(DB))
    .some((name) => fs.readFileSync(path.join(dir, name)).includes(text));
}

async function expectKeyError(promise: Promise<unknown>, code: DatabaseKeyErrorCode, message: RegExp): Promise<void> {
  const err: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseKeyError);
  expect(err).toBeInstanceOf(DatabaseOpenError); // hosts catch this one
  expect((err as DatabaseKeyError).code).toBe(code);
  expect((err as Error).message).toMatch(message);
}

/** A stand-in for safeStorage: XOR with a secret pad behind a version prefix. */
function fakeProtector(available = true): KeyProtector & { available: boolean } {
  const pad = new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff);
  const xor = (bytes: Uint8Array) => bytes.map((b, i) => b ^ pad[i % pad.length]!);
  return {
    available,
    isAvailable() {
      return this.available;
    },
    encrypt: (plain) => new Uint8Array([0x76, 0x31, ...xor(plain)]),
    decrypt: (sealed) => {
      if (sealed[0] !== 0x76 || sealed[1] !== 0x31) throw new Error('not sealed by us');
      return xor(sealed.subarray(2));
    },
  };
}

describe('database key file (default)', () => {
  it('is created with mode 0600 and reused on the next open, which keeps the data', async () => {
    const dir = dirs.make();
    const first = await open(dir);
    const marker = writeMarker(first);
    close(first);
    const keyFile = path.join(dir, KEY_FILE_NAME);
    const key = fs.readFileSync(keyFile);
    expect(key.byteLength).toBe(32);
    if (posix) expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const second = await open(dir);
    expect(hasMarker(second, marker)).toBe(true);
    expect(fs.readFileSync(keyFile).equals(key)).toBe(true);
  });

  it('keeps the database and its -wal free of what was written (encrypted at rest)', async () => {
    const dir = dirs.make();
    const store = await open(dir);
    const marker = writeMarker(store);
    // Still open: the row is in the -wal now.
    expect(fs.existsSync(path.join(dir, `${DB}-wal`))).toBe(true);
    expect(databaseBytesContain(dir, marker)).toBe(false);
    close(store);
    expect(databaseBytesContain(dir, marker)).toBe(false);
    expect(databaseFileState(path.join(dir, DB))).toBe('encrypted');
    expect(() => openDatabase(path.join(dir, DB))).toThrow(DatabaseOpenError);
  });

  it('refuses a wrong key with a clear error and leaves the database unchanged', async () => {
    const dir = dirs.make();
    close(await open(dir));
    const before = snapshot(dir);
    fs.writeFileSync(path.join(dir, KEY_FILE_NAME), new Uint8Array(32).fill(1), { mode: 0o600 });
    await expect(open(dir)).rejects.toThrow(/wrong key/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('is an error, not a new database, when the key file is gone', async () => {
    const dir = dirs.make();
    const store = await open(dir);
    writeMarker(store);
    close(store);
    fs.rmSync(path.join(dir, KEY_FILE_NAME));
    const before = snapshot(dir);
    await expectKeyError(open(dir), 'key-missing', /encrypted but its key is missing/);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
  });

  it.skipIf(!posix)('refuses a key file that others can read, rather than fixing its mode', async () => {
    const dir = dirs.make();
    close(await open(dir));
    const keyFile = path.join(dir, KEY_FILE_NAME);
    fs.chmodSync(keyFile, 0o644);
    await expectKeyError(open(dir), 'key-file-insecure', /can be read by other users \(mode 0644\).*chmod 600/);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o644);
  });

  it('refuses a damaged key file, and a profile holding two kinds of key', async () => {
    const dir = dirs.make();
    close(await open(dir));
    fs.writeFileSync(path.join(dir, KEY_FILE_NAME), new Uint8Array(31), { mode: 0o600 });
    await expectKeyError(open(dir), 'key-corrupt', /damaged/);
    fs.writeFileSync(path.join(dir, PASSPHRASE_HEADER_NAME), '{}', { mode: 0o600 });
    await expectKeyError(open(dir), 'key-ambiguous', /more than one database key/);
  });
});

describe('passphrase', () => {
  it('protects a new profile, asking once to create and again to open', async () => {
    const dir = dirs.make();
    const asked: PassphraseRequest[] = [];
    const passphrase = (request: PassphraseRequest) => {
      asked.push(request);
      return 'correct horse battery staple';
    };
    const store = await open(dir, { passphrase });
    const marker = writeMarker(store);
    close(store);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    const headerFile = path.join(dir, PASSPHRASE_HEADER_NAME);
    if (posix) expect(fs.statSync(headerFile).mode & 0o777).toBe(0o600);
    const header = JSON.parse(fs.readFileSync(headerFile, 'utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({ version: 1, kdf: 'argon2id13', ...MIN_ARGON2_LIMITS });

    const again = await open(dir, { passphrase });
    expect(hasMarker(again, marker)).toBe(true);
    expect(asked).toEqual([{ creating: true }, { creating: false }]);
    expect(databaseBytesContain(dir, marker)).toBe(false);
  });

  it('says "wrong passphrase" for a wrong one, and leaves the database unchanged', async () => {
    const dir = dirs.make();
    close(await open(dir, { passphrase: 'right' }));
    const before = snapshot(dir);
    await expectKeyError(open(dir, { passphrase: 'wrong' }), 'wrong-passphrase', /^wrong passphrase$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('is required for a passphrase profile: no fallback to a key file or a new database', async () => {
    const dir = dirs.make();
    close(await open(dir, { passphrase: 'pw' }));
    const before = snapshot(dir);
    await expectKeyError(open(dir), 'passphrase-required', /protected by a passphrase/);
    await expectKeyError(open(dir, { keyProtector: fakeProtector() }), 'passphrase-required', /passphrase/);
    expect(snapshot(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    expect(fs.existsSync(path.join(dir, SEALED_KEY_NAME))).toBe(false);
  });

  it('is refused for a profile that is not protected by one', async () => {
    const dir = dirs.make();
    close(await open(dir));
    await expectKeyError(open(dir, { passphrase: 'pw' }), 'passphrase-not-used', /not protected by one.*key file/);
  });

  it('can be changed without touching the database', async () => {
    const dir = dirs.make();
    const store = await open(dir, { passphrase: 'old' });
    const marker = writeMarker(store);
    close(store);
    const before = snapshot(dir);
    await expectKeyError(changePassphrase(dir, 'not it', 'new', MIN_ARGON2_LIMITS), 'wrong-passphrase', /wrong/);
    await changePassphrase(dir, 'old', 'new', MIN_ARGON2_LIMITS);
    expect(snapshot(dir)).toEqual(before);
    await expectKeyError(open(dir, { passphrase: 'old' }), 'wrong-passphrase', /wrong passphrase/);
    expect(hasMarker(await open(dir, { passphrase: 'new' }), marker)).toBe(true);
  });

  it('treats a passphrase as Unicode text (NFC), not as the bytes one keyboard produced', async () => {
    const dir = dirs.make();
    close(await open(dir, { passphrase: 'caf\u00e9' }));
    close(await open(dir, { passphrase: 'cafe\u0301' }));
  });
});

describe('OS key protector', () => {
  it('seals a new profile key with the protector and opens it again with it only', async () => {
    const dir = dirs.make();
    const protector = fakeProtector();
    const store = await open(dir, { keyProtector: protector });
    const marker = writeMarker(store);
    close(store);
    expect(fs.existsSync(path.join(dir, SEALED_KEY_NAME))).toBe(true);
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
    expect(databaseBytesContain(dir, marker)).toBe(false);

    const reopened = await open(dir, { keyProtector: protector });
    expect(hasMarker(reopened, marker)).toBe(true);
    close(reopened);

    const before = snapshot(dir);
    await expectKeyError(open(dir), 'keychain-required', /sealed by the operating system's keychain/);
    protector.available = false;
    await expectKeyError(open(dir, { keyProtector: protector }), 'keychain-unavailable', /not available/);
    const other = fakeProtector();
    other.decrypt = () => {
      throw new Error('different user');
    };
    await expectKeyError(open(dir, { keyProtector: other }), 'keychain-failed', /could not unseal/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('falls back to the key file for a new profile when the OS cannot protect secrets', async () => {
    const dir = dirs.make();
    close(await open(dir, { keyProtector: fakeProtector(false) }));
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(true);
    expect(fs.existsSync(path.join(dir, SEALED_KEY_NAME))).toBe(false);
    // An existing key-file profile keeps its key file when the OS becomes available.
    close(await open(dir, { keyProtector: fakeProtector(true) }));
    expect(fs.existsSync(path.join(dir, SEALED_KEY_NAME))).toBe(false);
  });
});

describe('plaintext database from an earlier build', () => {
  function plaintextProfile(dir: string): { marker: string; messageId: string; chatId: string } {
    const store = new Store(openDatabase(path.join(dir, DB)));
    const marker = writeMarker(store);
    const peer = contactOf(makeAccount('peer2'));
    store.contacts.put(peer);
    const { chat } = store.chats.ensureDirect(peer.userId, 1);
    const messageId = newMessageId();
    store.messages.insertOutgoing({ chatId: chat.id, id: messageId, senderId: 'u_me', text: marker, sentAt: 1 });
    store.close();
    expect(databaseFileState(path.join(dir, DB))).toBe('plaintext');
    expect(databaseBytesContain(dir, marker)).toBe(true);
    return { marker, messageId, chatId: chat.id };
  }

  it('is encrypted once, keeping its messages, and the plaintext files are gone', async () => {
    const dir = dirs.make();
    const { marker, messageId, chatId } = plaintextProfile(dir);
    // A half-made copy from an interrupted earlier attempt is discarded.
    fs.writeFileSync(path.join(dir, DB + ENCRYPTING_SUFFIX), 'half');

    const store = await open(dir);
    expect(store.messages.get(chatId, messageId)?.text).toBe(marker);
    expect(hasMarker(store, marker)).toBe(true);
    close(store);

    expect(databaseFileState(path.join(dir, DB))).toBe('encrypted');
    expect(databaseBytesContain(dir, marker)).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.includes(ENCRYPTING_SUFFIX))).toEqual([]);
    if (posix) expect(fs.statSync(path.join(dir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
    const again = await open(dir);
    expect(again.messages.get(chatId, messageId)?.text).toBe(marker);
  });

  it('is encrypted under a passphrase when one is given', async () => {
    const dir = dirs.make();
    const { marker, messageId, chatId } = plaintextProfile(dir);
    close(await open(dir, { passphrase: 'pw' }));
    expect(databaseBytesContain(dir, marker)).toBe(false);
    await expectKeyError(open(dir), 'passphrase-required', /passphrase/);
    const store = await open(dir, { passphrase: 'pw' });
    expect(store.messages.get(chatId, messageId)?.text).toBe(marker);
  });
});
