/**
 * Device keys: an Ed25519 identity keypair (signs login challenges and the DH key) and an
 * X25519 keypair used to encrypt envelopes, whose public half is signed by the identity key
 * so a peer can check that the relay did not substitute its own DH key.
 */
import { DH_KEY_SIG_CONTEXT, LOGIN_SIG_CONTEXT } from '../../../shared/protocol';
import { concatBytes, utf8 } from './bytes';
import { sodium } from './sodium';

export interface DeviceKeys {
  identityPublicKey: Uint8Array;
  /** 64-byte libsodium Ed25519 secret key. Never leaves the core. */
  identitySecretKey: Uint8Array;
  dhPublicKey: Uint8Array;
  /** X25519 secret key. Never leaves the core. */
  dhSecretKey: Uint8Array;
  /** Ed25519 signature by the identity key over `DH_KEY_SIG_CONTEXT || dhPublicKey`. */
  dhKeySig: Uint8Array;
}

/** The public keys a peer publishes (PublicUser carries these). */
export interface PublishedKeys {
  identityKey: Uint8Array;
  dhKey: Uint8Array;
  dhKeySig: Uint8Array;
}

export function generateDeviceKeys(): DeviceKeys {
  const identity = sodium.crypto_sign_keypair();
  const dh = sodium.crypto_box_keypair();
  return {
    identityPublicKey: identity.publicKey,
    identitySecretKey: identity.privateKey,
    dhPublicKey: dh.publicKey,
    dhSecretKey: dh.privateKey,
    dhKeySig: signDhKey(dh.publicKey, identity.privateKey),
  };
}

export function signDhKey(dhPublicKey: Uint8Array, identitySecretKey: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(concatBytes(utf8(DH_KEY_SIG_CONTEXT), dhPublicKey), identitySecretKey);
}

/** True only when `dhKeySig` is the identity key's signature over the DH key. */
export function verifyDhKeySig(keys: PublishedKeys): boolean {
  if (keys.identityKey.byteLength !== sodium.crypto_sign_PUBLICKEYBYTES) return false;
  if (keys.dhKey.byteLength !== sodium.crypto_box_PUBLICKEYBYTES) return false;
  if (keys.dhKeySig.byteLength !== sodium.crypto_sign_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(
      keys.dhKeySig,
      concatBytes(utf8(DH_KEY_SIG_CONTEXT), keys.dhKey),
      keys.identityKey,
    );
  } catch {
    return false;
  }
}

/** The `sig` of register/login: the identity key's signature over `LOGIN_SIG_CONTEXT || challenge`. */
export function signLoginChallenge(challenge: Uint8Array, identitySecretKey: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(concatBytes(utf8(LOGIN_SIG_CONTEXT), challenge), identitySecretKey);
}
