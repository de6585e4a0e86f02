/**
 * One WebSocket connection to the relay: waits for `hello`, numbers requests and matches
 * each answer by `re` (with a timeout), paces frames to the announced rate limit, and
 * hands pushed `msg` frames to a listener. It knows nothing about accounts or reconnecting;
 * RelayConnection supervises a sequence of these.
 */
import WebSocket from 'ws';
import { decodeServerFrame, encodeFrame, LIMITS, PROTOCOL_VERSION, type ServerFrame } from '../../../shared/protocol';
import type { ChannelPushFrame } from '../channels/frames';
import type { GroupPushFrame } from '../groups/frames';
import type { Logger } from '../api';
import { describeError } from '../logger';
import type { ErrFrame, HelloFrame, MsgFrame, RelayRequest, RelayResponse } from './frames';
import { RESPONSE_TYPE } from './frames';
import { RelayError } from './relayError';
import { TokenBucket } from './tokenBucket';

export interface RelaySocketOptions {
  logger: Logger;
  /** Connect + hello must complete within this. */
  handshakeTimeoutMs?: number;
  /** Default time to wait for the answer to a request. */
  requestTimeoutMs?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface CloseInfo {
  code: number;
  reason: string;
}

interface PendingRequest {
  expect: ServerFrame['t'];
  requestType: string;
  resolve(frame: ServerFrame): void;
  reject(err: RelayError): void;
  timer: NodeJS.Timeout;
}

export class RelaySocket {
  /** Opens a connection and resolves once the relay's hello (of our protocol version) arrived. */
  static async open(url: string, options: RelaySocketOptions): Promise<RelaySocket> {
    const socket = RelaySocket.connect(url, options);
    await socket.handshake();
    return socket;
  }

  /** Starts connecting; `handshake()` then waits for hello. Lets a caller abort early with terminate(). */
  static connect(url: string, options: RelaySocketOptions): RelaySocket {
    return new RelaySocket(url, options);
  }

  /** The relay's hello; set once `open` resolved. */
  hello!: HelloFrame;
  /** Resolves when the connection is gone (for whatever reason). Never rejects. */
  readonly closed: Promise<CloseInfo>;
  /** Last time anything arrived from the relay (frames, WebSocket pings/pongs). */
  lastHeardAt = Date.now();
  /** Last time we wrote a frame. */
  lastSentAt = Date.now();

  private readonly ws: WebSocket;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly ready: Promise<void>;
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  private open = false;
  private bucket: TokenBucket | null = null;
  private sendTail: Promise<void> = Promise.resolve();
  private pushListener: ((msg: MsgFrame) => void) | null = null;
  private keyChangedListener: ((userId: string) => void) | null = null;
  private channelPushListener: ((frame: ChannelPushFrame) => void) | null = null;
  private groupPushListener: ((frame: GroupPushFrame) => void) | null = null;
  private settleHello: { resolve(): void; reject(err: RelayError): void } | null = null;

  private constructor(url: string, options: RelaySocketOptions) {
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;

    this.ready = new Promise<void>((resolve, reject) => {
      this.settleHello = { resolve, reject };
    });
    // Callers await `ready` through handshake(); mark it handled so an early failure is not "unhandled".
    this.ready.catch(() => {});

    this.ws = new WebSocket(url, {
      maxPayload: LIMITS.maxFrameBytes,
      handshakeTimeout: handshakeTimeoutMs,
      perMessageDeflate: false,
    });
    const helloTimer = setTimeout(
      () => this.failHello(new RelayError('timeout', `relay did not say hello within ${handshakeTimeoutMs} ms`)),
      handshakeTimeoutMs,
    );
    helloTimer.unref();

    this.closed = new Promise<CloseInfo>((resolve) => {
      this.ws.on('close', (code, reason) => {
        clearTimeout(helloTimer);
        this.open = false;
        const info = { code, reason: reason.toString('utf8') };
        this.failHello(new RelayError('disconnected', `connection closed before hello (${code})`));
        this.rejectAllPending(new RelayError('disconnected', `connection to the relay closed (${code})`));
        resolve(info);
      });
    });

    this.ws.on('open', () => {
      this.open = true;
    });
    this.ws.on('error', (err) => {
      // 'close' always follows; this only records why.
      this.failHello(new RelayError('disconnected', `cannot reach the relay: ${describeError(err)}`));
      this.logger.debug('relay socket error', { error: describeError(err) });
    });
    this.ws.on('ping', () => this.heard());
    this.ws.on('pong', () => this.heard());
    this.ws.on('message', (data, isBinary) => {
      this.heard();
      if (!isBinary) {
        this.logger.warn('relay sent a text frame; ignored');
        return;
      }
      this.onFrame(toBytes(data), helloTimer);
    });
  }

