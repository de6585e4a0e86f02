/**
 * Wire format of an encrypted 1:1 message: the opaque `body` the relay carries. One
 * MessagePack map, version 2 (version 1 is the interim crypto_box envelope, `alg: 'box1'`):
 *
 *   { v: 2, alg: 'dr1',   h: { dh, pn, n }, nonce, ct }            a Double Ratchet message
 *   { v: 2, alg: 'x3dh1', pk: { ik, ikDh, ikSig, ek, spk, opk },    a session-starting message:
 *                         h: { dh, pn, n }, nonce, ct }              X3DH fields + the same ratchet message
 *
 *   dh     32  sender's current ratchet public key (X25519)
 *   pn, n  u32 length of the sender's previous sending chain; this message's number in its chain
 *   nonce  24  fresh random XChaCha20-Poly1305 nonce
 *   ct     ≥16 AEAD ciphertext with tag
 *   ik     32  initiator's Ed25519 identity key;  ikDh 32 its X25519 identity key;  ikSig 64 binding signature
 *   ek     32  initiator's X3DH ephemeral key (the session's "base key")
 *   spk    u32 id of the responder's signed prekey used;  opk  u32 | null  one-time prekey used, if any
 *
 * Parsing is strict: exact byte lengths, no unknown fields, and the bytes must be exactly
 * what `encodeEnvelope` produces for the parsed value (so every message has one encoding and
 * any changed byte is either a changed, authenticated value or a format error). Unknown `v`
 * or `alg` → unsupported_version. The AEAD's associated data is not the MessagePack bytes
 * but the fixed binary encoding in `messageAssociatedData`.
 */
import { z } from 'zod';
import { LIMITS } from '../../../../shared/protocol';
import { bytesEqual, concatBytes, lengthPrefixed, u32be, u8, utf8 } from './bytes';
import { BadFormatError, UnsupportedVersionError } from './errors';
import { isPlainRecord, pack, unpack } from './msgpack';
import { bytesOf, bytesUpTo, describeIssue, u32 } from './schemas';

export const ENVELOPE_VERSION = 2;
export const ALG_MESSAGE = 'dr1';
export const ALG_PREKEY_MESSAGE = 'x3dh1';
/** An envelope is a relay message body. */
export const MAX_ENVELOPE_BYTES = LIMITS.maxBodyBytes;
/** Room for the largest envelope framing around the ciphertext. */
export const MAX_PLAINTEXT_BYTES = MAX_ENVELOPE_BYTES - 1024;

export interface RatchetHeader {
  readonly dh: Uint8Array;
  readonly pn: number;
  readonly n: number;
}

export interface PreKeyFields {
  readonly ik: Uint8Array;
  readonly ikDh: Uint8Array;
  readonly ikSig: Uint8Array;
  readonly ek: Uint8Array;
  readonly spk: number;
  readonly opk: number | null;
}

export interface MessageEnvelope {
  readonly v: typeof ENVELOPE_VERSION;
  readonly alg: typeof ALG_MESSAGE;
  readonly h: RatchetHeader;
  readonly nonce: Uint8Array;
  readonly ct: Uint8Array;
}

export interface PreKeyEnvelope {
  readonly v: typeof ENVELOPE_VERSION;
  readonly alg: typeof ALG_PREKEY_MESSAGE;
  readonly pk: PreKeyFields;
  readonly h: RatchetHeader;
  readonly nonce: Uint8Array;
  readonly ct: Uint8Array;
}

export type Envelope = MessageEnvelope | PreKeyEnvelope;
/** An envelope before encryption: everything but nonce and ciphertext. */
export type EnvelopeHead = Omit<MessageEnvelope, 'nonce' | 'ct'> | Omit<PreKeyEnvelope, 'nonce' | 'ct'>;

const headerSchema = z.strictObject({ dh: bytesOf(32), pn: u32, n: u32 });
const ciphertext = bytesUpTo(16, MAX_ENVELOPE_BYTES);

const messageEnvelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  alg: z.literal(ALG_MESSAGE),
  h: headerSchema,
  nonce: bytesOf(24),
  ct: ciphertext,
});

const preKeyEnvelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  alg: z.literal(ALG_PREKEY_MESSAGE),
  pk: z.strictObject({
    ik: bytesOf(32),
    ikDh: bytesOf(32),
    ikSig: bytesOf(64),
    ek: bytesOf(32),
    spk: u32,
    opk: u32.nullable(),
  }),
  h: headerSchema,
  nonce: bytesOf(24),
  ct: ciphertext,
});

/** Field order is part of the format: always build the map in this order. */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const h = { dh: envelope.h.dh, pn: envelope.h.pn, n: envelope.h.n };
  if (envelope.alg === ALG_MESSAGE) {
    return pack({ v: envelope.v, alg: envelope.alg, h, nonce: envelope.nonce, ct: envelope.ct });
  }
  const { ik, ikDh, ikSig, ek, spk, opk } = envelope.pk;
  return pack({
    v: envelope.v,
    alg: envelope.alg,
    pk: { ik, ikDh, ikSig, ek, spk, opk },
    h,
    nonce: envelope.nonce,
    ct: envelope.ct,
  });
}

export function parseEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) throw new BadFormatError('envelope must be bytes');
  if (bytes.byteLength > MAX_ENVELOPE_BYTES) throw new BadFormatError('envelope too large');
  const raw = unpack(bytes, 'envelope');
  if (!isPlainRecord(raw)) throw new BadFormatError('envelope is not a map');
  if (raw.v !== ENVELOPE_VERSION) {
    if (typeof raw.v === 'number') throw new UnsupportedVersionError(`envelope version not supported`);
    throw new BadFormatError('envelope has no version');
  }
  let schema: typeof messageEnvelopeSchema | typeof preKeyEnvelopeSchema;
  if (raw.alg === ALG_MESSAGE) schema = messageEnvelopeSchema;
  else if (raw.alg === ALG_PREKEY_MESSAGE) schema = preKeyEnvelopeSchema;
  else if (typeof raw.alg === 'string') throw new UnsupportedVersionError('envelope algorithm not supported');
  else throw new BadFormatError('envelope has no algorithm');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadFormatError(`envelope: ${describeIssue(parsed.error)}`);
  const envelope = parsed.data as Envelope;
  if (!bytesEqual(encodeEnvelope(envelope), bytes)) throw new BadFormatError('envelope is not canonically encoded');
  return envelope;
}

const AD_PREFIX = lengthPrefixed(utf8('parley-dr-ad-v1'));
const ALG_BYTES = {
  [ALG_MESSAGE]: lengthPrefixed(utf8(ALG_MESSAGE)),
  [ALG_PREKEY_MESSAGE]: lengthPrefixed(utf8(ALG_PREKEY_MESSAGE)),
};

/**
 * The AEAD associated data of one message: a fixed binary encoding of everything in the
 * envelope except nonce and ciphertext, plus the session AD and the caller's AD:
 *
 *   lp(label) || u8 v || lp(alg) || lp(sessionAd)
 *   || [x3dh1: ik || ikDh || ikSig || ek || u32 spk || (u8 0 | u8 1 || u32 opk)]
 *   || dh || u32 pn || u32 n || lp(callerAd)
 */
export function messageAssociatedData(sessionAd: Uint8Array, envelope: EnvelopeHead, callerAd: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [AD_PREFIX, u8(envelope.v), ALG_BYTES[envelope.alg], lengthPrefixed(sessionAd)];
  if (envelope.alg === ALG_PREKEY_MESSAGE) {
    const { ik, ikDh, ikSig, ek, spk, opk } = envelope.pk;
    parts.push(ik, ikDh, ikSig, ek, u32be(spk), opk === null ? u8(0) : concatBytes(u8(1), u32be(opk)));
  }
  parts.push(envelope.h.dh, u32be(envelope.h.pn), u32be(envelope.h.n), lengthPrefixed(callerAd));
  return concatBytes(...parts);
}
