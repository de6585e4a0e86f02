/**
 * Keeps this device connected and signed in to the relay for as long as the core runs:
 * connect → hello → authenticate (login) → sync → online; when the connection ends, wait a
 * jittered exponential backoff and start over. Also watches liveness: a connection that has
 * been silent for livenessFactor × heartbeatMs is presumed dead (NAT timeout, sleeping
 * laptop) and replaced.
 */
import type { ConnectionView } from '../../../shared/ipc';
import { CLOSE_CODES } from '../../../shared/protocol';
import type { Logger } from '../api';
import type { ChannelPushFrame } from '../channels/frames';
import type { GroupPushFrame } from '../groups/frames';
import { describeError } from '../logger';
import { Backoff, DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff';
import type { HelloFrame, MsgFrame, RelayRequest, RelayResponse } from './frames';
import { RelayError } from './relayError';
import { RelaySocket } from './socket';

export interface RelaySessionHooks {
  /** Signs in on a fresh socket (sends login). Throw to abandon this connection attempt. */
  authenticate(socket: RelaySocket): Promise<void>;
  /** A pushed envelope. Called from authentication on, including before `onOnline`. */
  onMessage(msg: MsgFrame, socket: RelaySocket): void;
  /** Signed in and synced: requests through `request()` work now. */
  onOnline(): void;
  /** The relay hints that this conversation partner replaced its identity keys. */
  onKeyChanged?(userId: string): void;
  /** A channel push (post, pin, resync hint). */
  onChannelPush?(frame: ChannelPushFrame): void;
  /** A group push (message, signed change, join request). */
  onGroupPush?(frame: GroupPushFrame, socket: RelaySocket): void;
}

export interface RelayConnectionOptions {
  url: string;
  logger: Logger;
  hooks: RelaySessionHooks;
  backoff?: BackoffPolicy;
  random?: () => number;
  handshakeTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Heartbeat intervals of silence after which the connection is presumed dead. */
  livenessFactor?: number;
}

export const DEFAULT_LIVENESS_FACTOR = 2.5;

export type ConnectionListener = (view: ConnectionView) => void;

export class RelayConnection {
  private readonly backoff: Backoff;
  private readonly listeners = new Set<ConnectionListener>();
  private current: ConnectionView;
  /** The signed-in, synced socket; null unless online. */
  private onlineSocket: RelaySocket | null = null;
  /** The socket of the attempt in progress (so stop() can cut it short). */
  private attemptSocket: RelaySocket | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private consecutiveFailures = 0;
  /** The relay closed us because a newer session of this device signed in: do not fight it. */
  private replaced = false;

  constructor(private readonly options: RelayConnectionOptions) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_RECONNECT_BACKOFF, options.random);
    this.current = { state: 'offline', relayUrl: options.url };
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.loop || this.stopped) return;
    this.loop = this.run();
  }

  /** Disconnects for good and waits until the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    this.attemptSocket?.close();
    this.onlineSocket?.close();
    await this.loop;
    this.setState({ state: 'offline', relayUrl: this.options.url });
  }

  view(): ConnectionView {
    return this.current;
  }

  isOnline(): boolean {
    return this.onlineSocket !== null;
  }

  onChange(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A request on the online session; RelayError('disconnected') when not online. */
  async request<F extends RelayRequest>(frame: F, timeoutMs?: number): Promise<RelayResponse<F['t']>> {
    const socket = this.onlineSocket;
    if (!socket) throw new RelayError('disconnected', 'not connected to the relay');
    return socket.request(frame, timeoutMs);
  }

  /**
   * A request built from the online connection's hello (for frames that sign its
   * challenge), sent on that same connection.
   */
  async requestSigned<F extends RelayRequest>(
    build: (hello: HelloFrame) => F,
    timeoutMs?: number,
  ): Promise<RelayResponse<F['t']>> {
    const socket = this.onlineSocket;
    if (!socket) throw new RelayError('disconnected', 'not connected to the relay');
    return socket.request(build(socket.hello), timeoutMs);
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.replaced) {
      this.setState({ state: 'connecting', relayUrl: this.options.url });
      try {
        await this.session();
      } catch (err) {
        this.consecutiveFailures++;
        // One warning per outage, not one per retry of a relay that is down for an hour.
        const fields = { error: describeError(err), code: err instanceof RelayError ? err.code : undefined };
        if (this.consecutiveFailures === 1) this.options.logger.warn('relay connection attempt failed', fields);
        else this.options.logger.debug('relay connection attempt failed', fields);
      }
      if (this.stopped || this.replaced) break;
      const delay = this.backoff.next();
      this.setState({ state: 'offline', retryInMs: delay, relayUrl: this.options.url });
      await this.sleep(delay);
    }
    this.setState({ state: 'offline', relayUrl: this.options.url });
  }

  /** One connection, from connect to close. Resolves when a session that got online ends. */
  private async session(): Promise<void> {
    const { url, logger, hooks } = this.options;
    const socket = RelaySocket.connect(url, {
      logger,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
    });
    this.attemptSocket = socket;
    try {
      await socket.handshake();
      if (this.stopped) return;
      socket.onPush((msg) => hooks.onMessage(msg, socket));
      socket.onKeyChanged((userId) => hooks.onKeyChanged?.(userId));
      socket.onChannelPush((frame) => hooks.onChannelPush?.(frame));
      socket.onGroupPush((frame) => hooks.onGroupPush?.(frame, socket));
      await hooks.authenticate(socket);
      await socket.request({ t: 'sync' });
      if (this.stopped || !socket.isOpen) return;
      this.onlineSocket = socket;
      this.consecutiveFailures = 0;
      this.backoff.reset();
      this.setState({ state: 'online', relayUrl: url });
      logger.info('connected to the relay', { relayUrl: url });
      hooks.onOnline();
      const stopWatching = this.watchLiveness(socket);
      const { code, reason } = await socket.closed;
      stopWatching();
      if (code === CLOSE_CODES.sessionReplaced) {
        this.replaced = true;
        logger.warn('this account signed in from another process or device; not reconnecting');
      } else if (!this.stopped) {
        logger.info('relay connection closed', { code, reason: reason.slice(0, 120) });
      }
    } finally {
      this.onlineSocket = null;
      this.attemptSocket = null;
      socket.terminate();
    }
  }

  private watchLiveness(socket: RelaySocket): () => void {
    const heartbeatMs = socket.hello.limits.heartbeatMs;
    const deadAfterMs = heartbeatMs * (this.options.livenessFactor ?? DEFAULT_LIVENESS_FACTOR);
    const timer = setInterval(
      () => {
        const now = Date.now();
        const silentFor = now - socket.lastHeardAt;
        if (silentFor > deadAfterMs) {
          this.options.logger.warn('relay went silent; reconnecting', { silentForMs: silentFor });
          socket.terminate();
          return;
        }
        // Keep both sides' idle timers fed when the conversation is quiet. The answer (or
        // an error) is itself proof of life, so the result does not matter here.
        if (silentFor >= heartbeatMs / 2 || now - socket.lastSentAt >= heartbeatMs) {
          socket.request({ t: 'ping' }).catch(() => {});
        }
      },
      Math.max(1, Math.floor(heartbeatMs / 2)),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    }).finally(() => {
      this.wakeUp = null;
    });
  }

  private setState(view: ConnectionView): void {
    const prev = this.current;
    if (prev.state === view.state && prev.retryInMs === view.retryInMs && prev.relayUrl === view.relayUrl) return;
    this.current = view;
    for (const listener of [...this.listeners]) listener(view);
  }
}
