/**
 * The Double Ratchet (Signal's spec, §3 with the §3.5 out-of-order handling), functional:
 * `ratchetEncrypt` and `ratchetDecrypt` take a state and return a new one, never changing
 * their input. Any failure throws before anything is returned, so "on error, keep the old
 * state" is automatic — including failed authentication after a DH ratchet step or after
 * skipping keys, which the spec otherwise asks implementations to roll back by hand. It also
 * means skipped keys are only ever stored for chains a genuine message authenticated.
 */
import { bytesEqual, EMPTY } from './bytes';
import { aeadDecrypt, aeadEncrypt, AEAD_NONCE_BYTES } from './aead';
import {
  DecryptFailedError,
  DuplicateMessageError,
  InvalidStateError,
  SessionMismatchError,
  TooManySkippedError,
} from './errors';
import { kdfChain, kdfRoot } from './kdf';
import { randomBytes, systemRng, type Rng } from './rng';
import {
  appendCapped,
  assertSkippable,
  findSkipped,
  MAX_SKIP,
  pruneExpired,
  skipTo,
  withoutIndex,
  type ChainState,
  type SkippedMessageKey,
} from './skipped';
import { freezeState, MAX_RETIRED_RECEIVING_KEYS, type SessionState } from './state';
import { sodium } from './sodium';
import {
  ALG_MESSAGE,
  ALG_PREKEY_MESSAGE,
  encodeEnvelope,
  ENVELOPE_VERSION,
  MAX_PLAINTEXT_BYTES,
  messageAssociatedData,
  parseEnvelope,
  type Envelope,
  type EnvelopeHead,
  type RatchetHeader,
} from './wire';
import { assertAcceptablePublicKey, generateX25519KeyPair, x25519 } from './x25519';

/** Message numbers are u32 on the wire. */
const MAX_MESSAGE_NUMBER = 0xffffffff;

export function assertNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) throw new InvalidStateError('now must be a non-negative integer (ms)');
}

// ---------------------------------------------------------------- encrypt

/**
 * Encrypts one message. Returns the new state (to persist together with the outbox row
 * holding `message`, in one transaction) and the envelope bytes. `ad` is optional
 * associated data the receiver must pass to `ratchetDecrypt` too (e.g. a message id).
 * While the responder has not yet answered, the envelope is a session-starting one.
 */
export function ratchetEncrypt(
  state: SessionState,
  plaintext: Uint8Array,
  ad: Uint8Array = EMPTY,
  rng: Rng = systemRng,
): { state: SessionState; message: Uint8Array } {
  const chain = state.sendingChain;
  if (!chain) throw new InvalidStateError('session has no sending chain');
  if (chain.n > MAX_MESSAGE_NUMBER) throw new InvalidStateError('sending chain exhausted');
  if (plaintext.byteLength > MAX_PLAINTEXT_BYTES) throw new InvalidStateError('plaintext too large');

  const h: RatchetHeader = { dh: state.sendingRatchetKey.publicKey, pn: state.previousSendingCount, n: chain.n };
  const pending = state.pendingPreKey;
  const head: EnvelopeHead = pending
    ? {
        v: ENVELOPE_VERSION,
        alg: ALG_PREKEY_MESSAGE,
        pk: {
          ik: state.localIdentity.identityKey,
          ikDh: state.localIdentity.dhKey,
          ikSig: state.localIdentity.dhKeySig,
          ek: pending.ephemeralKey,
          spk: pending.signedPreKeyId,
          opk: pending.oneTimePreKeyId,
        },
        h,
      }
    : { v: ENVELOPE_VERSION, alg: ALG_MESSAGE, h };

  const step = kdfChain(chain.key);
  const nonce = randomBytes(rng, AEAD_NONCE_BYTES);
  let ct: Uint8Array;
  try {
    ct = aeadEncrypt(step.messageKey, nonce, plaintext, messageAssociatedData(state.associatedData, head, ad));
  } finally {
    sodium.memzero(step.messageKey); // used exactly once, held nowhere else
  }
  const message = encodeEnvelope({ ...head, nonce, ct });
  return { state: freezeState({ ...state, sendingChain: { key: step.chainKey, n: chain.n + 1 } }), message };
}

// ---------------------------------------------------------------- decrypt

/**
 * Decrypts one envelope. `now` (ms) timestamps newly skipped keys and expires old ones.
 * Throws (and the caller keeps `state`) on: bad_format / unsupported_version (not our
 * envelope), low_order_key (bad ratchet key), session_mismatch (a session-starting message
 * of another session), duplicate (key already used or discarded), too_many_skipped,
 * decrypt_failed (tampered or forged).
 */
export function ratchetDecrypt(
  state: SessionState,
  message: Uint8Array,
  now: number,
  ad: Uint8Array = EMPTY,
  rng: Rng = systemRng,
): { state: SessionState; plaintext: Uint8Array } {
  assertNow(now);
  return decryptEnvelope(state, parseEnvelope(message), now, ad, rng);
}

/** A session-starting envelope may only be decrypted by the responder session it started. */
function assertBelongsToSession(state: SessionState, envelope: Envelope): void {
  if (envelope.alg !== ALG_PREKEY_MESSAGE) return;
  const pk = envelope.pk;
  if (
    state.role !== 'responder' ||
    !bytesEqual(pk.ek, state.baseKey) ||
    !bytesEqual(pk.ik, state.remoteIdentity.identityKey) ||
    !bytesEqual(pk.ikDh, state.remoteIdentity.dhKey)
  ) {
    throw new SessionMismatchError('session-starting message of another session');
  }
}

