/**
 * Prekeys a device publishes so others can start sessions while it is offline:
 *
 *  - a signed prekey: an X25519 key signed by the identity key over
 *    `SIGNED_PREKEY_CONTEXT || u32 id || u64 createdAt || publicKey`. Signing the id and the
 *    creation time too means the relay can neither relabel a key nor pass an old key off as
 *    new. Rotated on a schedule; the previous one stays usable for a grace period so that
 *    initial messages built from a bundle fetched just before the rotation still open.
 *  - one-time prekeys: plain X25519 keys with ids, each handed out by the relay at most once.
 */
import { u32be, u64be } from './bytes';
import { BadSignatureError, InvalidStateError } from './errors';
import { signWithContext, verifyWithContext, type IdentityKeyPair } from './keys';
import { systemRng, type Rng } from './rng';
import { assertAcceptablePublicKey, generateX25519KeyPair, type X25519KeyPair } from './x25519';

import { SIGNED_PREKEY_SIG_CONTEXT } from '../../../../shared/protocol';

export const SIGNED_PREKEY_CONTEXT = SIGNED_PREKEY_SIG_CONTEXT;
export const MAX_PREKEY_ID = 0xffffffff;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SignedPreKey {
  readonly id: number;
  readonly keyPair: X25519KeyPair;
  /** ms since the epoch, as signed. */
  readonly createdAt: number;
  readonly signature: Uint8Array;
}

export interface SignedPreKeyPublic {
  readonly id: number;
  readonly publicKey: Uint8Array;
  readonly createdAt: number;
  readonly signature: Uint8Array;
}

export interface OneTimePreKey {
  readonly id: number;
  readonly keyPair: X25519KeyPair;
}

export interface OneTimePreKeyPublic {
  readonly id: number;
  readonly publicKey: Uint8Array;
}

function assertPreKeyId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_PREKEY_ID) throw new InvalidStateError('prekey id out of range');
}

function assertTimestamp(ms: number, what: string): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new InvalidStateError(`${what} must be a non-negative integer (ms)`);
}

/** The id after `id`, wrapping within u32. */
export function nextPreKeyId(id: number): number {
  assertPreKeyId(id);
  return id === MAX_PREKEY_ID ? 0 : id + 1;
}

export function generateSignedPreKey(
  identity: IdentityKeyPair,
  id: number,
  now: number,
  rng: Rng = systemRng,
): SignedPreKey {
  assertPreKeyId(id);
  assertTimestamp(now, 'now');
  const keyPair = generateX25519KeyPair(rng);
  const signature = signWithContext(
    identity.identitySecretKey,
    SIGNED_PREKEY_CONTEXT,
    u32be(id),
    u64be(now),
    keyPair.publicKey,
  );
  return { id, keyPair, createdAt: now, signature };
}

export function signedPreKeyPublic(key: SignedPreKey): SignedPreKeyPublic {
  return {
    id: key.id,
    publicKey: key.keyPair.publicKey.slice(),
    createdAt: key.createdAt,
    signature: key.signature.slice(),
  };
}

/** Throws bad_signature unless `identityKey` signed this prekey (id, time and key), then low_order_key if the key is unusable. */
export function verifySignedPreKey(identityKey: Uint8Array, key: SignedPreKeyPublic): void {
  const signed =
    Number.isInteger(key.id) &&
    key.id >= 0 &&
    key.id <= MAX_PREKEY_ID &&
    Number.isSafeInteger(key.createdAt) &&
    key.createdAt >= 0 &&
    verifyWithContext(
      identityKey,
      key.signature,
      SIGNED_PREKEY_CONTEXT,
      u32be(key.id),
      u64be(key.createdAt),
      key.publicKey,
    );
  if (!signed) throw new BadSignatureError('signed prekey is not signed by the identity key');
  assertAcceptablePublicKey(key.publicKey, 'signed prekey');
}

