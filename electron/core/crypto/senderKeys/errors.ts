/**
 * Typed failures of the Sender Keys module. Like e2ee/errors.ts: every check fails closed by
 * throwing one of these, callers branch on `code`, and messages describe the input's shape,
 * never its content (no key, plaintext or ciphertext bytes ever appear in an error).
 *
 * Helpers shared with e2ee/ (byte encoders, the rng wrapper) may still throw an e2ee
 * `invalid_state` for a broken precondition — a caller bug, never an attack.
 */

export type SenderKeyErrorCode =
  /** The message's Ed25519 signature does not verify under the sender's chain signing key. */
  | 'bad_signature'
  /** AEAD authentication failed (a correctly signed message that does not open: a sender bug or a forgery by a key holder). */
  | 'decrypt_failed'
  /** The message would need more than MAX_SKIP message keys to be derived in one step. */
  | 'too_many_skipped'
  /** The message's key is no longer held: decrypted already (replay), expired, evicted, or sent before our distribution. */
  | 'duplicate'
  /** The message (or distribution) is of an older generation than the one held: the sender has rotated since. */
  | 'stale_generation'
  /** The message is of a newer generation than the one held: its distribution has not arrived (yet). */
  | 'unknown_generation'
  /**
   * A distribution or state of another group or sender than the caller expects, or a second,
   * different chain for a generation already held.
   */
  | 'sender_mismatch'
  /** Bytes that are not a well-formed message, distribution or state. */
  | 'bad_format'
  /** A well-formed message, distribution or state of a version or algorithm this build does not speak. */
  | 'unsupported_version'
  /** The caller broke a precondition (bad argument, exhausted chain); a bug, not an attack. */
  | 'invalid_state';

export class SenderKeyError extends Error {
  readonly code: SenderKeyErrorCode;

  constructor(code: SenderKeyErrorCode, message: string) {
    super(message);
    this.name = 'SenderKeyError';
    this.code = code;
  }
}

export function isSenderKeyError(error: unknown, code?: SenderKeyErrorCode): error is SenderKeyError {
  return error instanceof SenderKeyError && (code === undefined || error.code === code);
}

export const badFormat = (message: string) => new SenderKeyError('bad_format', message);
export const unsupportedVersion = (message: string) => new SenderKeyError('unsupported_version', message);
export const invalidState = (message: string) => new SenderKeyError('invalid_state', message);