function open(messageKey: Uint8Array, envelope: Envelope, aeadAd: Uint8Array): Uint8Array {
  return aeadDecrypt(messageKey, envelope.nonce, envelope.ct, aeadAd);
}

/** Any successfully decrypted message proves the peer has the session: stop sending X3DH fields. */
function commit(state: SessionState, changes: Partial<SessionState>): SessionState {
  return freezeState({ ...state, ...changes, pendingPreKey: null });
}

/** The decrypt path for an already parsed envelope (acceptSession uses it for the first message). */
export function decryptEnvelope(
  state: SessionState,
  envelope: Envelope,
  now: number,
  ad: Uint8Array,
  rng: Rng,
): { state: SessionState; plaintext: Uint8Array } {
  assertBelongsToSession(state, envelope);
  const { dh, pn, n } = envelope.h;
  assertAcceptablePublicKey(dh, 'ratchet key');
  const aeadAd = messageAssociatedData(state.associatedData, envelope, ad);
  const skippedKeys = pruneExpired(state.skippedKeys, now);

  // 1. A message that arrived late: its key was stored when a later one was decrypted.
  const index = findSkipped(skippedKeys, dh, n);
  if (index >= 0) {
    const plaintext = open(skippedKeys[index]!.messageKey, envelope, aeadAd);
    return { state: commit(state, { skippedKeys: withoutIndex(skippedKeys, index) }), plaintext };
  }

  // 2. The current receiving chain.
  if (state.receivingRatchetKey && bytesEqual(dh, state.receivingRatchetKey)) {
    const chain = state.receivingChain;
    // The initiator's first DHr is the responder's signed prekey, which never sends.
    if (!chain) throw new DecryptFailedError('no receiving chain for this ratchet key');
    if (n < chain.n) throw new DuplicateMessageError();
    const { receivingChain, skipped, plaintext } = receiveOnChain(chain, envelope, aeadAd, now);
    return {
      state: commit(state, { receivingChain, skippedKeys: appendCapped(skippedKeys, skipped) }),
      plaintext,
    };
  }

  // 3. A chain that has ended: every key it still had is in skippedKeys (checked above).
  if (state.retiredReceivingKeys.some((key) => bytesEqual(key, dh))) throw new DuplicateMessageError();

  // 4. A new ratchet key from the peer: DH ratchet step. Gap checks first, before any DH.
  if (n > MAX_SKIP) throw new TooManySkippedError(`gap of more than ${MAX_SKIP} messages`);
  let skipped: SkippedMessageKey[] = [];
  if (state.receivingChain && state.receivingRatchetKey) {
    assertSkippable(state.receivingChain, pn);
    skipped = skipTo(state.receivingChain, state.receivingRatchetKey, pn, now).skipped;
  }
  const step = dhRatchet(state, dh, rng);
  const received = receiveOnChain({ key: step.receivingChainKey, n: 0 }, envelope, aeadAd, now);
  const retired = state.receivingRatchetKey
    ? [...state.retiredReceivingKeys, state.receivingRatchetKey].slice(-MAX_RETIRED_RECEIVING_KEYS)
    : state.retiredReceivingKeys;
  return {
    state: commit(state, {
      rootKey: step.rootKey,
      sendingRatchetKey: step.sendingRatchetKey,
      receivingRatchetKey: dh,
      sendingChain: { key: step.sendingChainKey, n: 0 },
      receivingChain: received.receivingChain,
      previousSendingCount: state.sendingChain?.n ?? 0,
      skippedKeys: appendCapped(skippedKeys, [...skipped, ...received.skipped]),
      retiredReceivingKeys: retired,
    }),
    plaintext: received.plaintext,
  };
}

/** Skips to message `n` on `chain`, derives its key and opens it. */
function receiveOnChain(chain: ChainState, envelope: Envelope, aeadAd: Uint8Array, now: number) {
  const { dh, n } = envelope.h;
  const skip = skipTo(chain, dh, n, now);
  const step = kdfChain(skip.chain.key);
  try {
    const plaintext = open(step.messageKey, envelope, aeadAd);
    return { receivingChain: { key: step.chainKey, n: n + 1 }, skipped: skip.skipped, plaintext };
  } finally {
    sodium.memzero(step.messageKey); // used exactly once, held nowhere else
  }
}

/** DHRatchet(state, header) of the spec, returning the new keys instead of assigning them. */
function dhRatchet(state: SessionState, remoteRatchetKey: Uint8Array, rng: Rng) {
  const receiveDh = x25519(state.sendingRatchetKey.secretKey, remoteRatchetKey, 'ratchet key');
  const receiving = kdfRoot(state.rootKey, receiveDh);
  sodium.memzero(receiveDh);
  const sendingRatchetKey = generateX25519KeyPair(rng);
  const sendDh = x25519(sendingRatchetKey.secretKey, remoteRatchetKey, 'ratchet key');
  const sending = kdfRoot(receiving.rootKey, sendDh);
  sodium.memzero(sendDh);
  return {
    rootKey: sending.rootKey,
    receivingChainKey: receiving.chainKey,
    sendingRatchetKey,
    sendingChainKey: sending.chainKey,
  };
}

/** Drops expired skipped keys (e.g. on a timer); returns `state` itself when nothing expired. */
export function pruneSkippedKeys(state: SessionState, now: number): SessionState {
  assertNow(now);
  const skippedKeys = pruneExpired(state.skippedKeys, now);
  return skippedKeys === state.skippedKeys ? state : freezeState({ ...state, skippedKeys });
}
