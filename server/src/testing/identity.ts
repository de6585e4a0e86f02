/**
 * Client-side key material for tests and benchmarks, made exactly as a real client core
 * makes it: an Ed25519 identity key, an X25519 key signed by it, and sealed-box bodies.
 */
import sodium from 'libsodium-wrappers-sumo';
import {
  DH_KEY_SIG_CONTEXT,
  LOGIN_SIG_CONTEXT,
  type OneTimePreKeyWire,
  type PublicUser,
  type SignedPreKeyWire,
} from '../../../shared/protocol';
import { rekeyHandoverMessage, signedMessage, signedPreKeyMessage } from '../auth/signatures';

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

/** A prekey as a client keeps it: the public half for the wire, the secret half stays home. */
export interface TestSignedPreKey {
  readonly wire: SignedPreKeyWire;
  readonly secretKey: Uint8Array;
}
export interface TestOneTimePreKey {
  readonly wire: OneTimePreKeyWire;
  readonly secretKey: Uint8Array;
}

/** An X25519 signed prekey, signed by `identity` over context || u32be(id) || u64be(createdAt) || publicKey. */
export function createSignedPreKey(identity: TestIdentity, id: number, createdAt = Date.now()): TestSignedPreKey {
  const pair = sodium.crypto_box_keypair();
  const publicKey = owned(pair.publicKey);
  const signature = owned(
    sodium.crypto_sign_detached(signedPreKeyMessage({ id, createdAt, publicKey }), identity.identitySecretKey),
  );
  return { wire: { id, publicKey, createdAt, signature }, secretKey: pair.privateKey };
}

/** `count` X25519 one-time prekeys with ids firstId, firstId + 1, … */
export function createOneTimePreKeys(firstId: number, count: number): TestOneTimePreKey[] {
  return Array.from({ length: count }, (_, i) => {
    const pair = sodium.crypto_box_keypair();
    return { wire: { id: firstId + i, publicKey: owned(pair.publicKey) }, secretKey: pair.privateKey };
  });
}

/** The three signatures of a `rekey` from `previous` to `next` on a connection with this challenge. */
export function rekeyProofs(
  previous: TestIdentity,
  next: TestIdentity,
  challenge: Uint8Array,
): {
  identityKey: Uint8Array<ArrayBuffer>;
  dhKey: Uint8Array<ArrayBuffer>;
  dhKeySig: Uint8Array<ArrayBuffer>;
  sig: Uint8Array<ArrayBuffer>;
  handover: Uint8Array<ArrayBuffer>;
} {
  return {
    identityKey: next.identityKey,
    dhKey: next.dhKey,
    dhKeySig: next.dhKeySig,
    sig: signChallenge(next, challenge),
    handover: owned(
      sodium.crypto_sign_detached(rekeyHandoverMessage(next.identityKey, next.dhKey), previous.identitySecretKey),
    ),
  };
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
