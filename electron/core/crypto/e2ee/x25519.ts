/**
 * X25519 key pairs and a Diffie-Hellman that refuses bad public keys. Every public key that
 * arrives from outside (bundle, initial message, ratchet header) passes through
 * `assertAcceptablePublicKey` before it is used in a DH, and every DH output is checked to be
 * non-zero, so a malicious peer or relay cannot force a predictable shared secret.
 */
import { bytesEqual, isAllZero } from './bytes';
import { InvalidStateError, LowOrderKeyError } from './errors';
import { randomBytes, systemRng, type Rng } from './rng';
import { sodium } from './sodium';

export const X25519_KEY_BYTES = 32;

export interface X25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/**
 * The secret scalar is the seed itself (RFC 7748: clamping happens inside the scalar
 * multiplication), so RFC 7748 §6.1's key pairs are reproducible from their private keys.
 */
export function x25519KeyPairFromSeed(seed: Uint8Array): X25519KeyPair {
  if (seed.byteLength !== X25519_KEY_BYTES) throw new InvalidStateError('X25519 seed must be 32 bytes');
  const secretKey = new Uint8Array(seed);
  return { publicKey: sodium.crypto_scalarmult_base(secretKey), secretKey };
}

export function generateX25519KeyPair(rng: Rng = systemRng): X25519KeyPair {
  return x25519KeyPairFromSeed(randomBytes(rng, X25519_KEY_BYTES));
}

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

/**
 * The small-order points of Curve25519 (libsodium's blocklist in scalarmult/curve25519):
 * a DH with any of them gives an output that does not depend on our secret.
 */
const SMALL_ORDER_POINTS: readonly Uint8Array[] = [
  hex('0000000000000000000000000000000000000000000000000000000000000000'), // 0 (order 4)
  hex('0100000000000000000000000000000000000000000000000000000000000000'), // 1 (order 1)
  hex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800'), // order 8
  hex('5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'), // order 8
  hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p - 1 (order 2)
  hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p (= 0)
  hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p + 1 (= 1)
];

/**
 * Canonical: top bit clear and the little-endian value below p = 2^255 - 19. Our own keys
 * always are; refusing aliases means one key has exactly one encoding, which the ratchet
 * relies on when it compares header keys byte for byte.
 */
function isCanonical(publicKey: Uint8Array): boolean {
  if ((publicKey[31]! & 0x80) !== 0) return false;
  if (publicKey[31] !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (publicKey[i] !== 0xff) return true;
  return publicKey[0]! < 0xed;
}

export function isAcceptablePublicKey(publicKey: Uint8Array): boolean {
  return (
    publicKey.byteLength === X25519_KEY_BYTES &&
    isCanonical(publicKey) &&
    !SMALL_ORDER_POINTS.some((point) => bytesEqual(point, publicKey))
  );
}

/** Public data, so the checks need not be constant-time. `what` names the key in the error. */
export function assertAcceptablePublicKey(publicKey: Uint8Array, what: string): void {
  if (!isAcceptablePublicKey(publicKey)) throw new LowOrderKeyError(`${what}: unacceptable X25519 public key`);
}

/** X25519(secretKey, publicKey) after validating the public key; never returns an all-zero secret. */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array, what = 'peer key'): Uint8Array {
  assertAcceptablePublicKey(publicKey, what);
  let shared: Uint8Array;
  try {
    shared = sodium.crypto_scalarmult(secretKey, publicKey);
  } catch {
    // libsodium itself refuses an all-zero output ("weak public key").
    throw new LowOrderKeyError(`${what}: DH produced no secret`);
  }
  if (isAllZero(shared)) throw new LowOrderKeyError(`${what}: DH produced no secret`);
  return shared;
}
