/**
 * Protects small secrets (the profile database key, sealed into `db.key.sealed`) with the
 * OS keychain through Electron's safeStorage. The core receives this as its KeyProtector
 * interface, since it must not import Electron; host mode has no keychain and uses a key
 * file or a passphrase instead.
 */
import type { SafeStorage } from 'electron';
import type { KeyProtector } from '../core/api';

export type { KeyProtector };

export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export function safeStorageKeyProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform): KeyProtector {
  return {
    isAvailable() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      // On Linux without a keyring Chromium falls back to a hard-coded password
      // ("basic_text"): that is obfuscation, not protection, so report it as unavailable
      // and let the caller choose a passphrase instead.
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
    },
    // safeStorage works on strings; base64 carries arbitrary bytes through it unchanged.
    encrypt(plain) {
      return new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64')));
    },
    decrypt(sealed) {
      return new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64'));
    },
  };
}
