/**
 * The profile database's key: a random 32-byte SQLCipher key, never derived from anything,
 * stored in the profile directory in exactly one of three protected forms:
 *
 * - `db.key.sealed`: sealed by the OS through a {@link KeyProtector} (Electron safeStorage:
 *   Keychain, DPAPI, libsecret/kwallet). The Electron app's default.
 * - `db.key.json`: wrapped (crypto_secretbox) under a key derived from a passphrase with
 *   Argon2id; the header holds the salt and limits. A wrong passphrase fails the MAC. Since
 *   only the wrapped key depends on the passphrase, changing it rewrites this small file and
 *   never the database.
 * - `db.key`: the raw key in a file readable only by this user (0600). Host mode's default,
 *   and the Electron app's when the OS cannot protect secrets. A key file that group or
 *   others can read is refused, not silently re-moded: it may already have been copied, and
 *   the user should decide (`chmod 600`) knowing that.
 *
 * Which form is used follows from what the profile already has; a new profile takes the
 * strongest form the caller offers (passphrase, then OS, then key file). A profile whose
 * key form the caller cannot open is an error that says what to do. Never a new empty
 * database, never plaintext.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sodium } from '../crypto/sodium';
import { DATABASE_KEY_BYTES, DatabaseOpenError } from '../db/database';
import {
  ARGON2_SALT_BYTES,
  DEFAULT_ARGON2_LIMITS,
  deriveArgon2idKey,
  MAX_ARGON2_LIMITS,
  MIN_ARGON2_LIMITS,
  type Argon2Limits,
} from './argon2';
import { privateFileProblem, writePrivateFileAtomic } from './secureFile';

export const KEY_FILE_NAME = 'db.key';
export const PASSPHRASE_HEADER_NAME = 'db.key.json';
export const SEALED_KEY_NAME = 'db.key.sealed';

/** Protects small secrets with the OS (Electron's safeStorage in electron/main). */
export interface KeyProtector {
  /** Whether secrets can be protected by the OS on this machine right now. */
  isAvailable(): boolean;
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(sealed: Uint8Array): Uint8Array;
}

export interface PassphraseRequest {
  /** True when the profile is new: the passphrase being set (a prompt should confirm it). */
  creating: boolean;
}

/** The passphrase itself, or a function asked for it only when it is needed. */
export type PassphraseSource = string | ((request: PassphraseRequest) => string | Promise<string>);

/** What the caller can offer to unlock (or to protect a new) profile database key. */
export interface DatabaseKeyOptions {
  /** The user chose a passphrase: the profile must be (or become) passphrase-protected. */
  passphrase?: PassphraseSource;
  /** OS protection; used for new profiles when `isAvailable()`. */
  keyProtector?: KeyProtector;
  /** Argon2id limits for a new passphrase header. Tests lower them; products leave the default. */
  argon2?: Argon2Limits;
}

export type DatabaseKeyMethod = 'key-file' | 'passphrase' | 'os-keychain';

export type DatabaseKeyErrorCode =
  | 'passphrase-required'
  | 'wrong-passphrase'
  | 'passphrase-not-used'
  | 'keychain-required'
  | 'keychain-unavailable'
  | 'keychain-failed'
  | 'key-file-insecure'
  | 'key-missing'
  | 'key-ambiguous'
  | 'key-corrupt';

/** A DatabaseOpenError whose `code` lets a host add its own hint (a flag to pass, say). */
export class DatabaseKeyError extends DatabaseOpenError {
  constructor(
    readonly code: DatabaseKeyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseKeyError';
  }
}

export interface ResolvedDatabaseKey {
  key: Uint8Array;
  method: DatabaseKeyMethod;
  /** The key was made just now (new profile, or a plaintext database about to be encrypted). */
  created: boolean;
  /** A new profile was offered OS protection that is unavailable, so it got a key file. */
  keychainFallback: boolean;
}

