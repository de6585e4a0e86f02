/**
 * Client-side key material for tests and benchmarks, made exactly as a real client core
 * makes it: an Ed25519 identity key, an X25519 key signed by it, and sealed-box bodies.
 */
import sodium from 'libsodium-wrappers-sumo';
import { DH_KEY_SIG_CONTEXT, LOGIN_SIG_CONTEXT, type PublicUser } from '../../../shared/protocol';
import { signedMessage } from '../auth/signatures';

export interface TestIdentity {
  /** Ed25519: signs login challenges and the DH key. */
  readonly identityKey: Uint8Array<ArrayBuffer>;
  readonly identitySecretKey: Uint8Array;
  /** X25519: what others seal message bodies to. */
  readonly dhKey: Uint8Array<ArrayBuffer>;
  readonly dhSecretKey: Uint8Array;
  /** identityKey's signature over DH_KEY_SIG_CONTEXT || dhKey. */
  readonly dhKeySig: Uint8Array<ArrayBuffer>;
}

export async function createIdentity(): Promise<TestIdentity> {
  await sodium.ready;
  const signing = sodium.crypto_sign_keypair();
  const dh = sodium.crypto_box_keypair();
  return {
    identityKey: owned(signing.publicKey),
    identitySecretKey: signing.privateKey,
    dhKey: owned(dh.publicKey),
    dhSecretKey: dh.privateKey,
    dhKeySig: owned(sodium.crypto_sign_detached(signedMessage(DH_KEY_SIG_CONTEXT, dh.publicKey), signing.privateKey)),
  };
}

/** The `sig` of register/login: a signature over LOGIN_SIG_CONTEXT || challenge. */
export function signChallenge(identity: TestIdentity, challenge: Uint8Array): Uint8Array<ArrayBuffer> {
  return owned(sodium.crypto_sign_detached(signedMessage(LOGIN_SIG_CONTEXT, challenge), identity.identitySecretKey));
}

/** Encrypts a body to a user (anonymous sealed box to their DH key), as the core does for now. */
export function sealFor(recipient: Pick<PublicUser, 'dhKey'>, plaintext: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return owned(sodium.crypto_box_seal(plaintext, recipient.dhKey));
}

/** Decrypts a body sealed to this identity; throws when it was not sealed to it. */
export function openSealed(identity: TestIdentity, body: Uint8Array): Uint8Array {
  return sodium.crypto_box_seal_open(body, identity.dhKey, identity.dhSecretKey);
}

/** libsodium returns Uint8Array over a plain ArrayBuffer; say so for the protocol's byte fields. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
