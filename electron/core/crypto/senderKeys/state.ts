/**
 * Sender Keys states, and their versioned serialization for the database.
 *
 *   SenderKeyState    this device's own sending chain in one group: generation, chain key and
 *                     next message number, and the chain's Ed25519 signing key pair.
 *   ReceiverKeyState  one other member's chain as learned from their distribution: the same
 *                     minus the secret signing key, plus keys of skipped messages.
 *
 * States are values (as in e2ee/state.ts): nothing in this module mutates one; every
 * operation returns a new, frozen state and leaves its input intact, so "on failure keep the
 * old state" is automatic. Byte arrays are never written to after creation.
 */
import { z } from 'zod';
import { isPlainRecord, pack } from '../e2ee/msgpack';
import { bytesOf, describeIssue, timestamp, u32 } from '../e2ee/schemas';
import { badFormat, SenderKeyError, unsupportedVersion } from './errors';
import { unpackOrFail } from './msgpack';
import { idSchema } from './wire';

export const SENDER_KEY_STATE_VERSION = 1;
/** Keys of messages not yet arrived, per sender chain, at most (oldest evicted first). */
export const MAX_SKIPPED_GROUP_KEYS = 2000;
/** At most this many message keys are derived for one incoming message (a larger gap is refused). */
export const MAX_GROUP_SKIP = 1000;
/** Skipped keys older than this are dropped. */
export const SKIPPED_GROUP_KEY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface GroupChain {
  readonly key: Uint8Array;
  /** Number of the next message on this chain; 2^32 when exhausted. */
  readonly n: number;
}

export interface SenderKeyState {
  readonly groupId: string;
  readonly senderId: string;
  readonly generation: number;
  readonly chain: GroupChain;
  readonly signingPublicKey: Uint8Array;
  /** 64-byte libsodium Ed25519 secret key. Never leaves the core. */
  readonly signingSecretKey: Uint8Array;
}

export interface SkippedGroupKey {
  readonly n: number;
  readonly messageKey: Uint8Array;
  /** When the key was derived (the `now` of that decrypt), ms. */
  readonly storedAt: number;
}

export interface ReceiverKeyState {
  readonly groupId: string;
  readonly senderId: string;
  readonly generation: number;
  readonly chain: GroupChain;
  readonly signingPublicKey: Uint8Array;
  readonly skippedKeys: readonly SkippedGroupKey[];
}

export function freezeSender(state: SenderKeyState): SenderKeyState {
  Object.freeze(state.chain);
  return Object.freeze(state);
}

export function freezeReceiver(state: ReceiverKeyState): ReceiverKeyState {
  Object.freeze(state.chain);
  for (const key of state.skippedKeys) Object.freeze(key);
  Object.freeze(state.skippedKeys);
  return Object.freeze(state);
}

// ---------------------------------------------------------------- serialization

const chainSchema = z.strictObject({
  key: bytesOf(32),
  n: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32),
});

const senderV1 = z.strictObject({
  v: z.literal(SENDER_KEY_STATE_VERSION),
  kind: z.literal('send'),
  g: idSchema,
  s: idSchema,
  gen: u32,
  ck: chainSchema,
  spk: bytesOf(32),
  ssk: bytesOf(64),
});

const receiverV1 = z.strictObject({
  v: z.literal(SENDER_KEY_STATE_VERSION),
  kind: z.literal('recv'),
  g: idSchema,
  s: idSchema,
  gen: u32,
  ck: chainSchema,
  spk: bytesOf(32),
  sk: z.array(z.strictObject({ n: u32, mk: bytesOf(32), at: timestamp })).max(MAX_SKIPPED_GROUP_KEYS),
});

/** Own sending state → bytes (MessagePack, `v: 1, kind: 'send'`). Holds secret keys: store encrypted. */
export function serializeSenderKeyState(state: SenderKeyState): Uint8Array {
  return pack({
    v: SENDER_KEY_STATE_VERSION,
    kind: 'send',
    g: state.groupId,
    s: state.senderId,
    gen: state.generation,
    ck: { key: state.chain.key, n: state.chain.n },
    spk: state.signingPublicKey,
    ssk: state.signingSecretKey,
  });
}

/** A member's receiving state → bytes (MessagePack, `v: 1, kind: 'recv'`). Holds secret keys: store encrypted. */
export function serializeReceiverKeyState(state: ReceiverKeyState): Uint8Array {
  return pack({
    v: SENDER_KEY_STATE_VERSION,
    kind: 'recv',
    g: state.groupId,
    s: state.senderId,
    gen: state.generation,
    ck: { key: state.chain.key, n: state.chain.n },
    spk: state.signingPublicKey,
    sk: state.skippedKeys.map((k) => ({ n: k.n, mk: k.messageKey, at: k.storedAt })),
  });
}

function parseState<T>(bytes: Uint8Array, kind: 'send' | 'recv', schema: z.ZodType<T>): T {
  const what = kind === 'send' ? 'sender key state' : 'receiver key state';
  const raw = unpackOrFail(bytes, what);
  if (!isPlainRecord(raw)) throw badFormat(`${what} is not a map`);
  if (raw.v !== SENDER_KEY_STATE_VERSION) {
    if (typeof raw.v === 'number') throw unsupportedVersion(`${what} version not supported`);
    throw badFormat(`${what} has no version`);
  }
  if (raw.kind !== kind) throw badFormat(`${what}: wrong kind`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badFormat(`${what}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

export function deserializeSenderKeyState(bytes: Uint8Array): SenderKeyState {
  const s = parseState(bytes, 'send', senderV1);
  return freezeSender({
    groupId: s.g,
    senderId: s.s,
    generation: s.gen,
    chain: s.ck,
    signingPublicKey: s.spk,
    signingSecretKey: s.ssk,
  });
}

export function deserializeReceiverKeyState(bytes: Uint8Array): ReceiverKeyState {
  const s = parseState(bytes, 'recv', receiverV1);
  return freezeReceiver({
    groupId: s.g,
    senderId: s.s,
    generation: s.gen,
    chain: s.ck,
    signingPublicKey: s.spk,
    skippedKeys: s.sk.map((k) => ({ n: k.n, messageKey: k.mk, storedAt: k.at })),
  });
}

export function assertSameChainOwner(
  state: { readonly groupId: string; readonly senderId: string },
  groupId: string,
  senderId: string,
): void {
  if (state.groupId !== groupId || state.senderId !== senderId) {
    throw new SenderKeyError('sender_mismatch', 'state belongs to another group or sender');
  }
}