/** `count` one-time prekeys with consecutive ids from `firstId` (wrapping within u32). */
export function generateOneTimePreKeys(firstId: number, count: number, rng: Rng = systemRng): OneTimePreKey[] {
  assertPreKeyId(firstId);
  if (!Number.isInteger(count) || count < 0 || count > 10_000) throw new InvalidStateError('prekey count out of range');
  const keys: OneTimePreKey[] = [];
  for (let i = 0, id = firstId; i < count; i++, id = nextPreKeyId(id)) {
    keys.push({ id, keyPair: generateX25519KeyPair(rng) });
  }
  return keys;
}

export function oneTimePreKeyPublic(key: OneTimePreKey): OneTimePreKeyPublic {
  return { id: key.id, publicKey: key.keyPair.publicKey.slice() };
}

// ---------------------------------------------------------------- rotation

export interface SignedPreKeyRotationPolicy {
  /** Age after which the current signed prekey is replaced. */
  readonly rotateAfterMs: number;
  /**
   * How long the replaced key still opens initial messages, counted from its retirement on
   * this device (so time spent offline does not eat into it). At most `rotateAfterMs`: the
   * ring keeps one previous key, which the next rotation replaces.
   */
  readonly graceMs: number;
}

export const DEFAULT_SIGNED_PREKEY_POLICY: SignedPreKeyRotationPolicy = {
  rotateAfterMs: 7 * DAY_MS,
  graceMs: 7 * DAY_MS,
};

function assertPolicy(policy: SignedPreKeyRotationPolicy): void {
  const { rotateAfterMs, graceMs } = policy;
  if (!(Number.isSafeInteger(rotateAfterMs) && rotateAfterMs > 0 && Number.isSafeInteger(graceMs) && graceMs >= 0)) {
    throw new InvalidStateError('rotation policy durations must be non-negative integers (ms)');
  }
  if (graceMs > rotateAfterMs) throw new InvalidStateError('grace period longer than the rotation interval');
}

export interface SignedPreKeyRing {
  readonly current: SignedPreKey;
  /** The key `current` replaced, kept until `previousRetiredAt + graceMs`. */
  readonly previous: SignedPreKey | null;
  readonly previousRetiredAt: number | null;
}

export function createSignedPreKeyRing(
  identity: IdentityKeyPair,
  now: number,
  firstId = 1,
  rng: Rng = systemRng,
): SignedPreKeyRing {
  return { current: generateSignedPreKey(identity, firstId, now, rng), previous: null, previousRetiredAt: null };
}

/**
 * Returns the ring as it should be at `now`: the previous key dropped once its grace period
 * is over, and a new current key if the current one is due. `rotated` tells the caller to
 * upload the new public key. Pure: the input ring is not changed.
 */
export function rotateSignedPreKeyRing(
  ring: SignedPreKeyRing,
  identity: IdentityKeyPair,
  now: number,
  policy: SignedPreKeyRotationPolicy = DEFAULT_SIGNED_PREKEY_POLICY,
  rng: Rng = systemRng,
): { ring: SignedPreKeyRing; rotated: boolean } {
  assertTimestamp(now, 'now');
  assertPolicy(policy);
  let next = ring;
  if (next.previous && next.previousRetiredAt !== null && now - next.previousRetiredAt >= policy.graceMs) {
    next = { current: next.current, previous: null, previousRetiredAt: null };
  }
  if (now - next.current.createdAt < policy.rotateAfterMs) return { ring: next, rotated: false };
  const current = generateSignedPreKey(identity, nextPreKeyId(next.current.id), now, rng);
  return { ring: { current, previous: next.current, previousRetiredAt: now }, rotated: true };
}

/** The signed prekey with this id if it may still open initial messages at `now`. */
export function findSignedPreKey(
  ring: SignedPreKeyRing,
  id: number,
  now: number,
  policy: SignedPreKeyRotationPolicy = DEFAULT_SIGNED_PREKEY_POLICY,
): SignedPreKey | undefined {
  if (ring.current.id === id) return ring.current;
  const { previous, previousRetiredAt } = ring;
  if (previous && previous.id === id && previousRetiredAt !== null && now - previousRetiredAt < policy.graceMs) {
    return previous;
  }
  return undefined;
}