const METHOD_FILES: Record<DatabaseKeyMethod, string> = {
  'key-file': KEY_FILE_NAME,
  passphrase: PASSPHRASE_HEADER_NAME,
  'os-keychain': SEALED_KEY_NAME,
};

const METHOD_DESCRIPTION: Record<DatabaseKeyMethod, string> = {
  'key-file': `a key file (${KEY_FILE_NAME})`,
  passphrase: 'a passphrase',
  'os-keychain': "the operating system's keychain (the Parley desktop app)",
};

/** Which key forms the profile directory holds. */
export function existingKeyMethods(profileDir: string): DatabaseKeyMethod[] {
  return (Object.keys(METHOD_FILES) as DatabaseKeyMethod[]).filter((method) =>
    fs.existsSync(path.join(profileDir, METHOD_FILES[method])),
  );
}

/**
 * Loads the profile's key, or, when it has none and `mayCreate` (no encrypted database
 * without a key exists), makes one in the strongest offered form. Throws DatabaseKeyError.
 */
export async function resolveDatabaseKey(
  profileDir: string,
  options: DatabaseKeyOptions,
  mayCreate: boolean,
): Promise<ResolvedDatabaseKey> {
  const methods = existingKeyMethods(profileDir);
  if (methods.length > 1) {
    throw new DatabaseKeyError(
      'key-ambiguous',
      `the profile has more than one database key (${methods.map((m) => METHOD_FILES[m]).join(', ')} in ` +
        `${profileDir}); keep only the one that opens it`,
    );
  }
  const existing = methods[0];
  if (existing === undefined) {
    if (!mayCreate) {
      throw new DatabaseKeyError(
        'key-missing',
        `the profile database is encrypted but its key is missing (none of ${Object.values(METHOD_FILES).join(', ')} ` +
          `is in ${profileDir}). Restore the key file from where you keep backups of it; without it the ` +
          `database cannot be read. Move the profile directory away to start a new profile.`,
      );
    }
    return createKey(profileDir, options);
  }

  if (existing !== 'passphrase' && options.passphrase !== undefined) {
    throw new DatabaseKeyError(
      'passphrase-not-used',
      `a passphrase was given, but this profile is not protected by one: its database key is protected by ` +
        `${METHOD_DESCRIPTION[existing]}. Open it without a passphrase.`,
    );
  }
  const found = (key: Uint8Array, method: DatabaseKeyMethod): ResolvedDatabaseKey => ({
    key,
    method,
    created: false,
    keychainFallback: false,
  });
  switch (existing) {
    case 'key-file':
      return found(readKeyFile(path.join(profileDir, KEY_FILE_NAME)), existing);
    case 'passphrase': {
      if (options.passphrase === undefined) {
        throw new DatabaseKeyError(
          'passphrase-required',
          'this profile is protected by a passphrase, and none was given',
        );
      }
      const passphrase = await askPassphrase(options.passphrase, false);
      return found(await unwrapWithPassphrase(path.join(profileDir, PASSPHRASE_HEADER_NAME), passphrase), existing);
    }
    case 'os-keychain':
      return found(unsealKey(path.join(profileDir, SEALED_KEY_NAME), options.keyProtector), existing);
  }
}

async function createKey(profileDir: string, options: DatabaseKeyOptions): Promise<ResolvedDatabaseKey> {
  const key = sodium.randombytes_buf(DATABASE_KEY_BYTES);
  if (options.passphrase !== undefined) {
    const passphrase = await askPassphrase(options.passphrase, true);
    const header = await wrapWithPassphrase(key, passphrase, options.argon2 ?? DEFAULT_ARGON2_LIMITS);
    writePrivateFileAtomic(path.join(profileDir, PASSPHRASE_HEADER_NAME), JSON.stringify(header, null, 2) + '\n');
    return { key, method: 'passphrase', created: true, keychainFallback: false };
  }
  const protector = options.keyProtector;
  if (protector?.isAvailable()) {
    const sealed = protector.encrypt(key);
    // Prove the OS can unseal it before the database depends on it.
    if (!sodium.memcmp(protector.decrypt(sealed), key)) {
      throw new DatabaseKeyError('keychain-failed', 'the OS keychain did not return the key it sealed');
    }
    writePrivateFileAtomic(path.join(profileDir, SEALED_KEY_NAME), sealed);
    return { key, method: 'os-keychain', created: true, keychainFallback: false };
  }
  writePrivateFileAtomic(path.join(profileDir, KEY_FILE_NAME), key);
  return { key, method: 'key-file', created: true, keychainFallback: protector !== undefined };
}

