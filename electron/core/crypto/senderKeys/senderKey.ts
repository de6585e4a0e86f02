/**
 * Sender Keys (the Signal "sender key" construction), functional and synchronous:
 *
 *   - every member owns one sending chain per group: a random 32-byte chain key, stepped with
 *     the Double Ratchet's symmetric KDF (e2ee/kdf.ts `kdfChain`: message key = HMAC-SHA256(ck,
 *     0x01), next chain key = HMAC-SHA256(ck, 0x02)), and a fresh Ed25519 signing key pair;
 *   - the chain's current key, number and public signing key go to every other member in a
 *     `SenderKeyDistribution`, carried over the pairwise ratchet sessions (which authenticate
 *     who sent it; the distribution itself is therefore not signed);
 *   - a group message is encrypted once (XChaCha20-Poly1305 under the message key, random
 *     nonce, AD binding group, sender, generation and number) and signed once with the chain's
 *     signing key, so members cannot forge messages in each other's names although they all
 *     hold the chain key;
 *   - on every membership change each member rotates (`rotateSenderKey`: new random chain key
 *     and signing key, generation + 1) and distributes the new chain to the current members
 *     only: a removed member cannot derive it, and a new member never held the old one.
 *
 * Receivers hold one `ReceiverKeyState` per (group, sender): the newest generation only;
 * messages of an older generation are refused with stale_generation, of a newer one with
 * unknown_generation (its distribution has not arrived).
 */
import { EMPTY } from '../e2ee/bytes';
import { kdfChain } from '../e2ee/kdf';
import { randomBytes, systemRng, type Rng } from '../e2ee/rng';
import { sodium } from '../e2ee/sodium';
import { invalidState, SenderKeyError } from './errors';
import {
  assertSameChainOwner,
  freezeReceiver,
  freezeSender,
  MAX_GROUP_SKIP,
  MAX_SKIPPED_GROUP_KEYS,
  SKIPPED_GROUP_KEY_TTL_MS,
  type GroupChain,
  type ReceiverKeyState,
  type SenderKeyState,
  type SkippedGroupKey,
} from './state';
import {
  ALG_SENDER_KEY_DISTRIBUTION,
  ALG_SENDER_KEY_MESSAGE,
  encodeDistribution,
  encodeGroupMessage,
  groupMessageAssociatedData,
  idSchema,
  MAX_GROUP_PLAINTEXT_BYTES,
  parseDistribution,
  parseGroupMessage,
  SENDER_KEY_VERSION,
  signedBytes,
} from './wire';

const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const MAX_U32 = 0xffffffff;

function assertNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) throw invalidState('now must be a non-negative integer (ms)');
}

function assertId(id: string, what: string): void {
  if (!idSchema.safeParse(id).success) throw invalidState(`${what} must be 1..128 UTF-8 bytes`);
}

// ---------------------------------------------------------------- own chain

export interface CreateSenderKeyParams {
  readonly groupId: string;
  /** The sender's id as the relay names it (the user id); bound into every message. */
  readonly senderId: string;
  /** 0 for a member's first chain in a group; `rotateSenderKey` counts up from there. */
  readonly generation?: number;
  readonly rng?: Rng;
}

export function createSenderKey(params: CreateSenderKeyParams): SenderKeyState {
  const { groupId, senderId, generation = 0, rng = systemRng } = params;
  assertId(groupId, 'group id');
  assertId(senderId, 'sender id');
  if (!Number.isInteger(generation) || generation < 0 || generation > MAX_U32) {
    throw invalidState('generation must be a u32');
  }
  const chainKey = randomBytes(rng, 32);
  const seed = randomBytes(rng, 32);
  const signing = sodium.crypto_sign_seed_keypair(seed);
  sodium.memzero(seed);
  return freezeSender({
    groupId,
    senderId,
    generation,
    chain: { key: chainKey, n: 0 },
    signingPublicKey: signing.publicKey,
    signingSecretKey: signing.privateKey,
  });
}

/** A fresh chain for the next generation; the caller discards the old state (and distributes the new one) before sending again. */
export function rotateSenderKey(state: SenderKeyState, rng: Rng = systemRng): SenderKeyState {
  if (state.generation >= MAX_U32) throw invalidState('generations exhausted');
  return createSenderKey({ groupId: state.groupId, senderId: state.senderId, generation: state.generation + 1, rng });
}

