/**
 * Key derivation: HMAC-SHA256 and HKDF-SHA256 (RFC 5869), and the two Double Ratchet KDFs.
 *
 * Why HMAC/HKDF-SHA256 rather than keyed BLAKE2b: it is exactly the instantiation the Signal
 * specifications recommend (X3DH §2.2, Double Ratchet §5.2), which is what the published
 * security analyses of X3DH and the Double Ratchet model; HKDF is a proven extractor for the
 * non-uniform DH outputs fed to KDF_RK, whereas keyed BLAKE2b would need our own extract/
 * expand construction; and RFC 5869 gives published vectors for the exact code path. The
 * cost (a few microseconds per message) is noise next to a DH step or the AEAD itself.
 *
 * libsodium's JS build exports no HKDF functions, so HKDF is built here on libsodium's
 * HMAC-SHA256 multi-part API (which, unlike the one-shot call, accepts keys of any length,
 * as HKDF's salt requires).
 */
import { concatBytes, u8, utf8 } from './bytes';
import { InvalidStateError } from './errors';
import { sodium } from './sodium';

export const HASH_BYTES = 32;

export function hmacSha256(key: Uint8Array, ...data: readonly Uint8Array[]): Uint8Array {
  // The one-shot call (a third of the cost: the ratchet's chain step is two of these) only
  // takes 32-byte keys; everything else goes through the multi-part API.
  if (key.byteLength === sodium.crypto_auth_hmacsha256_KEYBYTES && data.length === 1) {
    return sodium.crypto_auth_hmacsha256(data[0]!, key);
  }
  const state = sodium.crypto_auth_hmacsha256_init(key);
  for (const part of data) sodium.crypto_auth_hmacsha256_update(state, part);
  return sodium.crypto_auth_hmacsha256_final(state);
}

/** RFC 5869 HKDF-Extract. An empty salt means HashLen zero bytes (§2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hmacSha256(salt.byteLength === 0 ? new Uint8Array(HASH_BYTES) : salt, ikm);
}

/** RFC 5869 HKDF-Expand. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 1 || length > 255 * HASH_BYTES) {
    throw new InvalidStateError('HKDF output length out of range');
  }
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    previous = hmacSha256(prk, previous, info, u8(i));
    out.set(previous.subarray(0, Math.min(HASH_BYTES, length - offset)), offset);
    offset += HASH_BYTES;
  }
  return out;
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = hkdfExtract(salt, ikm);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    sodium.memzero(prk);
  }
}

/** HKDF `info` of the ratchet's root KDF: names the protocol so keys never collide with another use. */
const ROOT_KDF_INFO = utf8('Parley_DoubleRatchet_v1_RootKey');

export interface RootStep {
  readonly rootKey: Uint8Array;
  readonly chainKey: Uint8Array;
}

/** KDF_RK(rk, dh_out): HKDF with rk as salt and the DH output as input key material (DR spec §5.2). */
export function kdfRoot(rootKey: Uint8Array, dhOutput: Uint8Array): RootStep {
  const okm = hkdfSha256(dhOutput, rootKey, ROOT_KDF_INFO, 2 * HASH_BYTES);
  return { rootKey: okm.slice(0, HASH_BYTES), chainKey: okm.slice(HASH_BYTES) };
}

const MESSAGE_KEY_INPUT = Uint8Array.of(0x01);
const CHAIN_KEY_INPUT = Uint8Array.of(0x02);

export interface ChainStep {
  readonly chainKey: Uint8Array;
  readonly messageKey: Uint8Array;
}

/** KDF_CK(ck): message key = HMAC(ck, 0x01), next chain key = HMAC(ck, 0x02) (DR spec §5.2). */
export function kdfChain(chainKey: Uint8Array): ChainStep {
  return { messageKey: hmacSha256(chainKey, MESSAGE_KEY_INPUT), chainKey: hmacSha256(chainKey, CHAIN_KEY_INPUT) };
}

/** X3DH's KDF input prefix for X25519: 32 0xFF bytes (X3DH spec §2.2), for domain separation from the ratchet. */
const X3DH_PREFIX = new Uint8Array(32).fill(0xff);
const X3DH_INFO = utf8('Parley_X3DH_v1_X25519_SHA256');

/** KDF(KM) of X3DH: HKDF(salt = 32 zero bytes, IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4]). */
export function kdfX3dh(dhOutputs: readonly Uint8Array[]): Uint8Array {
  const ikm = concatBytes(X3DH_PREFIX, ...dhOutputs);
  try {
    return hkdfSha256(ikm, new Uint8Array(HASH_BYTES), X3DH_INFO, HASH_BYTES);
  } finally {
    sodium.memzero(ikm);
  }
}
