/**
 * The relay's checks of channel signatures (the same checks every client makes): an admin
 * certificate by the channel key, a post revision by the certified admin's identity key, and
 * an admin's removal (revocation) by the channel key.
 */
import sodium from 'libsodium-wrappers-sumo';
import {
  channelAdminCertMessage,
  channelPostMessage,
  channelRevocationMessage,
  type ChannelPostSigned,
} from '../../../shared/protocol';

export function verifyAdminCert(channelKey: Uint8Array, adminIdentityKey: Uint8Array, cert: Uint8Array): boolean {
  return verify(cert, channelAdminCertMessage(channelKey, adminIdentityKey), channelKey);
}

export function verifyPostSignature(
  channelKey: Uint8Array,
  author: Uint8Array,
  post: ChannelPostSigned,
  sig: Uint8Array,
): boolean {
  let message: Uint8Array;
  try {
    message = channelPostMessage(channelKey, post);
  } catch {
    return false;
  }
  return verify(sig, message, author);
}

function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    // Malformed key or signature: not a valid proof.
    return false;
  }
}

/** The channel key's removal of the admin certified for `adminIdentityKey`. */
export function verifyRevocation(channelKey: Uint8Array, adminIdentityKey: Uint8Array, sig: Uint8Array): boolean {
  return verify(sig, channelRevocationMessage(channelKey, adminIdentityKey), channelKey);
}