  /** Resolves once hello arrived; rejects (and drops the connection) if it does not. */
  async handshake(): Promise<void> {
    try {
      await this.ready;
    } catch (err) {
      this.terminate();
      throw err;
    }
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Receives every `keyChanged` hint (a conversation partner replaced its keys) from now on. */
  onKeyChanged(listener: (userId: string) => void): void {
    this.keyChangedListener = listener;
  }

  /** Receives every channel push (chanPush, chanPinned, chanAvatar, chanAdminChange, chanResync) from now on. */
  onChannelPush(listener: (frame: ChannelPushFrame) => void): void {
    this.channelPushListener = listener;
  }

  /** Receives every group push (gMsg, gChanged, gJoinReq, gTyping) from now on. */
  onGroupPush(listener: (frame: GroupPushFrame) => void): void {
    this.groupPushListener = listener;
  }

  /** Receives every pushed `msg` frame from now on. */
  onPush(listener: (msg: MsgFrame) => void): void {
    this.pushListener = listener;
  }

  /**
   * Sends a request and resolves with its answer. Rejects with RelayError: the relay's own
   * code when it answered `err`, or disconnected / timeout / protocol.
   */
  async request<F extends RelayRequest>(frame: F, timeoutMs = this.requestTimeoutMs): Promise<RelayResponse<F['t']>> {
    await this.waitForSendTurn();
    if (!this.open) throw new RelayError('disconnected', 'not connected to the relay');
    const id = this.nextId++;
    const expect = RESPONSE_TYPE[frame.t];
    return new Promise<RelayResponse<F['t']>>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) {
          reject(new RelayError('timeout', `the relay did not answer ${frame.t} within ${timeoutMs} ms`));
        }
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, {
        expect,
        requestType: frame.t,
        resolve: (answer) => resolve(answer as RelayResponse<F['t']>),
        reject,
        timer,
      });
      this.lastSentAt = Date.now();
      this.ws.send(encodeFrame({ ...frame, id } as Parameters<typeof encodeFrame>[0]), (err) => {
        if (err) this.settle(id, new RelayError('disconnected', `could not send ${frame.t}: ${describeError(err)}`));
      });
    });
  }

  /** Closes politely (the relay sees a normal close); forces it if that does not finish soon. */
  close(): void {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.terminate();
      return;
    }
    this.ws.close(1000, 'client closing');
    const force = setTimeout(() => this.ws.terminate(), 1_000);
    force.unref();
    void this.closed.then(() => clearTimeout(force));
  }

  /** Drops the connection at once (dead peer, or the caller gives up on it). */
  terminate(): void {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }

  private heard(): void {
    this.lastHeardAt = Date.now();
  }

  /** Frames leave in request order, each after the rate limiter allows it. */
  private async waitForSendTurn(): Promise<void> {
    const reservedAt = Date.now();
    const wait = this.bucket?.reserve(reservedAt) ?? 0;
    const turn = this.sendTail.then(() => sleepUntil(reservedAt + wait));
    this.sendTail = turn;
    await turn;
  }

  private onFrame(data: Uint8Array, helloTimer: NodeJS.Timeout): void {
    const decoded = decodeServerFrame(data);
    if (!decoded.ok) {
      // The decoder's message names the failing field and rule, never the content.
      this.logger.warn('relay sent an invalid frame; ignored', { code: decoded.code, detail: decoded.message });
      return;
    }
    const frame = decoded.frame;
    if (!this.hello) {
      clearTimeout(helloTimer);
      if (frame.t !== 'hello') {
        this.failHello(new RelayError('protocol', `expected hello, got ${frame.t}`));
        this.terminate();
      } else if (frame.v !== PROTOCOL_VERSION) {
        this.failHello(
          new RelayError('unsupported_version', `relay speaks protocol v${frame.v}, this client v${PROTOCOL_VERSION}`),
        );
        this.close();
      } else {
        this.hello = frame;
        this.bucket = new TokenBucket(frame.limits.ratePerSecond, frame.limits.rateBurst, Date.now());
        this.settleHello?.resolve();
        this.settleHello = null;
      }
      return;
    }
    switch (frame.t) {
      case 'msg':
        this.pushListener?.(frame);
        return;
      case 'keyChanged':
        this.keyChangedListener?.(frame.userId);
        return;
      case 'chanPush':
      case 'chanPinned':
      case 'chanAvatar':
      case 'chanAdminChange':
      case 'chanResync':
        this.channelPushListener?.(frame);
        return;
      case 'gMsg':
      case 'gChanged':
      case 'gJoinReq':
      case 'gTyping':
        this.groupPushListener?.(frame);
        return;
      case 'err':
        if (frame.re !== undefined) {
          if (frame.code === 'rate_limited') this.bucket?.pause(Date.now(), frame.retryAfterMs ?? 1_000);
          this.settle(frame.re, new RelayError(frame.code, frame.message, frame.retryAfterMs));
        } else {
          this.onConnectionError(frame);
        }
        return;
      case 'hello':
        this.logger.warn('relay sent a second hello; ignored');
        return;
      default:
        this.settle(frame.re, frame);
    }
  }

  private settle(id: number, outcome: ServerFrame | RelayError): void {
    const pending = this.pending.get(id);
    if (!pending) {
      this.logger.debug('relay answered an unknown or expired request', { re: id });
      return;
    }
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof RelayError) pending.reject(outcome);
    else if (outcome.t !== pending.expect && !(pending.requestType === 'gJoin' && outcome.t === 'gJoinPending')) {
      pending.reject(new RelayError('protocol', `relay answered ${pending.requestType} with ${outcome.t}`));
    } else pending.resolve(outcome);
  }

  /** An `err` without `re`: about the connection, not a request. */
  private onConnectionError(frame: ErrFrame): void {
    if (frame.code === 'rate_limited') {
      this.bucket?.pause(Date.now(), frame.retryAfterMs ?? 1_000);
      this.logger.warn('relay rate-limited this connection', { retryAfterMs: frame.retryAfterMs });
    } else if (frame.code === 'shutting_down') {
      this.logger.info('relay is shutting down; will reconnect');
    } else {
      this.logger.warn('relay reported a connection error', { code: frame.code, message: frame.message });
    }
  }

  private failHello(err: RelayError): void {
    this.settleHello?.reject(err);
    this.settleHello = null;
  }

  private rejectAllPending(err: RelayError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(err);
    }
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function sleepUntil(deadline: number): Promise<void> | void {
  const ms = deadline - Date.now();
  if (ms <= 0) return;
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
