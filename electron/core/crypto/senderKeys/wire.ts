/**
 * Wire formats of Sender Keys: the group message the relay stores once per message, and the
 * distribution message a member sends each other member over their 1:1 ratchet session.
 * MessagePack maps, version 1:
 *
 *   message       { v: 1, alg: 'sk1', gen, n, nonce, ct, sig }
 *   distribution  { v: 1, alg: 'skd1', g, s, gen, n, ck, spk }
 *
 *   gen    u32  the sender's chain generation (a new one on every rotation)
 *   n      u32  message: this message's number in the chain; distribution: the number of the
 *               next message the chain key `ck` will produce (a late joiner starts here)
 *   nonce  24   fresh random XChaCha20-Poly1305 nonce
 *   ct     ≥16  AEAD ciphertext with tag
 *   sig    64   Ed25519 signature by the chain's signing key over `signedBytes` (below)
 *   g, s        group id and sender id (strings of 1..MAX_ID_BYTES UTF-8 bytes)
 *   ck     32   chain key;  spk 32  the chain's Ed25519 public signing key
 *
 * The group message names neither group nor sender: the relay frame carrying it does (the
 * relay authenticates the sender), and both are bound into the associated data and the
 * signature, so a message replayed into another group or attributed to another sender fails.
 *
 * Parsing is strict (exact lengths, no unknown fields, canonical bytes only), as in
 * e2ee/wire.ts. Unknown `v` or `alg` → unsupported_version.
 */
import { z } from 'zod';
import { LIMITS } from '../../../../shared/protocol';
import { bytesEqual, concatBytes, lengthPrefixed, u32be, u8, utf8 } from '../e2ee/bytes';
import { isPlainRecord, pack } from '../e2ee/msgpack';
import { bytesOf, bytesUpTo, describeIssue, u32 } from '../e2ee/schemas';
import { badFormat, unsupportedVersion } from './errors';
import { unpackOrFail } from './msgpack';

export const SENDER_KEY_VERSION = 1;
export const ALG_SENDER_KEY_MESSAGE = 'sk1';
export const ALG_SENDER_KEY_DISTRIBUTION = 'skd1';
/** A group message is a relay message body. */
export const MAX_GROUP_MESSAGE_BYTES = LIMITS.maxBodyBytes;
/** Room for the envelope framing (≈ 110 bytes) around the ciphertext. */
export const MAX_GROUP_PLAINTEXT_BYTES = MAX_GROUP_MESSAGE_BYTES - 1024;
/** Group and sender ids are opaque strings of at most this many UTF-8 bytes. */
export const MAX_ID_BYTES = 128;

export interface GroupMessage {
  readonly v: typeof SENDER_KEY_VERSION;
  readonly alg: typeof ALG_SENDER_KEY_MESSAGE;
  readonly gen: number;
  readonly n: number;
  readonly nonce: Uint8Array;
  readonly ct: Uint8Array;
  readonly sig: Uint8Array;
}

export interface SenderKeyDistribution {
  readonly v: typeof SENDER_KEY_VERSION;
  readonly alg: typeof ALG_SENDER_KEY_DISTRIBUTION;
  readonly g: string;
  readonly s: string;
  readonly gen: number;
  readonly n: number;
  readonly ck: Uint8Array;
  readonly spk: Uint8Array;
}

export const idSchema = z
  .string()
  .min(1)
  .refine((id) => utf8(id).byteLength <= MAX_ID_BYTES, `at most ${MAX_ID_BYTES} bytes`);

const groupMessageSchema = z.strictObject({
  v: z.literal(SENDER_KEY_VERSION),
  alg: z.literal(ALG_SENDER_KEY_MESSAGE),
  gen: u32,
  n: u32,
  nonce: bytesOf(24),
  ct: bytesUpTo(16, MAX_GROUP_MESSAGE_BYTES),
  sig: bytesOf(64),
});

