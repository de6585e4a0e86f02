/**
 * Typed failures of the e2ee module. Every check in this module fails closed by throwing one
 * of these; callers branch on `code`, never on the message. Messages describe what was
 * wrong with the input's shape, never its content: no key, plaintext or ciphertext bytes
 * ever appear in an error (they end up in logs).
 */

export type E2eeErrorCode =
  /** An Ed25519 signature (identity binding, signed prekey) did not verify. */
  | 'bad_signature'
  /** An X25519 public key is all-zero, of small order, non-canonical, or gave an all-zero DH. */
  | 'low_order_key'
  /** AEAD authentication failed: wrong key, tampered header, ciphertext or associated data. */
  | 'decrypt_failed'
  /** The message would need more than MAX_SKIP skipped keys in one chain. */
  | 'too_many_skipped'
  /** The message's key is no longer held: it was decrypted already (replay), or its skipped key expired or was evicted. */
  | 'duplicate'
  /** A prekey id named by an initial message is not (or no longer) held. */
  | 'unknown_prekey'
  /** Bytes that are not a well-formed envelope, bundle or state. */
  | 'bad_format'
  /** A well-formed envelope or state of a version or algorithm this build does not speak. */
  | 'unsupported_version'
  /** A session-starting message that belongs to a different session than the one given. */
  | 'session_mismatch'
  /** The caller broke a precondition (bad argument, unusable state); a bug, not an attack. */
  | 'invalid_state';

export class E2eeError extends Error {
  readonly code: E2eeErrorCode;

  constructor(code: E2eeErrorCode, message: string) {
    super(message);
    this.name = 'E2eeError';
    this.code = code;
  }
}

export class BadSignatureError extends E2eeError {
  constructor(message = 'signature did not verify') {
    super('bad_signature', message);
    this.name = 'BadSignatureError';
  }
}

export class LowOrderKeyError extends E2eeError {
  constructor(message = 'X25519 public key rejected') {
    super('low_order_key', message);
    this.name = 'LowOrderKeyError';
  }
}

export class DecryptFailedError extends E2eeError {
  constructor(message = 'message did not authenticate') {
    super('decrypt_failed', message);
    this.name = 'DecryptFailedError';
  }
}

export class TooManySkippedError extends E2eeError {
  constructor(message = 'too many skipped messages') {
    super('too_many_skipped', message);
    this.name = 'TooManySkippedError';
  }
}

export class DuplicateMessageError extends E2eeError {
  constructor(message = 'message key already used or discarded') {
    super('duplicate', message);
    this.name = 'DuplicateMessageError';
  }
}

export class UnknownPreKeyError extends E2eeError {
  constructor(message = 'unknown or already used prekey') {
    super('unknown_prekey', message);
    this.name = 'UnknownPreKeyError';
  }
}

export class BadFormatError extends E2eeError {
  constructor(message = 'malformed input') {
    super('bad_format', message);
    this.name = 'BadFormatError';
  }
}

export class UnsupportedVersionError extends E2eeError {
  constructor(message = 'unsupported version') {
    super('unsupported_version', message);
    this.name = 'UnsupportedVersionError';
  }
}

export class SessionMismatchError extends E2eeError {
  constructor(message = 'message belongs to another session') {
    super('session_mismatch', message);
    this.name = 'SessionMismatchError';
  }
}

export class InvalidStateError extends E2eeError {
  constructor(message: string) {
    super('invalid_state', message);
    this.name = 'InvalidStateError';
  }
}

export function isE2eeError(error: unknown, code?: E2eeErrorCode): error is E2eeError {
  return error instanceof E2eeError && (code === undefined || error.code === code);
}
