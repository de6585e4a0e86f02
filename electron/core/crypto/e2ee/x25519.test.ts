import { beforeAll, describe, expect, it, vi } from 'vitest';
import { e2eeReady, sodium } from './sodium';
import { errorCode, seededRng, unhex } from './testSupport';
import { generateX25519KeyPair, isAcceptablePublicKey, x25519 } from './x25519';

beforeAll(e2eeReady);

// Canonical encodings of every small-order point, plus non-canonical aliases.
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];
const NON_CANONICAL = [
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1
  'f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 3
  '0900000000000000000000000000000000000000000000000000000000000080', // 9 with the top bit set
];

describe('X25519 public key checks', () => {
  it.each([...SMALL_ORDER, ...NON_CANONICAL])('refuses %s before any scalar multiplication', (key) => {
    const mine = generateX25519KeyPair(seededRng('mine'));
    const scalarmult = vi.spyOn(sodium, 'crypto_scalarmult');
    try {
      expect(isAcceptablePublicKey(unhex(key))).toBe(false);
      expect(errorCode(() => x25519(mine.secretKey, unhex(key)))).toBe('low_order_key');
      expect(scalarmult).not.toHaveBeenCalled();
    } finally {
      scalarmult.mockRestore();
    }
  });

  it('refuses wrong lengths', () => {
    expect(isAcceptablePublicKey(new Uint8Array(31).fill(9))).toBe(false);
    expect(isAcceptablePublicKey(new Uint8Array(33).fill(9))).toBe(false);
  });

  it('accepts real keys, and refuses an all-zero DH output even if the point check were bypassed', () => {
    const rng = seededRng('dh');
    const a = generateX25519KeyPair(rng);
    const b = generateX25519KeyPair(rng);
    expect(x25519(a.secretKey, b.publicKey)).toEqual(x25519(b.secretKey, a.publicKey));
    // An all-zero "shared secret", as a DH with a missed low-order point would give. (Cast:
    // one arrow cannot implement libsodium's overloaded signature.)
    const allZero = (() => new Uint8Array(32)) as unknown as typeof sodium.crypto_scalarmult;
    const scalarmult = vi.spyOn(sodium, 'crypto_scalarmult').mockImplementation(allZero);
    try {
      expect(errorCode(() => x25519(a.secretKey, b.publicKey))).toBe('low_order_key');
    } finally {
      scalarmult.mockRestore();
    }
  });
});
