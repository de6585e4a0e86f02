/**
 * XChaCha20-Poly1305-IETF with a 24-byte nonce. Each Double Ratchet message key is used for
 * exactly one message, yet the nonce is still fresh random bytes rather than derived from
 * the key: if a crash ever did reuse a message key (the failure the one-transaction rule
 * exists to prevent), distinct random nonces keep that from becoming keystream and
 * Poly1305-key reuse. The 192-bit nonce makes random nonces safe; it costs 24 bytes a message.
 */
import { DecryptFailedError, InvalidStateError } from './errors';
import { sodium } from './sodium';

export const AEAD_KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;

export function aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  if (key.byteLength !== AEAD_KEY_BYTES || nonce.byteLength !== AEAD_NONCE_BYTES) {
    throw new InvalidStateError('AEAD key or nonce has the wrong length');
  }
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array {
  if (key.byteLength !== AEAD_KEY_BYTES || nonce.byteLength !== AEAD_NONCE_BYTES) {
    throw new InvalidStateError('AEAD key or nonce has the wrong length');
  }
  if (ciphertext.byteLength < AEAD_TAG_BYTES) throw new DecryptFailedError('ciphertext shorter than its tag');
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
  } catch {
    throw new DecryptFailedError();
  }
}