function readKeyFile(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const problem = privateFileProblem(file, fs.fstatSync(fd));
    if (problem) {
      throw new DatabaseKeyError(
        'key-file-insecure',
        `refusing to use the database key file: ${problem}. The key may have been copied; if you are ` +
          `sure it was not, make it private (chmod 600 ${file}) and start again.`,
      );
    }
    const key = new Uint8Array(fs.readFileSync(fd));
    if (key.byteLength !== DATABASE_KEY_BYTES) {
      throw new DatabaseKeyError('key-corrupt', `the database key file ${file} is damaged (wrong length)`);
    }
    return key;
  } finally {
    fs.closeSync(fd);
  }
}

function unsealKey(file: string, protector: KeyProtector | undefined): Uint8Array {
  if (!protector) {
    throw new DatabaseKeyError(
      'keychain-required',
      "this profile's database key is sealed by the operating system's keychain; open it with the Parley " +
        'desktop app (host mode cannot reach the keychain)',
    );
  }
  if (!protector.isAvailable()) {
    throw new DatabaseKeyError(
      'keychain-unavailable',
      "this profile's database key is sealed by the operating system's keychain, which is not available " +
        'right now (on Linux: is the keyring unlocked?)',
    );
  }
  let key: Uint8Array;
  try {
    key = protector.decrypt(new Uint8Array(fs.readFileSync(file)));
  } catch (err) {
    throw new DatabaseKeyError(
      'keychain-failed',
      `the operating system's keychain could not unseal the database key (${file}); was the profile ` +
        'copied from another user or machine?',
      { cause: err },
    );
  }
  if (key.byteLength !== DATABASE_KEY_BYTES) {
    throw new DatabaseKeyError('key-corrupt', `the sealed database key ${file} is damaged (wrong length)`);
  }
  return key;
}

// --- passphrase header ---------------------------------------------------------------

interface PassphraseHeader {
  version: 1;
  kdf: 'argon2id13';
  opslimit: number;
  memlimit: number;
  salt: string;
  nonce: string;
  /** crypto_secretbox(dbKey) under the Argon2id-derived key, base64. */
  wrappedKey: string;
}

async function askPassphrase(source: PassphraseSource, creating: boolean): Promise<string> {
  const passphrase = typeof source === 'string' ? source : await source({ creating });
  // NFC: the same passphrase typed on another keyboard or OS must give the same bytes.
  const normalized = passphrase.normalize('NFC');
  if (normalized.length === 0) {
    throw new DatabaseKeyError(creating ? 'passphrase-required' : 'wrong-passphrase', 'the passphrase is empty');
  }
  return normalized;
}

async function deriveWrappingKey(passphrase: string, salt: Uint8Array, limits: Argon2Limits): Promise<Uint8Array> {
  try {
    return await deriveArgon2idKey(
      new Uint8Array(Buffer.from(passphrase, 'utf8')),
      salt,
      limits,
      sodium.crypto_secretbox_KEYBYTES,
    );
  } catch (err) {
    // Out of memory for the Argon2 limits, most likely.
    throw new DatabaseOpenError(`could not derive the key from the passphrase (${String(err)})`, { cause: err });
  }
}

