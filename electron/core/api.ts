/**
 * The core's public face, used by electron/main and electron/host (and by integration
 * tests and benchmarks). The core implements every request of the IPC contract as
 * `handlers` and emits contract events; transports only carry them.
 */
import type { EventName, EventPayload, Handlers } from '../../shared/ipc';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface CoreOptions {
  /** This profile's directory (created if missing). Holds the database and the lock. */
  profileDir: string;
  /** ws:// or wss:// URL of the relay. */
  relayUrl: string;
  logger?: Logger;
}

export type CoreEventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export interface Core {
  /** The contract implementation: pass to shared/ipc `dispatch`. */
  readonly handlers: Handlers;
  /** Subscribe to every contract event; returns the unsubscribe function. */
  onEvent(listener: CoreEventListener): () => void;
  /** Flush, disconnect, close the database and release the profile lock. Idempotent. */
  close(): Promise<void>;
}
