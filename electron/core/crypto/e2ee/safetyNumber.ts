/**
 * Safety numbers: what two people compare (read aloud, or scan as a QR code) to verify that
 * no one sits between them. Signal's numeric fingerprint scheme:
 *
 *   fingerprint(key, id) = H_5200 where H_0 = u16 0 || key || utf8(id)   (not hashed)
 *                                       H_i = SHA-512(H_(i-1) || key)
 *   digits(f)            = for each 5-byte big-endian chunk of f[0..30]: chunk mod 100000, 5 digits
 *   safety number        = the two 30-digit strings, numerically smaller first: 60 digits, 12 groups of 5
 *
 * with our 32-byte Ed25519 identity key (the one that signs the X25519 keys, so it covers
 * them) and the user id as the stable identifier. Sorting makes both sides show the same
 * string; the iterations make finding a key with a colliding number expensive.
 *
 * The QR payload carries the two full 32-byte fingerprints in the scanner's order:
 *
 *   "PSN" || u8 version (1) || fingerprint(local)[0..32] || fingerprint(remote)[0..32]
 *
 * and matches when the scanned code's local is our remote and vice versa.
 */
import { bytesEqual, concatBytes, u16be, utf8 } from './bytes';
import { InvalidStateError } from './errors';
import { ED25519_PUBLIC_KEY_BYTES } from './keys';
import { sodium } from './sodium';

export const SAFETY_NUMBER_ITERATIONS = 5200;
/** The u16 version hashed into every fingerprint (Signal's FINGERPRINT_VERSION). */
const FINGERPRINT_HASH_VERSION = 0;
export const SAFETY_NUMBER_QR_VERSION = 1;
const QR_MAGIC = utf8('PSN');
const QR_FINGERPRINT_BYTES = 32;
const QR_PAYLOAD_BYTES = QR_MAGIC.byteLength + 1 + 2 * QR_FINGERPRINT_BYTES;
const MAX_STABLE_ID_BYTES = 256;

/** The iterated SHA-512 of one party (64 bytes). Exported for the published test vectors, which use 33-byte keys. */
export function fingerprintDigest(
  publicKey: Uint8Array,
  stableId: string,
  iterations = SAFETY_NUMBER_ITERATIONS,
): Uint8Array {
  let hash = concatBytes(u16be(FINGERPRINT_HASH_VERSION), publicKey, utf8(stableId));
  for (let i = 0; i < iterations; i++) hash = sodium.crypto_hash_sha512(concatBytes(hash, publicKey));
  return hash;
}

/** 30 digits: six 5-byte big-endian chunks, each mod 100000, zero-padded to 5 digits. */
export function fingerprintDigits(digest: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < 30; offset += 5) {
    // A 40-bit big-endian value: exact in a double.
    let chunk = 0;
    for (let i = 0; i < 5; i++) chunk = chunk * 256 + digest[offset + i]!;
    out += String(chunk % 100000).padStart(5, '0');
  }
  return out;
}

export interface SafetyNumberParty {
  /** Ed25519 identity key (32 bytes). */
  readonly identityKey: Uint8Array;
  /** Stable user id (the relay's user id). */
  readonly userId: string;
}

export interface SafetyNumber {
  /** 60 digits, identical on both sides. */
  readonly digits: string;
  /** The digits in 12 groups of 5, separated by spaces, for display. */
  readonly display: string;
  /** Binary QR payload (use QR byte mode). */
  readonly qr: Uint8Array;
  /** The same payload as unpadded base64url text, for QR libraries that take strings. */
  readonly qrText: string;
}

function assertParty(party: SafetyNumberParty, which: string): void {
  if (party.identityKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    throw new InvalidStateError(`${which} identity key must be 32 bytes`);
  }
  const idBytes = utf8(party.userId).byteLength;
  if (idBytes === 0 || idBytes > MAX_STABLE_ID_BYTES) throw new InvalidStateError(`${which} user id length`);
}

/** The safety number between `local` (this device) and `remote`. About 2 × 5200 SHA-512: compute once per view. */
export function computeSafetyNumber(local: SafetyNumberParty, remote: SafetyNumberParty): SafetyNumber {
  assertParty(local, 'local');
  assertParty(remote, 'remote');
  const localDigest = fingerprintDigest(local.identityKey, local.userId);
  const remoteDigest = fingerprintDigest(remote.identityKey, remote.userId);
  const localDigits = fingerprintDigits(localDigest);
  const remoteDigits = fingerprintDigits(remoteDigest);
  const digits = localDigits <= remoteDigits ? localDigits + remoteDigits : remoteDigits + localDigits;
  const qr = concatBytes(
    QR_MAGIC,
    Uint8Array.of(SAFETY_NUMBER_QR_VERSION),
    localDigest.subarray(0, QR_FINGERPRINT_BYTES),
    remoteDigest.subarray(0, QR_FINGERPRINT_BYTES),
  );
  return {
    digits,
    display: digits.match(/\d{5}/g)!.join(' '),
    qr,
    qrText: sodium.to_base64(qr, sodium.base64_variants.URLSAFE_NO_PADDING),
  };
}

export type ScanResult = 'match' | 'mismatch' | 'bad_format' | 'unsupported_version';

function decodeQrText(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  try {
    return sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    return null;
  }
}

/**
 * Compares the QR code scanned from the other person's screen with ours. Anything that is
 * not a well-formed payload of our version is not a match (fail closed).
 */
export function compareScannedSafetyNumber(mine: SafetyNumber, scanned: Uint8Array | string): ScanResult {
  const payload = typeof scanned === 'string' ? decodeQrText(scanned) : scanned;
  if (!payload || payload.byteLength !== QR_PAYLOAD_BYTES || !bytesEqual(payload.subarray(0, 3), QR_MAGIC)) {
    return 'bad_format';
  }
  if (payload[3] !== SAFETY_NUMBER_QR_VERSION) return 'unsupported_version';
  const theirLocal = payload.subarray(4, 4 + QR_FINGERPRINT_BYTES);
  const theirRemote = payload.subarray(4 + QR_FINGERPRINT_BYTES);
  const myLocal = mine.qr.subarray(4, 4 + QR_FINGERPRINT_BYTES);
  const myRemote = mine.qr.subarray(4 + QR_FINGERPRINT_BYTES);
  // Evaluate both comparisons (no short-circuit): the result should not depend on which half differs.
  const matches = Number(bytesEqual(theirLocal, myRemote)) & Number(bytesEqual(theirRemote, myLocal));
  return matches === 1 ? 'match' : 'mismatch';
}

/** Compares two safety numbers as typed or displayed (whitespace ignored); false unless both are 60 digits. */
export function safetyNumbersEqual(a: string, b: string): boolean {
  const normalize = (s: string) => s.replace(/\s+/g, '');
  const x = normalize(a);
  const y = normalize(b);
  return /^\d{60}$/.test(x) && /^\d{60}$/.test(y) && bytesEqual(utf8(x), utf8(y));
}