const distributionSchema = z.strictObject({
  v: z.literal(SENDER_KEY_VERSION),
  alg: z.literal(ALG_SENDER_KEY_DISTRIBUTION),
  g: idSchema,
  s: idSchema,
  gen: u32,
  n: u32,
  ck: bytesOf(32),
  spk: bytesOf(32),
});

/** Field order is part of the format. */
export function encodeGroupMessage(m: GroupMessage): Uint8Array {
  return pack({ v: m.v, alg: m.alg, gen: m.gen, n: m.n, nonce: m.nonce, ct: m.ct, sig: m.sig });
}

export function encodeDistribution(d: SenderKeyDistribution): Uint8Array {
  return pack({ v: d.v, alg: d.alg, g: d.g, s: d.s, gen: d.gen, n: d.n, ck: d.ck, spk: d.spk });
}

function parseVersioned<T>(
  bytes: Uint8Array,
  what: string,
  alg: string,
  schema: z.ZodType<T>,
  encode: (value: T) => Uint8Array,
): T {
  if (!(bytes instanceof Uint8Array)) throw badFormat(`${what} must be bytes`);
  if (bytes.byteLength > MAX_GROUP_MESSAGE_BYTES) throw badFormat(`${what} too large`);
  const raw = unpackOrFail(bytes, what);
  if (!isPlainRecord(raw)) throw badFormat(`${what} is not a map`);
  if (raw.v !== SENDER_KEY_VERSION) {
    if (typeof raw.v === 'number') throw unsupportedVersion(`${what} version not supported`);
    throw badFormat(`${what} has no version`);
  }
  if (raw.alg !== alg) {
    if (typeof raw.alg === 'string') throw unsupportedVersion(`${what} algorithm not supported`);
    throw badFormat(`${what} has no algorithm`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badFormat(`${what}: ${describeIssue(parsed.error)}`);
  if (!bytesEqual(encode(parsed.data), bytes)) throw badFormat(`${what} is not canonically encoded`);
  return parsed.data;
}

export function parseGroupMessage(bytes: Uint8Array): GroupMessage {
  return parseVersioned(
    bytes,
    'group message',
    ALG_SENDER_KEY_MESSAGE,
    groupMessageSchema as z.ZodType<GroupMessage>,
    encodeGroupMessage,
  );
}

export function parseDistribution(bytes: Uint8Array): SenderKeyDistribution {
  return parseVersioned(
    bytes,
    'sender key distribution',
    ALG_SENDER_KEY_DISTRIBUTION,
    distributionSchema as z.ZodType<SenderKeyDistribution>,
    encodeDistribution,
  );
}

const AD_LABEL = lengthPrefixed(utf8('parley-sk-ad-v1'));
const SIG_LABEL = lengthPrefixed(utf8('parley-sk-sig-v1'));
const ALG_BYTES = lengthPrefixed(utf8(ALG_SENDER_KEY_MESSAGE));

/**
 * The AEAD associated data of one group message:
 *
 *   lp("parley-sk-ad-v1") || u8 v || lp(alg) || lp(groupId) || lp(senderId) || u32 gen || u32 n || lp(callerAd)
 */
export function groupMessageAssociatedData(
  groupId: string,
  senderId: string,
  gen: number,
  n: number,
  callerAd: Uint8Array,
): Uint8Array {
  return concatBytes(
    AD_LABEL,
    u8(SENDER_KEY_VERSION),
    ALG_BYTES,
    lengthPrefixed(utf8(groupId)),
    lengthPrefixed(utf8(senderId)),
    u32be(gen),
    u32be(n),
    lengthPrefixed(callerAd),
  );
}

/**
 * What the chain's signing key signs: every field of the envelope but `sig`, in a fixed
 * binary encoding, plus the group, the sender and the caller's AD (through the AD bytes):
 *
 *   lp("parley-sk-sig-v1") || associatedData || nonce || lp(ct)
 */
export function signedBytes(associatedData: Uint8Array, nonce: Uint8Array, ct: Uint8Array): Uint8Array {
  return concatBytes(SIG_LABEL, associatedData, nonce, lengthPrefixed(ct));
}
