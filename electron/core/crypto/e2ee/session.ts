/**
 * Starting a session: X3DH wired to prekey bundles, prekey stores and the Double Ratchet.
 *
 *  - `initiateSession` (Alice) verifies Bob's bundle, runs X3DH and returns a ratchet
 *    state; every message she encrypts carries the X3DH fields until Bob first answers,
 *    since any of them may be the first to reach him.
 *  - `acceptSession` (Bob) takes such a message, checks Alice's identity binding, looks the
 *    prekeys up, runs X3DH and decrypts the message; only then does it consume the
 *    one-time prekey. A later session-starting message of the same session (same base key)
 *    goes to `ratchetDecrypt` on the existing state instead; `startsNewSession` tells which.
 *
 * Replay (X3DH spec §4.2): a replayed session-starting message that used a one-time prekey
 * fails (the key is consumed); one that used the signed prekey alone is recognised only
 * while its session exists (same base key → `ratchetDecrypt` → duplicate). A caller that
 * drops sessions should remember their base keys, or rely on the relay's message-id
 * de-duplication, to refuse such replays for as long as the signed prekey lives.
 */
import { EMPTY, bytesEqual } from './bytes';
import { verifyPreKeyBundle } from './bundle';
import { SessionMismatchError, UnknownPreKeyError } from './errors';
import { publicIdentity, verifyPublicIdentity, type IdentityKeyPair, type PublicIdentity } from './keys';
import { kdfRoot } from './kdf';
import { assertNow, decryptEnvelope } from './ratchet';
import { systemRng, type Rng } from './rng';
import { sodium } from './sodium';
import { freezeState, type SessionState } from './state';
import { ALG_PREKEY_MESSAGE, parseEnvelope, type Envelope } from './wire';
import { sessionAssociatedData, x3dhInitiator, x3dhResponder } from './x3dh';
import { assertAcceptablePublicKey, generateX25519KeyPair, x25519, type X25519KeyPair } from './x25519';

export interface InitiateSessionParams {
  readonly identity: IdentityKeyPair;
  /** The responder's prekey bundle as received from the relay; verified here. */
  readonly bundle: unknown;
  /** Stable user ids, bound into the session AD. Pass both (on both sides) or neither. */
  readonly localUserId?: string;
  readonly remoteUserId?: string;
  readonly rng?: Rng;
}

export interface InitiatedSession {
  readonly state: SessionState;
  /** The responder's verified identity: compare it with the one on record before sending. */
  readonly remoteIdentity: PublicIdentity;
}

export function initiateSession(params: InitiateSessionParams): InitiatedSession {
  const rng = params.rng ?? systemRng;
  const bundle = verifyPreKeyBundle(params.bundle); // signatures before any DH
  const local = publicIdentity(params.identity);
  const ephemeral = generateX25519KeyPair(rng);
  const sharedKey = x3dhInitiator(
    params.identity,
    ephemeral,
    bundle.identity.dhKey,
    bundle.signedPreKey.publicKey,
    bundle.oneTimePreKey?.publicKey ?? null,
  );
  sodium.memzero(ephemeral.secretKey);

  // RatchetInitAlice: the responder's signed prekey is its first ratchet key.
  const sendingRatchetKey = generateX25519KeyPair(rng);
  const dh = x25519(sendingRatchetKey.secretKey, bundle.signedPreKey.publicKey, 'signed prekey');
  const root = kdfRoot(sharedKey, dh);
  sodium.memzero(dh);
  sodium.memzero(sharedKey);

  const state = freezeState({
    role: 'initiator',
    localIdentity: local,
    remoteIdentity: bundle.identity,
    associatedData: sessionAssociatedData(local, bundle.identity, params.localUserId, params.remoteUserId),
    baseKey: ephemeral.publicKey,
    rootKey: root.rootKey,
    sendingRatchetKey,
    receivingRatchetKey: bundle.signedPreKey.publicKey,
    sendingChain: { key: root.chainKey, n: 0 },
    receivingChain: null,
    previousSendingCount: 0,
    skippedKeys: [],
    retiredReceivingKeys: [],
    pendingPreKey: {
      ephemeralKey: ephemeral.publicKey,
      signedPreKeyId: bundle.signedPreKey.id,
      oneTimePreKeyId: bundle.oneTimePreKey?.id ?? null,
    },
  });
  return { state, remoteIdentity: copyIdentity(bundle.identity) };
}

/** Callers get their own copy: the state's byte arrays must never be written to. */
function copyIdentity(identity: PublicIdentity): PublicIdentity {
  return {
    identityKey: identity.identityKey.slice(),
    dhKey: identity.dhKey.slice(),
    dhKeySig: identity.dhKeySig.slice(),
  };
}

