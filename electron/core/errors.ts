/**
 * Maps failures inside the core to the error codes the renderer acts on. Anything not
 * recognised here is a bug and surfaces as `internal` through dispatch.
 */
import { IpcError } from '../../shared/ipc';
import { ContactKeyError } from './messaging/directory';
import { RelayError } from './relay/relayError';

export function toIpcError(err: unknown): unknown {
  if (err instanceof RelayError) {
    switch (err.code) {
      case 'disconnected':
      case 'timeout':
      case 'shutting_down':
        return new IpcError('offline', 'not connected to the relay; try again when online');
      case 'username_taken':
        return new IpcError('username_taken', 'that username is taken');
      case 'not_found':
        return new IpcError('not_found', 'no such user');
      case 'rate_limited':
        return new IpcError(
          'rate_limited',
          `too many requests; try again in ${Math.ceil((err.retryAfterMs ?? 1000) / 1000)} s`,
        );
      default:
        return new IpcError('relay_error', `the relay refused the request (${err.code}): ${err.message}`);
    }
  }
  if (err instanceof ContactKeyError) return new IpcError('relay_error', err.message);
  return err;
}

/** Runs `fn`, translating relay and key errors into IpcErrors. */
export async function asIpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toIpcError(err);
  }
}
