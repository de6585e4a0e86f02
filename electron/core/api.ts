/**
 * The core's public face, used by electron/main and electron/host (and by integration
 * tests and benchmarks). The core implements every request of the IPC contract as
 * `handlers` and emits contract events; transports only carry them.
 */
import type { EventName, EventPayload, Handlers } from '../../shared/ipc';
import type { DatabaseKeyOptions } from './profile/databaseKey';

export type { DatabaseKeyOptions, KeyProtector, PassphraseRequest, PassphraseSource } from './profile/databaseKey';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface CoreOptions {
  /** This profile's directory (created if missing). Holds the database, its key and the lock. */
  profileDir: string;
  /**
   * How the database key (the database is always encrypted) is unlocked or, for a new
   * profile, protected: `passphrase` (Argon2id), else `keyProtector` when available (the
   * OS keychain), else a 0600 key file. An existing profile uses what it was created with:
   * not offering what it needs (or offering a passphrase it does not use) is a
   * DatabaseKeyError, never a new or plaintext database. Omitted: the key file.
   */
  databaseKey?: DatabaseKeyOptions;
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
