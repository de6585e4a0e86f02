import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from './keys';
import {
  createSignedPreKeyRing,
  DEFAULT_SIGNED_PREKEY_POLICY,
  findSignedPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  nextPreKeyId,
  rotateSignedPreKeyRing,
  signedPreKeyPublic,
  verifySignedPreKey,
} from './prekeys';
import { e2eeReady } from './sodium';
import { errorCode, seededRng, T0 } from './testSupport';

beforeAll(e2eeReady);

describe('signed prekeys', () => {
  it('verifies under its identity only, with id, time and key all covered', () => {
    const rng = seededRng('spk-verify');
    const identity = generateIdentityKeyPair(rng);
    const other = generateIdentityKeyPair(rng);
    const spk = signedPreKeyPublic(generateSignedPreKey(identity, 5, T0, rng));
    expect(() => verifySignedPreKey(identity.identityPublicKey, spk)).not.toThrow();
    expect(errorCode(() => verifySignedPreKey(other.identityPublicKey, spk))).toBe('bad_signature');
    expect(errorCode(() => verifySignedPreKey(identity.identityPublicKey, { ...spk, id: 6 }))).toBe('bad_signature');
    expect(errorCode(() => verifySignedPreKey(identity.identityPublicKey, { ...spk, createdAt: T0 - 1 }))).toBe(
      'bad_signature',
    );
    const key = spk.publicKey.slice();
    key[3]! ^= 0x10;
    expect(errorCode(() => verifySignedPreKey(identity.identityPublicKey, { ...spk, publicKey: key }))).toBe(
      'bad_signature',
    );
  });

  it('rotates when due, keeps the previous key for the grace period, then drops it', () => {
    const rng = seededRng('spk-rotate');
    const identity = generateIdentityKeyPair(rng);
    const policy = { rotateAfterMs: 10_000, graceMs: 4_000 };
    const ring = createSignedPreKeyRing(identity, T0, 41, rng);
    const early = rotateSignedPreKeyRing(ring, identity, T0 + 9_999, policy, rng);
    expect(early.rotated).toBe(false);
    expect(early.ring).toBe(ring);

    const rotatedAt = T0 + 10_000;
    const { ring: rotated, rotated: did } = rotateSignedPreKeyRing(ring, identity, rotatedAt, policy, rng);
    expect(did).toBe(true);
    expect(rotated.current.id).toBe(42);
    expect(rotated.current.createdAt).toBe(rotatedAt);
    expect(rotated.previous).toBe(ring.current);
    expect(ring.previous).toBeNull(); // input untouched

    expect(findSignedPreKey(rotated, 42, rotatedAt, policy)).toBe(rotated.current);
    expect(findSignedPreKey(rotated, 41, rotatedAt + 3_999, policy)).toBe(ring.current);
    expect(findSignedPreKey(rotated, 41, rotatedAt + 4_000, policy)).toBeUndefined();
    expect(findSignedPreKey(rotated, 40, rotatedAt, policy)).toBeUndefined();

    const pruned = rotateSignedPreKeyRing(rotated, identity, rotatedAt + 4_000, policy, rng);
    expect(pruned.rotated).toBe(false);
    expect(pruned.ring.previous).toBeNull();
    expect(pruned.ring.current).toBe(rotated.current);
  });

  it('with the default policy, the previous key lasts exactly until the next rotation', () => {
    const rng = seededRng('spk-default');
    const identity = generateIdentityKeyPair(rng);
    const { rotateAfterMs } = DEFAULT_SIGNED_PREKEY_POLICY;
    const first = rotateSignedPreKeyRing(createSignedPreKeyRing(identity, T0, 1, rng), identity, T0 + rotateAfterMs);
    const second = rotateSignedPreKeyRing(first.ring, identity, T0 + 2 * rotateAfterMs);
    expect(second.rotated).toBe(true);
    expect(second.ring.previous?.id).toBe(2);
    expect(findSignedPreKey(second.ring, 1, T0 + 2 * rotateAfterMs)).toBeUndefined();
    expect(findSignedPreKey(second.ring, 2, T0 + 2 * rotateAfterMs)?.id).toBe(2);
  });

  it('refuses a grace period longer than the rotation interval', () => {
    const rng = seededRng('spk-policy');
    const identity = generateIdentityKeyPair(rng);
    const ring = createSignedPreKeyRing(identity, T0, 1, rng);
    expect(errorCode(() => rotateSignedPreKeyRing(ring, identity, T0, { rotateAfterMs: 10, graceMs: 11 }))).toBe(
      'invalid_state',
    );
  });
});

describe('one-time prekeys', () => {
  it('have consecutive ids that wrap within u32, and distinct keys', () => {
    const keys = generateOneTimePreKeys(0xfffffffe, 4, seededRng('opk'));
    expect(keys.map((k) => k.id)).toEqual([0xfffffffe, 0xffffffff, 0, 1]);
    expect(new Set(keys.map((k) => Buffer.from(k.keyPair.publicKey).toString('hex'))).size).toBe(4);
    expect(nextPreKeyId(7)).toBe(8);
    expect(errorCode(() => nextPreKeyId(-1))).toBe('invalid_state');
    expect(errorCode(() => generateOneTimePreKeys(1, -1))).toBe('invalid_state');
  });
});