/** The distribution of the chain as it stands: a recipient can read messages from number `chain.n` on. */
export function senderKeyDistribution(state: SenderKeyState): Uint8Array {
  if (state.chain.n > MAX_U32) throw invalidState('sending chain exhausted');
  return encodeDistribution({
    v: SENDER_KEY_VERSION,
    alg: ALG_SENDER_KEY_DISTRIBUTION,
    g: state.groupId,
    s: state.senderId,
    gen: state.generation,
    n: state.chain.n,
    ck: state.chain.key,
    spk: state.signingPublicKey,
  });
}

/**
 * Encrypts one group message. Returns the new state (persist it with the outbox row, in one
 * transaction) and the message bytes (one copy, for every member). `ad` is optional
 * associated data the receivers must pass too (e.g. the message id).
 */
export function groupEncrypt(
  state: SenderKeyState,
  plaintext: Uint8Array,
  ad: Uint8Array = EMPTY,
  rng: Rng = systemRng,
): { state: SenderKeyState; message: Uint8Array } {
  const chain = state.chain;
  if (chain.n > MAX_U32) throw invalidState('sending chain exhausted');
  if (plaintext.byteLength > MAX_GROUP_PLAINTEXT_BYTES) throw invalidState('plaintext too large');
  const associatedData = groupMessageAssociatedData(state.groupId, state.senderId, state.generation, chain.n, ad);
  const step = kdfChain(chain.key);
  const nonce = randomBytes(rng, NONCE_BYTES);
  let ct: Uint8Array;
  try {
    ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, step.messageKey);
  } finally {
    sodium.memzero(step.messageKey);
  }
  const sig = sodium.crypto_sign_detached(signedBytes(associatedData, nonce, ct), state.signingSecretKey);
  const message = encodeGroupMessage({
    v: SENDER_KEY_VERSION,
    alg: ALG_SENDER_KEY_MESSAGE,
    gen: state.generation,
    n: chain.n,
    nonce,
    ct,
    sig,
  });
  return { state: freezeSender({ ...state, chain: { key: step.chainKey, n: chain.n + 1 } }), message };
}

// ---------------------------------------------------------------- other members' chains

/**
 * Applies a distribution received from `senderId` over the pairwise session, for `groupId`.
 * `current` is the state held for that sender in that group, or null. Returns the state to
 * keep (possibly `current` itself, for a repeated distribution). Throws, changing nothing:
 * sender_mismatch (another group or sender, or a different chain for a generation already
 * held), stale_generation (older than the one held), bad_format / unsupported_version.
 */
export function processSenderKeyDistribution(
  current: ReceiverKeyState | null,
  distribution: Uint8Array,
  expected: { readonly groupId: string; readonly senderId: string },
): ReceiverKeyState {
  const d = parseDistribution(distribution);
  if (d.g !== expected.groupId || d.s !== expected.senderId) {
    throw new SenderKeyError('sender_mismatch', 'distribution names another group or sender');
  }
  if (current) {
    assertSameChainOwner(current, expected.groupId, expected.senderId);
    if (d.gen < current.generation) throw new SenderKeyError('stale_generation', 'distribution of an older generation');
    if (d.gen === current.generation) {
      if (!sodium.memcmp(d.spk, current.signingPublicKey)) {
        throw new SenderKeyError('sender_mismatch', 'a different chain for a generation already held');
      }
      return current; // the same chain again (a re-sent distribution): keep what we have
    }
  }
  return freezeReceiver({
    groupId: d.g,
    senderId: d.s,
    generation: d.gen,
    chain: { key: d.ck, n: d.n },
    signingPublicKey: d.spk,
    skippedKeys: [],
  });
}

/** What a receiver needs to route a message before decrypting it: its generation and number. */
export function groupMessageHeader(message: Uint8Array): { generation: number; n: number } {
  const m = parseGroupMessage(message);
  return { generation: m.gen, n: m.n };
}

