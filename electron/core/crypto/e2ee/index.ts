/**
 * End-to-end encryption of 1:1 chats: X3DH + Double Ratchet over libsodium, safety numbers.
 * Pure and synchronous (after `await e2eeReady()`): no database, no network. The caller
 * persists the returned states — together with the outbox row or received message, in one
 * transaction — and never reuses a state it has replaced.
 */
export { e2eeReady } from './sodium';
export { systemRng, deterministicRng, type Rng } from './rng';
export * from './errors';
export {
  generateIdentityKeyPair,
  identityKeyPairFromSeeds,
  publicIdentity,
  verifyPublicIdentity,
  type IdentityKeyPair,
  type PublicIdentity,
} from './keys';
export { generateX25519KeyPair, x25519KeyPairFromSeed, type X25519KeyPair } from './x25519';
export {
  SIGNED_PREKEY_CONTEXT,
  DEFAULT_SIGNED_PREKEY_POLICY,
  createSignedPreKeyRing,
  findSignedPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  nextPreKeyId,
  oneTimePreKeyPublic,
  rotateSignedPreKeyRing,
  signedPreKeyPublic,
  verifySignedPreKey,
  type OneTimePreKey,
  type OneTimePreKeyPublic,
  type SignedPreKey,
  type SignedPreKeyPublic,
  type SignedPreKeyRing,
  type SignedPreKeyRotationPolicy,
} from './prekeys';
export {
  MAX_ONE_TIME_PREKEYS_PER_UPLOAD,
  oneTimePreKeyPublicSchema,
  preKeyBundleSchema,
  preKeyUploadSchema,
  publicIdentitySchema,
  signedPreKeyPublicSchema,
  verifyPreKeyBundle,
  type PreKeyBundle,
  type VerifiedPreKeyBundle,
} from './bundle';
export {
  acceptSession,
  initiateSession,
  startsNewSession,
  type AcceptSessionParams,
  type AcceptedSession,
  type InitiateSessionParams,
  type InitiatedSession,
  type ResponderPreKeys,
} from './session';
export { pruneSkippedKeys, ratchetDecrypt, ratchetEncrypt } from './ratchet';
export { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS } from './skipped';
export { STATE_VERSION, deserializeSessionState, serializeSessionState, type SessionState } from './state';
export {
  ALG_MESSAGE,
  ALG_PREKEY_MESSAGE,
  ENVELOPE_VERSION,
  MAX_PLAINTEXT_BYTES,
  parseEnvelope,
  type Envelope,
} from './wire';
export {
  SAFETY_NUMBER_ITERATIONS,
  compareScannedSafetyNumber,
  computeSafetyNumber,
  safetyNumbersEqual,
  type SafetyNumber,
  type SafetyNumberParty,
  type ScanResult,
} from './safetyNumber';