/**
 * The responder's prekeys, provided by the caller (its database). Call `acceptSession`
 * inside the transaction that stores the new state, so `consumeOneTimePreKey` and the state
 * write commit or roll back together.
 */
export interface ResponderPreKeys {
  /** The signed prekey with this id if it may still be used (current, or previous within its grace period). */
  signedPreKey(id: number): X25519KeyPair | undefined;
  /** The one-time prekey with this id if it has not been used. */
  oneTimePreKey(id: number): X25519KeyPair | undefined;
  /** Deletes the one-time prekey; called once the first message has authenticated. */
  consumeOneTimePreKey(id: number): void;
}

export interface AcceptSessionParams {
  readonly identity: IdentityKeyPair;
  /** The session-starting envelope as received. */
  readonly message: Uint8Array;
  readonly preKeys: ResponderPreKeys;
  readonly now: number;
  readonly localUserId?: string;
  readonly remoteUserId?: string;
  /** Caller associated data of this message, as passed to the sender's ratchetEncrypt. */
  readonly ad?: Uint8Array;
  readonly rng?: Rng;
}

export interface AcceptedSession {
  readonly state: SessionState;
  readonly plaintext: Uint8Array;
  /** The initiator's identity: compare it with the one on record (a change must be shown to the user). */
  readonly remoteIdentity: PublicIdentity;
  readonly usedOneTimePreKeyId: number | null;
}

export function acceptSession(params: AcceptSessionParams): AcceptedSession {
  assertNow(params.now);
  const envelope = parseEnvelope(params.message);
  if (envelope.alg !== ALG_PREKEY_MESSAGE) throw new SessionMismatchError('not a session-starting message');
  const pk = envelope.pk;
  const remote: PublicIdentity = { identityKey: pk.ik, dhKey: pk.ikDh, dhKeySig: pk.ikSig };
  verifyPublicIdentity(remote); // binding signature before any DH
  assertAcceptablePublicKey(pk.ek, 'ephemeral key');

  const signedPreKey = params.preKeys.signedPreKey(pk.spk);
  if (!signedPreKey) throw new UnknownPreKeyError('unknown signed prekey');
  let oneTimePreKey: X25519KeyPair | null = null;
  if (pk.opk !== null) {
    oneTimePreKey = params.preKeys.oneTimePreKey(pk.opk) ?? null;
    if (!oneTimePreKey) throw new UnknownPreKeyError('unknown or already used one-time prekey');
  }

  const local = publicIdentity(params.identity);
  const sharedKey = x3dhResponder(params.identity, signedPreKey, oneTimePreKey, remote.dhKey, pk.ek);
  // RatchetInitBob: the signed prekey is the first sending ratchet key; the first message's
  // header key starts the first DH ratchet step inside decryptEnvelope.
  const initial = freezeState({
    role: 'responder',
    localIdentity: local,
    remoteIdentity: remote,
    associatedData: sessionAssociatedData(remote, local, params.remoteUserId, params.localUserId),
    baseKey: pk.ek,
    rootKey: sharedKey,
    sendingRatchetKey: { publicKey: signedPreKey.publicKey.slice(), secretKey: signedPreKey.secretKey.slice() },
    receivingRatchetKey: null,
    sendingChain: null,
    receivingChain: null,
    previousSendingCount: 0,
    skippedKeys: [],
    retiredReceivingKeys: [],
    pendingPreKey: null,
  });
  let result: { state: SessionState; plaintext: Uint8Array };
  try {
    result = decryptEnvelope(initial, envelope, params.now, params.ad ?? EMPTY, params.rng ?? systemRng);
  } finally {
    // The first DH ratchet step replaced both; `initial` is dropped.
    sodium.memzero(sharedKey);
    sodium.memzero(initial.sendingRatchetKey.secretKey);
  }
  if (pk.opk !== null) params.preKeys.consumeOneTimePreKey(pk.opk);
  return {
    state: result.state,
    plaintext: result.plaintext,
    remoteIdentity: copyIdentity(remote),
    usedOneTimePreKeyId: pk.opk,
  };
}

/**
 * Routing for a received envelope: true when it must go to `acceptSession` (a
 * session-starting message for which `state` — the current session, if any — is not the
 * session it starts); false when it goes to `ratchetDecrypt(state, …)`.
 */
export function startsNewSession(state: SessionState | null, message: Uint8Array | Envelope): boolean {
  const envelope = message instanceof Uint8Array ? parseEnvelope(message) : message;
  if (envelope.alg !== ALG_PREKEY_MESSAGE) return false;
  return !state || state.role !== 'responder' || !bytesEqual(state.baseKey, envelope.pk.ek);
}
