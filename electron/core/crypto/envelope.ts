/**
 * Envelope format v1: the opaque `body` the relay carries. A versioned MessagePack map
 *
 *   { v: 1, alg: 'box1', nonce: 24 bytes, ct }
 *   ct = crypto_box_easy(plaintext, nonce, recipientDhPublicKey, senderDhSecretKey)
 *
 * crypto_box authenticates the sender: only the holder of the sender's DH secret (or the
 * recipient) can produce a ciphertext that opens with the sender's DH public key, which the
 * recipient verified via its dhKeySig. `v`/`alg` let the Double Ratchet replace this later
 * while old envelopes stay recognisable.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { bytes } from '../../../shared/protocol';
import { packr } from './msgpack';
import { sodium } from './sodium';

export const ENVELOPE_VERSION = 1;

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

const envelopeV1 = z.object({
  v: z.literal(ENVELOPE_VERSION),
  alg: z.literal('box1'),
  nonce: bytes(24),
  ct: z.instanceof(Uint8Array),
});

/**
 * crypto_box = X25519 + HSalsa20 (the "precomputed key" of crypto_box_beforenm), then
 * XSalsa20-Poly1305 under that key. In libsodium's WebAssembly the first step costs about
 * 0.3 ms and the second under 0.01 ms for a chat message, and every message (and receipt)
 * is sealed once and opened once. The precomputed key depends only on the two keys, so it
 * is derived once per (our DH secret key, peer DH public key) and kept in memory — the
 * same ciphertexts as crypto_box_easy, without the repeated scalar multiplication.
 *
 * The precomputed key is as sensitive as our secret key is towards that peer, so it lives
 * exactly where that secret lives (this process's memory, never the disk), keyed by the
 * secret-key object itself: when the account object goes, its cache goes with it.
 */
const precomputedKeys = new WeakMap<Uint8Array, Map<string, Uint8Array>>();
/** Peers per secret key whose precomputed key is kept (least recently used ones are dropped). */
const MAX_CACHED_PEERS = 1_024;

function precomputedKey(peerDhPublicKey: Uint8Array, ownDhSecretKey: Uint8Array): Uint8Array {
  let byPeer = precomputedKeys.get(ownDhSecretKey);
  if (!byPeer) {
    byPeer = new Map();
    precomputedKeys.set(ownDhSecretKey, byPeer);
  }
  const peer = Buffer.from(peerDhPublicKey.buffer, peerDhPublicKey.byteOffset, peerDhPublicKey.byteLength).toString(
    'base64',
  );
  let key = byPeer.get(peer);
  if (key) {
    byPeer.delete(peer); // re-inserted below: Map order is the LRU order
  } else {
    // Throws for a malformed or low-order public key, as crypto_box_easy would.
    key = sodium.crypto_box_beforenm(peerDhPublicKey, ownDhSecretKey);
    if (byPeer.size >= MAX_CACHED_PEERS) byPeer.delete(byPeer.keys().next().value!);
  }
  byPeer.set(peer, key);
  return key;
}

export function sealEnvelope(
  plaintext: Uint8Array,
  recipientDhPublicKey: Uint8Array,
  senderDhSecretKey: Uint8Array,
): Uint8Array {
  // The OS CSPRNG through node:crypto: libsodium-wrappers' randombytes_buf reaches the same
  // source through a JavaScript callback per call and costs ~20× more.
  const nonce = randomBytes(sodium.crypto_box_NONCEBYTES);
  const ct = sodium.crypto_box_easy_afternm(plaintext, nonce, precomputedKey(recipientDhPublicKey, senderDhSecretKey));
  return packr.pack({ v: ENVELOPE_VERSION, alg: 'box1', nonce, ct });
}

/** Opens an envelope from the given sender; throws EnvelopeError if it is malformed or forged. */
export function openEnvelope(
  envelope: Uint8Array,
  senderDhPublicKey: Uint8Array,
  recipientDhSecretKey: Uint8Array,
): Uint8Array {
  let raw: unknown;
  try {
    raw = packr.unpack(envelope);
  } catch {
    throw new EnvelopeError('envelope is not valid MessagePack');
  }
  const parsed = envelopeV1.safeParse(raw);
  if (!parsed.success) {
    const version = typeof raw === 'object' && raw !== null ? (raw as { v?: unknown }).v : undefined;
    throw new EnvelopeError(
      version !== undefined && version !== ENVELOPE_VERSION
        ? `unsupported envelope version ${String(version).slice(0, 16)}`
        : 'malformed envelope',
    );
  }
  const { nonce, ct } = parsed.data;
  if (ct.byteLength < sodium.crypto_box_MACBYTES) throw new EnvelopeError('ciphertext too short');
  try {
    return sodium.crypto_box_open_easy_afternm(ct, nonce, precomputedKey(senderDhPublicKey, recipientDhSecretKey));
  } catch {
    throw new EnvelopeError('envelope did not authenticate with the sender key');
  }
}
