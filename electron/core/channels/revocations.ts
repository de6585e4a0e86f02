/**
 * Removed admins in the core. The channel key signs each removal (a revocation), so the
 * relay cannot invent one to hide an admin's posts; the relay adds `after`, the channel's
 * head when the removal committed. A revision signed by a revoked key counts only if its
 * cseq is at most `after`: posts made before the removal stay, later ones are dropped even
 * if a relay served them.
 */
import { channelRevocationMessage, type ChannelRevocationWire } from '../../../shared/protocol';
import { bytesEqual } from '../crypto/bytes';
import { sodium } from '../crypto/sodium';

export interface Revocation {
  readonly identityKey: Uint8Array;
  readonly after: number;
}

/** The revocations whose signature verifies with the channel key (others are ignored). */
export function verifiedRevocations(
  channelKey: Uint8Array,
  revoked: readonly ChannelRevocationWire[] | undefined,
): Revocation[] {
  return (revoked ?? [])
    .filter((r) => {
      try {
        return sodium.crypto_sign_verify_detached(
          r.sig,
          channelRevocationMessage(channelKey, r.identityKey),
          channelKey,
        );
      } catch {
        return false;
      }
    })
    .map((r) => ({ identityKey: r.identityKey, after: r.after }));
}

/** True when this revision's signer was removed before the revision was numbered. */
export function signedAfterRevocation(
  revocations: readonly Revocation[],
  revision: { readonly author: Uint8Array; readonly cseq: number },
): boolean {
  return revocations.some((r) => bytesEqual(r.identityKey, revision.author) && revision.cseq > r.after);
}
