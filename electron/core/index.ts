/**
 * The client core: Electron-free, holds the keys, talks to the relay, keeps the local
 * database, and implements the IPC contract. Hosts (electron/main, electron/host) create
 * one per profile and pass `core.handlers` to shared/ipc `dispatch`.
 */
import type { Core, CoreOptions } from './api';
import { openCore } from './core';

export type { Core, CoreEventListener, CoreOptions, Logger } from './api';
export { createConsoleLogger, silentLogger } from './logger';
export { ProfileLockedError } from './profile/lock';
export { DatabaseOpenError } from './db/database';

/**
 * Opens the profile in `opts.profileDir` (creating it if missing) and, if it has an
 * account, starts connecting to the relay. Throws ProfileLockedError when another process
 * has the profile open, DatabaseOpenError when the database cannot be read.
 */
export async function createCore(opts: CoreOptions): Promise<Core> {
  return openCore(opts);
}
