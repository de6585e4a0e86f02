/**
 * Test doubles for host-mode tests: a Core whose handlers the test supplies and whose
 * events the test emits. Not bundled into dist/host.js (nothing but tests imports it).
 */
import type { Handlers } from '../../shared/ipc/dispatch';
import { REQUEST_NAMES } from '../../shared/ipc/names';
import type { Core, CoreEventListener } from '../core/api';

export interface FakeCore extends Core {
  /** Emit an event as the core would (untyped, so tests can emit contract violations too). */
  emit(name: string, payload: unknown): void;
  readonly listenerCount: number;
  readonly closed: boolean;
}

export function fakeCore(overrides: Partial<Handlers> = {}): FakeCore {
  const notUsed = (name: string) => () => {
    throw new Error(`${name} is not used in this test`);
  };
  const handlers = {
    ...Object.fromEntries(REQUEST_NAMES.map((name) => [name, notUsed(name)])),
    ...overrides,
  } as unknown as Handlers;
  const listeners = new Set<CoreEventListener>();
  let closed = false;
  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
    },
    emit(name, payload) {
      for (const listener of listeners) (listener as (n: string, p: unknown) => void)(name, payload);
    },
    get listenerCount() {
      return listeners.size;
    },
    get closed() {
      return closed;
    },
  };
}
