/** Checks of signed group changes: the member list hash and the actor's Ed25519 signature. */
import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  groupChangeSignedBytes,
  groupMemberListBytes,
  type GroupChangeWire,
  type GroupMemberWire,
} from '../../../shared/protocol';

/** SHA-256 over groupMemberListBytes(members). */
export function memberListHash(members: readonly GroupMemberWire[]): Uint8Array {
  return new Uint8Array(createHash('sha256').update(groupMemberListBytes(members)).digest());
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** The actor's identity key signed this change (signaturesReady must have resolved). */
export function verifyChangeSignature(change: GroupChangeWire, identityKey: Uint8Array): boolean {
  if (change.sig === null) return false;
  try {
    return sodium.crypto_sign_verify_detached(change.sig, groupChangeSignedBytes(change), identityKey);
  } catch {
    return false;
  }
}
