import { describe, expect, it } from 'vitest';
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