function pruneExpired(keys: readonly SkippedGroupKey[], now: number): readonly SkippedGroupKey[] {
  const kept = keys.filter((k) => now - k.storedAt < SKIPPED_GROUP_KEY_TTL_MS);
  return kept.length === keys.length ? keys : kept;
}

function open(messageKey: Uint8Array, nonce: Uint8Array, ct: Uint8Array, ad: Uint8Array): Uint8Array {
  if (ct.byteLength < TAG_BYTES) throw new SenderKeyError('decrypt_failed', 'ciphertext shorter than its tag');
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, ad, nonce, messageKey);
  } catch {
    throw new SenderKeyError('decrypt_failed', 'message did not authenticate');
  }
}

/**
 * Decrypts one group message from the sender whose chain `state` holds. `now` (ms)
 * timestamps newly skipped keys and expires old ones. Checks, in this order, each failure
 * leaving `state` untouched: format, generation (stale_generation / unknown_generation),
 * signature (bad_signature) — before any key is derived — then duplicate, too_many_skipped,
 * decrypt_failed.
 */
export function groupDecrypt(
  state: ReceiverKeyState,
  message: Uint8Array,
  now: number,
  ad: Uint8Array = EMPTY,
): { state: ReceiverKeyState; plaintext: Uint8Array } {
  assertNow(now);
  const m = parseGroupMessage(message);
  if (m.gen < state.generation) throw new SenderKeyError('stale_generation', 'message of an older generation');
  if (m.gen > state.generation) throw new SenderKeyError('unknown_generation', 'no distribution for this generation');
  const associatedData = groupMessageAssociatedData(state.groupId, state.senderId, m.gen, m.n, ad);
  let signatureValid = false;
  try {
    signatureValid = sodium.crypto_sign_verify_detached(
      m.sig,
      signedBytes(associatedData, m.nonce, m.ct),
      state.signingPublicKey,
    );
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) throw new SenderKeyError('bad_signature', 'message signature did not verify');

  const skippedKeys = pruneExpired(state.skippedKeys, now);
  // 1. A late message: its key was stored when a later one was decrypted.
  const index = skippedKeys.findIndex((k) => k.n === m.n);
  if (index >= 0) {
    const plaintext = open(skippedKeys[index]!.messageKey, m.nonce, m.ct, associatedData);
    return {
      state: freezeReceiver({
        ...state,
        skippedKeys: [...skippedKeys.slice(0, index), ...skippedKeys.slice(index + 1)],
      }),
      plaintext,
    };
  }
  // 2. Behind the chain and not skipped: already read, expired, or sent before our distribution.
  const chain = state.chain;
  if (m.n < chain.n) throw new SenderKeyError('duplicate', 'message key already used or not held');
  if (m.n - chain.n > MAX_GROUP_SKIP) {
    throw new SenderKeyError('too_many_skipped', `gap of more than ${MAX_GROUP_SKIP} messages`);
  }
  // 3. Ahead: derive (and keep) the keys in between, then this message's key.
  const skipped: SkippedGroupKey[] = [];
  let key = chain.key;
  for (let n = chain.n; n < m.n; n++) {
    const step = kdfChain(key);
    skipped.push({ n, messageKey: step.messageKey, storedAt: now });
    key = step.chainKey;
  }
  const step = kdfChain(key);
  let plaintext: Uint8Array;
  try {
    plaintext = open(step.messageKey, m.nonce, m.ct, associatedData);
  } finally {
    sodium.memzero(step.messageKey);
  }
  const all = [...skippedKeys, ...skipped];
  const nextChain: GroupChain = { key: step.chainKey, n: m.n + 1 };
  return {
    state: freezeReceiver({
      ...state,
      chain: nextChain,
      skippedKeys: all.length > MAX_SKIPPED_GROUP_KEYS ? all.slice(all.length - MAX_SKIPPED_GROUP_KEYS) : all,
    }),
    plaintext,
  };
}

/** Drops expired skipped keys (e.g. on a timer); returns `state` itself when nothing expired. */
export function pruneReceiverKeyState(state: ReceiverKeyState, now: number): ReceiverKeyState {
  assertNow(now);
  const skippedKeys = pruneExpired(state.skippedKeys, now);
  return skippedKeys === state.skippedKeys ? state : freezeReceiver({ ...state, skippedKeys });
}
