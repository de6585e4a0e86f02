/**
 * Device identity: an Ed25519 signing key (the identity users verify through safety
 * numbers) and an X25519 DH key used in X3DH, bound to it by the signing key's signature
 * over `DH_KEY_SIG_CONTEXT || dhPublicKey`. The field names and the signed message are the
 * ones the relay already publishes (`PublicUser.identityKey/dhKey/dhKeySig`), so an
 * account's existing keys are its X3DH identity keys.
 */
import { DH_KEY_SIG_CONTEXT } from '../../../../shared/protocol';
import { concatBytes, utf8 } from './bytes';
import { BadFormatError, BadSignatureError, InvalidStateError } from './errors';
import { randomBytes, systemRng, type Rng } from './rng';
import { sodium } from './sodium';
import { X25519_KEY_BYTES, assertAcceptablePublicKey, x25519KeyPairFromSeed } from './x25519';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SEED_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export interface IdentityKeyPair {
  /** Ed25519 public key. */
  readonly identityPublicKey: Uint8Array;
  /** 64-byte libsodium Ed25519 secret key. Never leaves the core. */
  readonly identitySecretKey: Uint8Array;
  /** X25519 public identity DH key. */
  readonly dhPublicKey: Uint8Array;
  /** X25519 secret key. Never leaves the core. */
  readonly dhSecretKey: Uint8Array;
  /** Ed25519 signature by the identity key over `DH_KEY_SIG_CONTEXT || dhPublicKey`. */
  readonly dhKeySig: Uint8Array;
}

/** What a peer learns about a device: its public identity, as the relay publishes it. */
export interface PublicIdentity {
  readonly identityKey: Uint8Array;
  readonly dhKey: Uint8Array;
  readonly dhKeySig: Uint8Array;
}

/** Ed25519 signature over `utf8(context) || parts…`; the context keeps signatures for one purpose from verifying for another. */
export function signWithContext(
  identitySecretKey: Uint8Array,
  context: string,
  ...parts: readonly Uint8Array[]
): Uint8Array {
  return sodium.crypto_sign_detached(concatBytes(utf8(context), ...parts), identitySecretKey);
}

export function verifyWithContext(
  identityKey: Uint8Array,
  signature: Uint8Array,
  context: string,
  ...parts: readonly Uint8Array[]
): boolean {
  if (identityKey.byteLength !== ED25519_PUBLIC_KEY_BYTES || signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    return false;
  }
  try {
    return sodium.crypto_sign_verify_detached(signature, concatBytes(utf8(context), ...parts), identityKey);
  } catch {
    return false;
  }
}

export function identityKeyPairFromSeeds(signingSeed: Uint8Array, dhSeed: Uint8Array): IdentityKeyPair {
  if (signingSeed.byteLength !== ED25519_SEED_BYTES) throw new InvalidStateError('Ed25519 seed must be 32 bytes');
  const signing = sodium.crypto_sign_seed_keypair(signingSeed);
  const dh = x25519KeyPairFromSeed(dhSeed);
  return {
    identityPublicKey: signing.publicKey,
    identitySecretKey: signing.privateKey,
    dhPublicKey: dh.publicKey,
    dhSecretKey: dh.secretKey,
    dhKeySig: signWithContext(signing.privateKey, DH_KEY_SIG_CONTEXT, dh.publicKey),
  };
}

export function generateIdentityKeyPair(rng: Rng = systemRng): IdentityKeyPair {
  return identityKeyPairFromSeeds(randomBytes(rng, ED25519_SEED_BYTES), randomBytes(rng, X25519_KEY_BYTES));
}

export function publicIdentity(identity: IdentityKeyPair): PublicIdentity {
  return {
    identityKey: identity.identityPublicKey.slice(),
    dhKey: identity.dhPublicKey.slice(),
    dhKeySig: identity.dhKeySig.slice(),
  };
}

/**
 * Checks a peer's published identity: exact lengths, the binding signature, and an
 * acceptable DH key. Signature first, so a forged identity is reported as such.
 */
export function verifyPublicIdentity(identity: PublicIdentity): void {
  if (
    identity.identityKey.byteLength !== ED25519_PUBLIC_KEY_BYTES ||
    identity.dhKey.byteLength !== X25519_KEY_BYTES ||
    identity.dhKeySig.byteLength !== ED25519_SIGNATURE_BYTES
  ) {
    throw new BadFormatError('identity key lengths');
  }
  if (!verifyWithContext(identity.identityKey, identity.dhKeySig, DH_KEY_SIG_CONTEXT, identity.dhKey)) {
    throw new BadSignatureError('identity DH key is not signed by the identity key');
  }
  assertAcceptablePublicKey(identity.dhKey, 'identity DH key');
}
