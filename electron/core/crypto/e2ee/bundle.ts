/**
 * What crosses the network about prekeys: the bundle the relay hands an initiator, and the
 * upload a device sends to replenish its stock. Both are schema-checked with exact byte
 * lengths; a bundle is then verified (signatures first, before any key is used in a DH) and
 * only a `VerifiedPreKeyBundle` can start a session.
 *
 * These schemas strip unknown fields instead of refusing them: they come from the relay,
 * which may add fields later, and nothing unvalidated is ever read from them.
 */
import { z } from 'zod';
import { BadFormatError } from './errors';
import { verifyPublicIdentity, type PublicIdentity } from './keys';
import { verifySignedPreKey, type OneTimePreKeyPublic, type SignedPreKeyPublic } from './prekeys';
import { bytesOf, describeIssue, timestamp, u32 } from './schemas';
import { assertAcceptablePublicKey } from './x25519';

/** Most one-time prekeys in one upload. */
export const MAX_ONE_TIME_PREKEYS_PER_UPLOAD = 200;

export const publicIdentitySchema = z.object({
  identityKey: bytesOf(32),
  dhKey: bytesOf(32),
  dhKeySig: bytesOf(64),
});

export const signedPreKeyPublicSchema = z.object({
  id: u32,
  publicKey: bytesOf(32),
  createdAt: timestamp,
  signature: bytesOf(64),
});

export const oneTimePreKeyPublicSchema = z.object({
  id: u32,
  publicKey: bytesOf(32),
});

/** From the relay: a device's identity, its current signed prekey and, while stock lasts, one one-time prekey. */
export const preKeyBundleSchema = z.object({
  identity: publicIdentitySchema,
  signedPreKey: signedPreKeyPublicSchema,
  /** null (or absent) when the relay's stock is empty: X3DH then runs without DH4. */
  oneTimePreKey: oneTimePreKeyPublicSchema.nullish().transform((v) => v ?? null),
});

/** To the relay: a new signed prekey and/or more one-time prekeys. */
export const preKeyUploadSchema = z.object({
  signedPreKey: signedPreKeyPublicSchema.nullish().transform((v) => v ?? null),
  oneTimePreKeys: z.array(oneTimePreKeyPublicSchema).max(MAX_ONE_TIME_PREKEYS_PER_UPLOAD),
});

export interface PreKeyBundle {
  readonly identity: PublicIdentity;
  readonly signedPreKey: SignedPreKeyPublic;
  readonly oneTimePreKey: OneTimePreKeyPublic | null;
}

declare const verified: unique symbol;
/** A bundle whose signatures and keys were checked by `verifyPreKeyBundle`. */
export type VerifiedPreKeyBundle = PreKeyBundle & { readonly [verified]: true };

/**
 * Parses and verifies a bundle as received. Order matters: shape, then the identity binding
 * and the signed-prekey signature, then the acceptability of every X25519 key, all before
 * anything is used in a DH. Throws bad_format, bad_signature or low_order_key.
 */
export function verifyPreKeyBundle(raw: unknown): VerifiedPreKeyBundle {
  const parsed = preKeyBundleSchema.safeParse(raw);
  if (!parsed.success) throw new BadFormatError(`prekey bundle: ${describeIssue(parsed.error)}`);
  const bundle = parsed.data;
  verifyPublicIdentity(bundle.identity);
  verifySignedPreKey(bundle.identity.identityKey, bundle.signedPreKey);
  if (bundle.oneTimePreKey) assertAcceptablePublicKey(bundle.oneTimePreKey.publicKey, 'one-time prekey');
  return bundle as VerifiedPreKeyBundle;
}
