/**
 * The API the preload exposes to the renderer as `window.parley`: exactly the IPC contract
 * and nothing else. Names are checked against the contract's lists before anything crosses
 * to the main process, listeners receive only the payload (never Electron's event object,
 * which would hand the page a `sender` with raw IPC), and every call resolves to an
 * IpcResult. Input validation proper happens in the main process, which cannot be bypassed.
 */
import type { EventEnvelope, ParleyBridge } from '../../shared/ipc/api';
import type { EventName } from '../../shared/ipc/contract';
import type { IpcResult } from '../../shared/ipc/result';
import { BRIDGE_GLOBAL, IPC_CHANNELS, isEventName, isRequestName } from '../../shared/ipc/names';

/** The slice of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The slice of Electron's contextBridge the bridge uses. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

type Listener = (payload: unknown) => void;

export function createBridgeApi(ipc: IpcRendererLike): ParleyBridge {
  const listeners = new Map<EventName, Set<Listener>>();

  // One subscription to the event channel for the page's lifetime; the page's listeners
  // hang off it, so unsubscribing never touches ipcRenderer.
  ipc.on(IPC_CHANNELS.event, (_event, envelope) => {
    if (!isEnvelope(envelope)) return;
    for (const listener of [...(listeners.get(envelope.name) ?? [])]) {
      try {
        listener(envelope.payload);
      } catch (err) {
        // One broken listener must not starve the others of the event.
        console.error(`parley: a listener for ${envelope.name} threw`, err);
      }
    }
  });

  const api = {
    async invoke(name: unknown, input: unknown): Promise<IpcResult<unknown>> {
      if (!isRequestName(name)) {
        return { ok: false, code: 'unknown_request', message: `unknown request ${String(name).slice(0, 64)}` };
      }
      try {
        return (await ipc.invoke(IPC_CHANNELS.invoke, name, input)) as IpcResult<unknown>;
      } catch {
        // The main process answers every call with an IpcResult; a rejection means the
        // channel itself failed (window closing, main process busy shutting down).
        return { ok: false, code: 'internal', message: 'the app could not complete the request' };
      }
    },

    on(name: unknown, listener: unknown): () => void {
      if (!isEventName(name)) throw new TypeError(`unknown event ${String(name).slice(0, 64)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      // Wrapped so subscribing the same function twice gives two independent subscriptions.
      const subscription: Listener = (payload) => (listener as Listener)(payload);
      set.add(subscription);
      return () => {
        set.delete(subscription);
      };
    },
  };
  return api as ParleyBridge;
}

export function exposeBridge(contextBridge: ContextBridgeLike, ipc: IpcRendererLike): void {
  contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createBridgeApi(ipc));
}

function isEnvelope(value: unknown): value is EventEnvelope {
  return typeof value === 'object' && value !== null && isEventName((value as { name?: unknown }).name);
}
