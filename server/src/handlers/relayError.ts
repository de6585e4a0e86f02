/**
 * A request the relay refuses for a reason the client should hear about. Handlers throw it;
 * the connection answers with an `err` frame carrying the request's id. Any other thrown
 * error is a relay fault and is answered with `internal`.
 */
import type { ErrorCode } from '../../../shared/protocol';

export class RelayError extends Error {
  override readonly name = 'RelayError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** When set, the connection is closed with this WebSocket close code after answering. */
    readonly closeCode?: number,
  ) {
    super(message);
  }
}
