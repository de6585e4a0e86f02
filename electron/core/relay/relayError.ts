import type { ErrorCode } from '../../../shared/protocol';

/**
 * A failed relay request. `code` is the relay's error code when it answered `err`, or one of
 * the local conditions: `disconnected` (no connection, or it closed before the answer),
 * `timeout` (no answer in time), `protocol` (the relay answered with the wrong frame).
 */
export type RelayErrorCode = ErrorCode | 'disconnected' | 'timeout' | 'protocol';

export class RelayError extends Error {
  constructor(
    readonly code: RelayErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

export const isRelayError = (err: unknown, code?: RelayErrorCode): err is RelayError =>
  err instanceof RelayError && (code === undefined || err.code === code);

/** Whether repeating the same request later can succeed (the outbox keeps such rows). */
export function isTransient(err: RelayError): boolean {
  // `internal` counts: the relay guarantees nothing was stored, so a retry is safe and may work.
  switch (err.code) {
    case 'disconnected':
    case 'timeout':
    case 'rate_limited':
    case 'queue_full':
    case 'out_of_order':
    case 'no_prekeys':
    case 'identity_changed':
    case 'shutting_down':
    case 'idle_timeout':
    case 'slow_consumer':
    case 'unauthenticated':
    case 'internal':
      return true;
    default:
      return false;
  }
}
