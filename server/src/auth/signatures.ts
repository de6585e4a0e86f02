/**
 * Ed25519 checks for sign-up and sign-in. A client proves it holds the identity key by
 * signing the connection's challenge, and binds its X25519 key to that identity by signing it.
 * Both signed messages start with a context string so neither signature can be replayed as
 * the other.
 */
import { randomBytes } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import { DH_KEY_SIG_CONTEXT, LOGIN_SIG_CONTEXT } from '../../../shared/protocol';

const CHALLENGE_BYTES = 32;
const encoder = new TextEncoder();

/** Must be awaited once before verifying (libsodium initialises asynchronously). */
export const signaturesReady: Promise<void> = sodium.ready;

export function newChallenge(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(randomBytes(CHALLENGE_BYTES));
}

/** `utf8(context) || payload` — the exact bytes a client signs. */
export function signedMessage(context: string, payload: Uint8Array): Uint8Array {
  const prefix = encoder.encode(context);
  const message = new Uint8Array(prefix.byteLength + payload.byteLength);
  message.set(prefix, 0);
  message.set(payload, prefix.byteLength);
  return message;
}

export function verifyLoginSignature(identityKey: Uint8Array, challenge: Uint8Array, sig: Uint8Array): boolean {
  return verify(sig, signedMessage(LOGIN_SIG_CONTEXT, challenge), identityKey);
}

export function verifyDhKeySignature(identityKey: Uint8Array, dhKey: Uint8Array, dhKeySig: Uint8Array): boolean {
  return verify(dhKeySig, signedMessage(DH_KEY_SIG_CONTEXT, dhKey), identityKey);
}

function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    // libsodium throws on malformed keys (wrong length, not a curve point): not a valid proof.
    return false;
  }
}
