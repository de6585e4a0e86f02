/**
 * The shape of the API the renderer sees (exposed by the preload as `window.parley`, or
 * provided by the host-mode WebSocket client). Type-only: the renderer imports it with
 * `import type`.
 */
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from './contract';
import type { IpcResult } from './result';

export interface ParleyBridge {
  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>>;
  /** Subscribe to an event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** A raw event as it crosses a transport. */
export interface EventEnvelope {
  name: EventName;
  payload: unknown;
}
