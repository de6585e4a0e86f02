/**
 * X3DH key agreement (Signal's X3DH spec, X25519 + SHA-256), both roles, as pure functions
 * over already verified inputs. session.ts wires them to bundles, prekey stores and the
 * ratchet.
 *
 *   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B)
 *   SK  = HKDF(0xFF*32 || DH1 || DH2 || DH3 [|| DH4])
 */
import { concatBytes, lengthPrefixed, u8, utf8 } from './bytes';
import { kdfX3dh } from './kdf';
import type { IdentityKeyPair, PublicIdentity } from './keys';
import { sodium } from './sodium';
import { x25519, type X25519KeyPair } from './x25519';

function deriveAndWipe(dhOutputs: Uint8Array[]): Uint8Array {
  try {
    return kdfX3dh(dhOutputs);
  } finally {
    // Best effort: JS gives no guarantee, but these buffers are ours and referenced nowhere else.
    for (const dh of dhOutputs) sodium.memzero(dh);
  }
}

/** Initiator side. `remote*` keys must come from a verified bundle. */
export function x3dhInitiator(
  identity: IdentityKeyPair,
  ephemeral: X25519KeyPair,
  remoteIdentityDhKey: Uint8Array,
  remoteSignedPreKey: Uint8Array,
  remoteOneTimePreKey: Uint8Array | null,
): Uint8Array {
  const dhs = [
    x25519(identity.dhSecretKey, remoteSignedPreKey, 'signed prekey'),
    x25519(ephemeral.secretKey, remoteIdentityDhKey, 'identity DH key'),
    x25519(ephemeral.secretKey, remoteSignedPreKey, 'signed prekey'),
  ];
  if (remoteOneTimePreKey) dhs.push(x25519(ephemeral.secretKey, remoteOneTimePreKey, 'one-time prekey'));
  return deriveAndWipe(dhs);
}

/** Responder side. `remoteIdentityDhKey` must have been verified against the initiator's identity key. */
export function x3dhResponder(
  identity: IdentityKeyPair,
  signedPreKey: X25519KeyPair,
  oneTimePreKey: X25519KeyPair | null,
  remoteIdentityDhKey: Uint8Array,
  remoteEphemeralKey: Uint8Array,
): Uint8Array {
  const dhs = [
    x25519(signedPreKey.secretKey, remoteIdentityDhKey, 'identity DH key'),
    x25519(identity.dhSecretKey, remoteEphemeralKey, 'ephemeral key'),
    x25519(signedPreKey.secretKey, remoteEphemeralKey, 'ephemeral key'),
  ];
  if (oneTimePreKey) dhs.push(x25519(oneTimePreKey.secretKey, remoteEphemeralKey, 'ephemeral key'));
  return deriveAndWipe(dhs);
}

const AD_LABEL = utf8('parley-x3dh-ad-v1');

function optionalString(value: string | undefined): Uint8Array {
  return value === undefined ? u8(0) : concatBytes(u8(1), lengthPrefixed(utf8(value)));
}

/**
 * The session's associated data, bound into every message's AEAD:
 *
 *   lp(label) || IK_A || IKdh_A || IK_B || IKdh_B || opt(userId_A) || opt(userId_B)
 *
 * A = initiator, B = responder, so both sides compute the same bytes. Both identity keys
 * (Ed25519 and its X25519 DH key) are included, and the user ids when the caller gives them,
 * so a message cannot be replayed into a session between other parties. If one side passes
 * user ids and the other does not, every message fails to decrypt: pass them on both or neither.
 */
export function sessionAssociatedData(
  initiator: PublicIdentity,
  responder: PublicIdentity,
  initiatorUserId?: string,
  responderUserId?: string,
): Uint8Array {
  return concatBytes(
    lengthPrefixed(AD_LABEL),
    initiator.identityKey,
    initiator.dhKey,
    responder.identityKey,
    responder.dhKey,
    optionalString(initiatorUserId),
    optionalString(responderUserId),
  );
}
