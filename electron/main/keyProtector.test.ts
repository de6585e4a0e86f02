import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sodiumReady } from '../core/crypto/sodium';
import { KEY_FILE_NAME, resolveDatabaseKey, SEALED_KEY_NAME } from '../core/profile/databaseKey';
import { safeStorageKeyProtector, type SafeStorageLike } from './keyProtector';

/** safeStorage stand-in: "encrypts" by reversing and prefixing, enough to see bytes round-trip. */
function fakeSafeStorage(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text: string) => Buffer.from(`v10${[...text].reverse().join('')}`),
    decryptString: (sealed: Buffer) => [...sealed.toString().slice(3)].reverse().join(''),
    getSelectedStorageBackend: () => backend as ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>>,
  };
}

describe('safeStorage key protector', () => {
  it('round-trips arbitrary bytes, and the sealed form is not the plaintext', () => {
    const protector = safeStorageKeyProtector(fakeSafeStorage(true), 'linux');
    const key = new Uint8Array([0, 255, 1, 128, 10, 13, 0, 42]);
    const sealed = protector.encrypt(key);
    expect(Buffer.from(sealed).includes(Buffer.from(key))).toBe(false);
    expect(protector.decrypt(sealed)).toEqual(key);
  });

  it('reports unavailable when the OS cannot protect secrets, or only obfuscates them', () => {
    expect(safeStorageKeyProtector(fakeSafeStorage(false), 'darwin').isAvailable()).toBe(false);
    expect(safeStorageKeyProtector(fakeSafeStorage(true, 'basic_text'), 'linux').isAvailable()).toBe(false);
    expect(safeStorageKeyProtector(fakeSafeStorage(true, 'kwallet5'), 'linux').isAvailable()).toBe(true);
    expect(safeStorageKeyProtector(fakeSafeStorage(true), 'win32').isAvailable()).toBe(true);
  });
});

describe('safeStorage protecting a profile database key', () => {
  it('seals a new profile key into db.key.sealed and unseals it on the next open', async () => {
    await sodiumReady();
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-main-key-'));
    try {
      const protector = safeStorageKeyProtector(fakeSafeStorage(true), 'linux');
      const created = await resolveDatabaseKey(dir, { keyProtector: protector }, true);
      expect(created).toMatchObject({ method: 'os-keychain', created: true });
      expect(existsSync(path.join(dir, SEALED_KEY_NAME))).toBe(true);
      expect(existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false);
      const again = await resolveDatabaseKey(dir, { keyProtector: protector }, false);
      expect(again.key).toEqual(created.key);
      // Linux with only basic_text: an existing sealed key is not silently readable elsewhere.
      const weak = safeStorageKeyProtector(fakeSafeStorage(true, 'basic_text'), 'linux');
      await expect(resolveDatabaseKey(dir, { keyProtector: weak }, false)).rejects.toThrow(/not available/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
