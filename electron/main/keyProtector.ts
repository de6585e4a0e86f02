/**
 * Protects small secrets (the database key, in the encrypted-database work) with the OS
 * keychain through Electron's safeStorage. The core receives this as an interface, since it
 * must not import Electron; host mode will supply a key-file or passphrase implementation.
 */
import type { SafeStorage } from 'electron';

export interface KeyProtector {
  /** Whether secrets can be protected by the OS on this machine right now. */
  isAvailable(): boolean;
  encrypt(plain: Uint8Array): Uint8Array;
  decrypt(sealed: Uint8Array): Uint8Array;
}

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
