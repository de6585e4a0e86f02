/**
 * A 1:1 session's state, and its versioned serialization for the database.
 *
 * States are values: nothing in this module mutates one. `ratchetEncrypt`/`ratchetDecrypt`
 * return a new state and leave the old one intact, so a caller persists the new state and
 * the outbox row (or the received message) in one transaction, and a failure anywhere
 * leaves the stored state as it was. Objects are frozen to catch accidental mutation;
 * Uint8Arrays cannot be frozen, so the rule for them is by convention: never written to
 * after creation (new arrays are shared between the old and new state).
 */
import { z } from 'zod';
import { BadFormatError, UnsupportedVersionError } from './errors';
import type { PublicIdentity } from './keys';
import { isPlainRecord, pack, unpack } from './msgpack';
import { bytesOf, bytesUpTo, describeIssue, timestamp, u32 } from './schemas';
import { MAX_SKIPPED_KEYS, type ChainState, type SkippedMessageKey } from './skipped';
import type { X25519KeyPair } from './x25519';

export const STATE_VERSION = 1;
/** Receiving ratchet keys remembered after their chain ended, to tell a replay from a forgery. */
export const MAX_RETIRED_RECEIVING_KEYS = 64;

/** What an initiator repeats in every message until the responder's first reply proves it has the session. */
export interface PendingPreKey {
  readonly ephemeralKey: Uint8Array;
  readonly signedPreKeyId: number;
  readonly oneTimePreKeyId: number | null;
}

export interface SessionState {
  readonly role: 'initiator' | 'responder';
  readonly localIdentity: PublicIdentity;
  readonly remoteIdentity: PublicIdentity;
  /** Session associated data (x3dh.ts `sessionAssociatedData`), bound into every message. */
  readonly associatedData: Uint8Array;
  /** The initiator's X3DH ephemeral public key: names the session on both sides. */
  readonly baseKey: Uint8Array;
  readonly rootKey: Uint8Array;
  /** DHs */
  readonly sendingRatchetKey: X25519KeyPair;
  /** DHr; null only inside acceptSession, before the responder's first decrypt (never in a returned state). */
  readonly receivingRatchetKey: Uint8Array | null;
  /** CKs, Ns */
  readonly sendingChain: ChainState | null;
  /** CKr, Nr */
  readonly receivingChain: ChainState | null;
  /** PN */
  readonly previousSendingCount: number;
  readonly skippedKeys: readonly SkippedMessageKey[];
  readonly retiredReceivingKeys: readonly Uint8Array[];
  readonly pendingPreKey: PendingPreKey | null;
}

/** Shallow-freezes the state and its nested plain objects and arrays (not the byte arrays). */
export function freezeState(state: SessionState): SessionState {
  Object.freeze(state.localIdentity);
  Object.freeze(state.remoteIdentity);
  Object.freeze(state.sendingRatchetKey);
  if (state.sendingChain) Object.freeze(state.sendingChain);
  if (state.receivingChain) Object.freeze(state.receivingChain);
  if (state.pendingPreKey) Object.freeze(state.pendingPreKey);
  for (const key of state.skippedKeys) Object.freeze(key);
  Object.freeze(state.skippedKeys);
  Object.freeze(state.retiredReceivingKeys);
  return Object.freeze(state);
}

// ---------------------------------------------------------------- serialization

const identitySchema = z.strictObject({ ik: bytesOf(32), dh: bytesOf(32), sig: bytesOf(64) });
const chainSchema = z
  .strictObject({
    key: bytesOf(32),
    n: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32),
  })
  .nullable();

const stateV1Schema = z.strictObject({
  v: z.literal(STATE_VERSION),
  role: z.enum(['initiator', 'responder']),
  li: identitySchema,
  ri: identitySchema,
  ad: bytesUpTo(1, 4096),
  bk: bytesOf(32),
  rk: bytesOf(32),
  dhs: z.strictObject({ pub: bytesOf(32), sec: bytesOf(32) }),
  dhr: bytesOf(32).nullable(),
  cks: chainSchema,
  ckr: chainSchema,
  pn: u32,
  sk: z.array(z.strictObject({ dh: bytesOf(32), n: u32, mk: bytesOf(32), at: timestamp })).max(MAX_SKIPPED_KEYS),
  rr: z.array(bytesOf(32)).max(MAX_RETIRED_RECEIVING_KEYS),
  pp: z.strictObject({ ek: bytesOf(32), spk: u32, opk: u32.nullable() }).nullable(),
});

/** State → bytes for the database (MessagePack, `v: 1`). The bytes hold secret keys: store them encrypted. */
export function serializeSessionState(state: SessionState): Uint8Array {
  const identity = (id: PublicIdentity) => ({ ik: id.identityKey, dh: id.dhKey, sig: id.dhKeySig });
  const chain = (c: ChainState | null) => (c ? { key: c.key, n: c.n } : null);
  return pack({
    v: STATE_VERSION,
    role: state.role,
    li: identity(state.localIdentity),
    ri: identity(state.remoteIdentity),
    ad: state.associatedData,
    bk: state.baseKey,
    rk: state.rootKey,
    dhs: { pub: state.sendingRatchetKey.publicKey, sec: state.sendingRatchetKey.secretKey },
    dhr: state.receivingRatchetKey,
    cks: chain(state.sendingChain),
    ckr: chain(state.receivingChain),
    pn: state.previousSendingCount,
    sk: state.skippedKeys.map((k) => ({ dh: k.dh, n: k.n, mk: k.messageKey, at: k.storedAt })),
    rr: state.retiredReceivingKeys,
    pp: state.pendingPreKey
      ? {
          ek: state.pendingPreKey.ephemeralKey,
          spk: state.pendingPreKey.signedPreKeyId,
          opk: state.pendingPreKey.oneTimePreKeyId,
        }
      : null,
  });
}

export function deserializeSessionState(bytes: Uint8Array): SessionState {
  const raw = unpack(bytes, 'session state');
  if (!isPlainRecord(raw)) throw new BadFormatError('session state is not a map');
  if (raw.v !== STATE_VERSION) {
    if (typeof raw.v === 'number') throw new UnsupportedVersionError('session state version not supported');
    throw new BadFormatError('session state has no version');
  }
  const parsed = stateV1Schema.safeParse(raw);
  if (!parsed.success) throw new BadFormatError(`session state: ${describeIssue(parsed.error)}`);
  const s = parsed.data;
  const identity = (id: z.infer<typeof identitySchema>): PublicIdentity => ({
    identityKey: id.ik,
    dhKey: id.dh,
    dhKeySig: id.sig,
  });
  return freezeState({
    role: s.role,
    localIdentity: identity(s.li),
    remoteIdentity: identity(s.ri),
    associatedData: s.ad,
    baseKey: s.bk,
    rootKey: s.rk,
    sendingRatchetKey: { publicKey: s.dhs.pub, secretKey: s.dhs.sec },
    receivingRatchetKey: s.dhr,
    sendingChain: s.cks,
    receivingChain: s.ckr,
    previousSendingCount: s.pn,
    skippedKeys: s.sk.map((k) => ({ dh: k.dh, n: k.n, messageKey: k.mk, storedAt: k.at })),
    retiredReceivingKeys: s.rr,
    pendingPreKey: s.pp ? { ephemeralKey: s.pp.ek, signedPreKeyId: s.pp.spk, oneTimePreKeyId: s.pp.opk } : null,
  });
}
