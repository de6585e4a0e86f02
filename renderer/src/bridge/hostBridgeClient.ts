/**
 * Host mode's transport: the IPC contract over a loopback WebSocket to `node dist/host.js`
 * (frames: shared/ipc/hostWire.ts), behind the same `ParleyBridge` interface the Electron
 * preload provides.
 *
 * - Requests are matched to results by id.
 * - While a connection attempt is in flight, requests wait for it; while the link is down
 *   (between attempts) they fail at once with an `offline` result, so nothing hangs.
 * - Requests in flight when the socket drops fail the same way: we cannot know whether the
 *   core ran them, and the caller decides whether to retry.
 * - A dropped socket is reopened with backoff, forever, until `close()`.
 */
import type { ParleyBridge } from '../../../shared/ipc/api';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../../shared/ipc/contract';
import type { HostRequestFrame } from '../../../shared/ipc/hostWire';
import type { IpcResult } from '../../../shared/ipc/result';
import { reconnectDelayMs } from './backoff';
import { parseHostFrame } from './hostFrames';
import type { BridgeLink, LinkState } from './link';

/**
 * The part of a WebSocket this client uses. The browser's `WebSocket` and the `ws`
 * package's both fit (handler parameters are `never` so either's event types are accepted).
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: never) => unknown) | null;
  onclose: ((event: never) => unknown) | null;
  onerror: ((event: never) => unknown) | null;
  onmessage: ((event: never) => unknown) | null;
}
export type SocketConstructor = new (url: string) => SocketLike;

export interface HostBridgeClientOptions {
  /** ws://host:port/bridge?token=… */
  url: string;
  /** Defaults to the browser's WebSocket; tests under Node pass the `ws` package's. */
  WebSocket?: SocketConstructor;
  /** Delay before reconnect attempt `attempt` (0-based). */
  reconnectDelay?: (attempt: number) => number;
}

interface PendingRequest {
  frame: string;
  /** Whether the frame went out on the current socket (else it waits for the socket to open). */
  sent: boolean;
  resolve(result: IpcResult<unknown>): void;
}

type Listener = (payload: unknown) => void;

const SOCKET_OPEN = 1;

const unreachable = (message: string): IpcResult<never> => ({ ok: false, code: 'offline', message });

export class HostBridgeClient implements ParleyBridge, BridgeLink {
  private readonly SocketImpl: SocketConstructor;
  private readonly reconnectDelay: (attempt: number) => number;
  private socket: SocketLike | null = null;
  private linkState: LinkState = 'connecting';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly eventListeners = new Map<string, Set<Listener>>();
  private readonly linkListeners = new Set<(state: LinkState) => void>();

  constructor(private readonly options: HostBridgeClientOptions) {
    this.SocketImpl = options.WebSocket ?? (globalThis.WebSocket as unknown as SocketConstructor);
    this.reconnectDelay = options.reconnectDelay ?? reconnectDelayMs;
  }

  /** Opens the socket. Separate from the constructor so listeners can subscribe first. */
  start(): this {
    if (!this.socket && !this.closed) this.connect();
    return this;
  }

  /** Stops for good: closes the socket, cancels reconnecting, fails what is pending. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.failPending('the Parley core connection was closed');
    this.setLinkState('down');
  }

  get state(): LinkState {
    return this.linkState;
  }

  subscribe(listener: (state: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  invoke<N extends RequestName>(name: N, input: RequestInput<N>): Promise<IpcResult<RequestOutput<N>>> {
    if (this.closed || this.linkState === 'down') {
      return Promise.resolve(unreachable('lost connection to the Parley core'));
    }
    return new Promise((resolve) => {
      const id = this.nextId++;
      const frame: HostRequestFrame = { id, name, input: input ?? {} };
      const request: PendingRequest = {
        frame: JSON.stringify(frame),
        sent: false,
        resolve: resolve as (result: IpcResult<unknown>) => void,
      };
      this.pending.set(id, request);
      if (this.linkState === 'up') this.transmit(request);
    });
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    let listeners = this.eventListeners.get(name);
    if (!listeners) {
      listeners = new Set();
      this.eventListeners.set(name, listeners);
    }
    const entry = listener as Listener;
    listeners.add(entry);
    return () => listeners.delete(entry);
  }

  private connect(): void {
    this.setLinkState('connecting');
    let socket: SocketLike;
    try {
      socket = new this.SocketImpl(this.options.url);
    } catch {
      // A malformed URL throws synchronously; treat it like a refused connection.
      this.handleClose();
      return;
    }
    this.socket = socket;
    // Handlers check `this.socket === socket` so a late event from a replaced socket is ignored.
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setLinkState('up');
      for (const request of this.pending.values()) if (!request.sent) this.transmit(request);
    };
    socket.onmessage = (event: { data: unknown }) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.handleClose();
    };
    // An error is always followed by a close; the close is where we act.
    socket.onerror = () => {};
  }

  private transmit(request: PendingRequest): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return;
    request.sent = true;
    socket.send(request.frame);
  }

  private receive(data: unknown): void {
    const frame = parseHostFrame(data);
    if (!frame) return;
    if (frame.kind === 'result') {
      const request = this.pending.get(frame.id);
      if (!request) return;
      this.pending.delete(frame.id);
      request.resolve(frame.result);
      return;
    }
    for (const listener of this.eventListeners.get(frame.name) ?? []) {
      // One failing listener must not keep the event from the others.
      try {
        listener(frame.payload);
      } catch (err) {
        console.error(`listener for ${frame.name} failed`, err);
      }
    }
  }

  private handleClose(): void {
    this.socket = null;
    if (this.closed) return;
    this.setLinkState('down');
    this.failPending('lost connection to the Parley core');
    const delay = this.reconnectDelay(this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.connect();
    }, delay);
  }

  private failPending(message: string): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) request.resolve(unreachable(message));
  }

  private setLinkState(state: LinkState): void {
    if (this.linkState === state) return;
    this.linkState = state;
    for (const listener of this.linkListeners) listener(state);
  }
}