async function wrapWithPassphrase(
  key: Uint8Array,
  passphrase: string,
  limits: Argon2Limits,
): Promise<PassphraseHeader> {
  const salt = sodium.randombytes_buf(ARGON2_SALT_BYTES);
  const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  const kek = await deriveWrappingKey(passphrase, salt, limits);
  try {
    return {
      version: 1,
      kdf: 'argon2id13',
      opslimit: limits.opslimit,
      memlimit: limits.memlimit,
      salt: Buffer.from(salt).toString('base64'),
      nonce: Buffer.from(nonce).toString('base64'),
      wrappedKey: Buffer.from(sodium.crypto_secretbox_easy(key, nonce, kek)).toString('base64'),
    };
  } finally {
    sodium.memzero(kek);
  }
}

function readHeader(file: string): PassphraseHeader {
  const corrupt = (why: string, cause?: unknown) =>
    new DatabaseKeyError('key-corrupt', `the passphrase header ${file} is damaged (${why})`, { cause });
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw corrupt('not JSON', err);
  }
  const h = raw as Partial<Record<keyof PassphraseHeader, unknown>>;
  if (typeof raw !== 'object' || raw === null || h.version !== 1 || h.kdf !== 'argon2id13') {
    throw corrupt('unknown version or KDF');
  }
  const inRange = (v: unknown, lo: number, hi: number): v is number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;
  if (
    !inRange(h.opslimit, MIN_ARGON2_LIMITS.opslimit, MAX_ARGON2_LIMITS.opslimit) ||
    !inRange(h.memlimit, MIN_ARGON2_LIMITS.memlimit, MAX_ARGON2_LIMITS.memlimit)
  ) {
    throw corrupt('Argon2 limits out of range');
  }
  if (typeof h.salt !== 'string' || typeof h.nonce !== 'string' || typeof h.wrappedKey !== 'string') {
    throw corrupt('missing fields');
  }
  return h as PassphraseHeader;
}

async function unwrapWithPassphrase(file: string, passphrase: string): Promise<Uint8Array> {
  const header = readHeader(file);
  const salt = new Uint8Array(Buffer.from(header.salt, 'base64'));
  const nonce = new Uint8Array(Buffer.from(header.nonce, 'base64'));
  const wrapped = new Uint8Array(Buffer.from(header.wrappedKey, 'base64'));
  if (
    salt.byteLength !== ARGON2_SALT_BYTES ||
    nonce.byteLength !== sodium.crypto_secretbox_NONCEBYTES ||
    wrapped.byteLength !== DATABASE_KEY_BYTES + sodium.crypto_secretbox_MACBYTES
  ) {
    throw new DatabaseKeyError('key-corrupt', `the passphrase header ${file} is damaged (bad field sizes)`);
  }
  const kek = await deriveWrappingKey(passphrase, salt, header);
  try {
    return sodium.crypto_secretbox_open_easy(wrapped, nonce, kek);
  } catch {
    throw new DatabaseKeyError('wrong-passphrase', 'wrong passphrase');
  } finally {
    sodium.memzero(kek);
  }
}

/**
 * Re-wraps a passphrase profile's database key under a new passphrase (new salt, current
 * limits). The database itself is not touched. Throws 'wrong-passphrase' for a wrong `current`.
 * The profile must not be open elsewhere (hold its lock).
 */
export async function changePassphrase(
  profileDir: string,
  current: string,
  next: string,
  limits: Argon2Limits = DEFAULT_ARGON2_LIMITS,
): Promise<void> {
  const file = path.join(profileDir, PASSPHRASE_HEADER_NAME);
  if (!fs.existsSync(file)) {
    throw new DatabaseKeyError('passphrase-not-used', 'this profile is not protected by a passphrase');
  }
  const key = await unwrapWithPassphrase(file, await askPassphrase(current, false));
  try {
    const header = await wrapWithPassphrase(key, await askPassphrase(next, true), limits);
    writePrivateFileAtomic(file, JSON.stringify(header, null, 2) + '\n');
  } finally {
    sodium.memzero(key);
  }
}
