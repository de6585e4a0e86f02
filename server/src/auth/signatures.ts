/**
 * Ed25519 checks for sign-up, sign-in, prekeys and identity reset. A client proves it holds
 * the identity key by signing the connection's challenge, binds its X25519 key and its signed
 * prekeys to that identity by signing them, and hands an account over to a new identity key
 * by signing that key with the old one. Every signed message starts with its own context
 * string so no signature can be replayed as another kind.
 */
import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  DH_KEY_SIG_CONTEXT,
  LOGIN_SIG_CONTEXT,
  REKEY_SIG_CONTEXT,
  SIGNED_PREKEY_SIG_CONTEXT,
} from '../../../shared/protocol';

const CHALLENGE_BYTES = 32;
const encoder = new TextEncoder();

/** Must be awaited once before verifying (libsodium initialises asynchronously). */
export const signaturesReady: Promise<void> = sodium.ready;

export function newChallenge(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(CHALLENGE_BYTES));
}

/** `utf8(context) || payload…` — the exact bytes a client signs. */
export function signedMessage(context: string, ...payload: Uint8Array[]): Uint8Array {
  const parts = [encoder.encode(context), ...payload];
  const message = new Uint8Array(parts.reduce((length, part) => length + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.byteLength;
  }
  return message;
}

/** What a signed prekey's signature covers (besides the context string). */
export interface SignedPreKeyFields {
  readonly id: number;
  readonly createdAt: number;
  readonly publicKey: Uint8Array;
}

/** `utf8(SIGNED_PREKEY_SIG_CONTEXT) || u32be(id) || u64be(createdAt) || publicKey`. */
export function signedPreKeyMessage(key: SignedPreKeyFields): Uint8Array {
  if (!Number.isInteger(key.id) || key.id < 0 || key.id > 0xffffffff) throw new RangeError('prekey id is not a u32');
  if (!Number.isSafeInteger(key.createdAt) || key.createdAt < 0) throw new RangeError('createdAt is not a u64');
  const header = new DataView(new ArrayBuffer(12));
  header.setUint32(0, key.id, false);
  header.setBigUint64(4, BigInt(key.createdAt), false);
  return signedMessage(SIGNED_PREKEY_SIG_CONTEXT, new Uint8Array(header.buffer), key.publicKey);
}

/** `utf8(REKEY_SIG_CONTEXT) || newIdentityKey || newDhKey`. */
export function rekeyHandoverMessage(identityKey: Uint8Array, dhKey: Uint8Array): Uint8Array {
  return signedMessage(REKEY_SIG_CONTEXT, identityKey, dhKey);
}

export function verifyLoginSignature(identityKey: Uint8Array, challenge: Uint8Array, sig: Uint8Array): boolean {
  return verify(sig, signedMessage(LOGIN_SIG_CONTEXT, challenge), identityKey);
}

export function verifyDhKeySignature(identityKey: Uint8Array, dhKey: Uint8Array, dhKeySig: Uint8Array): boolean {
  return verify(dhKeySig, signedMessage(DH_KEY_SIG_CONTEXT, dhKey), identityKey);
}

/** The signed prekey was signed by `identityKey` (its id, creation time and key, as given). */
export function verifySignedPreKeySignature(
  identityKey: Uint8Array,
  key: SignedPreKeyFields & { readonly signature: Uint8Array },
): boolean {
  let message: Uint8Array;
  try {
    message = signedPreKeyMessage(key);
  } catch {
    return false;
  }
  return verify(key.signature, message, identityKey);
}

/** `previousIdentityKey` hands its account over to (identityKey, dhKey). */
export function verifyRekeyHandover(
  previousIdentityKey: Uint8Array,
  identityKey: Uint8Array,
  dhKey: Uint8Array,
  handover: Uint8Array,
): boolean {
  return verify(handover, rekeyHandoverMessage(identityKey, dhKey), previousIdentityKey);
}

function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    // libsodium throws on malformed keys (wrong length, not a curve point): not a valid proof.
    return false;
  }
}
