/**
 * One client WebSocket on the relay: the handshake, inbound frame checks (type, size,
 * schema, rate), the serial request loop, the delivery pump and the heartbeat.
 *
 * Requests of one connection are handled in arrival order (a `send` that arrives first gets
 * the lower seq), while different connections proceed independently: a misbehaving client
 * costs only its own connection. `send` and `ack` are pipelined: each one starts as soon as
 * the previous one has handed its write to storage, which applies writes in call order and
 * commits a loop turn's writes together (group commit); their answers still wait for that
 * commit. Every other request waits until all earlier ones are answered, as if serial.
 *
 * Second connection of the same device: the newest session wins. When a connection signs in
 * it announces itself on the device's bus topic; an older connection of that device hears it
 * and closes with CLOSE_CODES.sessionReplaced, so a single-device messenger never has two
 * live sessions competing for one queue — on one relay node or several.
 */
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  decodeClientFrame,
  type ClientFrame,
  type ErrorCode,
  type PublicUser,
} from '../../../shared/protocol';
import { newChallenge } from '../auth/signatures';
import { deviceTopic, type BusMessage, type BusSubscription } from '../bus/bus';
import { ChannelListener } from '../channels/hub';
import { DeliveryPump } from '../delivery/pump';
import type { RelayServices, RequestContext } from '../handlers/context';
import { dispatch } from '../handlers/dispatch';
import { RelayError } from '../handlers/relayError';
import { describeError } from '../log/logger';
import type { Account } from '../storage/storage';
import { FrameChannel } from './frameChannel';
import { TokenBucket } from './tokenBucket';

/** Undecodable or invalid frames tolerated before the connection is closed. */
export const MAX_BAD_FRAMES = 20;
/** A connection silent for this many heartbeat intervals is closed. */
const IDLE_HEARTBEATS = 3;
/**
 * Requests waiting on one connection before the relay stops reading its socket. TCP then
 * pushes back on the client, instead of the relay buffering up to a rate-limit burst of
 * maximum-size frames per connection.
 */
const MAX_PENDING_REQUESTS = 32;
/**
 * Requests whose handler issues one storage write before its first `await` and otherwise
 * only answers (see handleSend): the next request need not wait for their commit.
 */
const PIPELINED: ReadonlySet<ClientFrame['t']> = new Set(['send', 'ack']);

export class RelayConnection {
  readonly id = randomBytes(6).toString('hex');
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;

  private readonly channel: FrameChannel;
  private readonly channelListener: ChannelListener;
  private readonly context: RequestContext;
  private readonly challenge = newChallenge();
  private readonly rate: TokenBucket;
  private session: Account | undefined;
  private openedAt = 0;
  private subscription: BusSubscription | undefined;
  private pump: DeliveryPump | undefined;
  private badFrames = 0;
  private lastActivity: number;
  private closing = false;
  /** Tail of the request chain: resolves when the next request may start. */
  private requests: Promise<void> = Promise.resolve();
  /** Pipelined requests started and not yet answered. */
  private readonly pipelined = new Set<Promise<void>>();
  private pendingRequests = 0;
  /** Other work started by this connection (bus calls), awaited before the relay closes. */
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly ws: WebSocket,
    private readonly services: RelayServices,
  ) {
    const { limits, now } = services;
    this.lastActivity = now();
    this.rate = new TokenBucket(limits.ratePerSecond, limits.rateBurst, now);
    this.channel = new FrameChannel(ws, limits.sendBufferHardLimit, () => this.onSlowConsumer());
    this.channelListener = new ChannelListener(ws, (frame) => this.channel.send(frame));
    this.context = this.createContext();
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => this.touch());
    ws.on('error', (error) => services.logger.debug('socket error', { conn: this.id, error: describeError(error) }));
    ws.once('close', (code) => this.onClose(code));
  }

  /** Greets the client with the challenge and the limits it must respect. */
  start(): void {
    const { limits, now } = this.services;
    this.channel.send({
      t: 'hello',
      v: PROTOCOL_VERSION,
      challenge: this.challenge,
      serverTime: now(),
      limits: {
        maxFrameBytes: limits.maxFrameBytes,
        maxBodyBytes: limits.maxBodyBytes,
        ratePerSecond: limits.ratePerSecond,
        rateBurst: limits.rateBurst,
        heartbeatMs: limits.heartbeatMs,
      },
    });
  }

  /** Called every heartbeat interval: ping a live peer, close a silent one. */
  heartbeat(): void {
    if (this.closing) return;
    const silentMs = this.services.now() - this.lastActivity;
    if (silentMs > IDLE_HEARTBEATS * this.services.limits.heartbeatMs) {
      this.services.logger.info('closing idle connection', { conn: this.id, silentMs });
      this.closeWith(CLOSE_CODES.idleTimeout, 'idle_timeout', {
        code: 'idle_timeout',
        message: `no frame or pong for ${silentMs} ms`,
      });
      return;
    }
    this.ws.ping();
  }

  /** The relay is closing: tell the client why, then close. */
  shutdown(): void {
    this.closeWith(CLOSE_CODES.goingAway, 'shutting_down', {
      code: 'shutting_down',
      message: 'the relay is shutting down; reconnect later',
    });
  }

  /** Drops the socket without waiting for the peer (it did not complete the close handshake). */
  terminate(): void {
    this.channel.terminate();
  }

  /** Resolves when no request, delivery or bus call of this connection is still running. */
  async settled(): Promise<void> {
    await this.requests;
    await Promise.all(this.pipelined);
    await this.pump?.idle();
    await Promise.allSettled([...this.background]);
  }

  // ------------------------------------------------------------------ inbound frames

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    this.touch();
    if (this.closing) return;
    if (!isBinary) {
      this.rejectFrame('bad_frame', 'text frames are not accepted; send binary MessagePack frames');
      return;
    }
    const bytes = toBytes(data);
    const { maxFrameBytes } = this.services.limits;
    if (bytes.byteLength > maxFrameBytes) {
      this.rejectFrame('frame_too_large', `frame of ${bytes.byteLength} bytes exceeds ${maxFrameBytes}`);
      return;
    }
    const decoded = decodeClientFrame(bytes);
    if (!decoded.ok) {
      this.rejectFrame(decoded.code, decoded.message, decoded.re);
      return;
    }
    const frame = decoded.frame;
    const allowance = this.rate.take();
    if (!allowance.allowed) {
      this.channel.send({
        t: 'err',
        re: frame.id,
        code: 'rate_limited',
        message: 'too many frames on this connection',
        retryAfterMs: allowance.retryAfterMs,
      });
      return;
    }
    this.enqueue(frame);
  }

  private enqueue(frame: ClientFrame): void {
    this.pendingRequests++;
    if (this.pendingRequests >= MAX_PENDING_REQUESTS && !this.ws.isPaused) this.ws.pause();
    const pipelined = PIPELINED.has(frame.t);
    this.requests = this.requests.then(async () => {
      if (pipelined) {
        // handle() has issued its storage write when it returns; the next request may start.
        const answered = this.handleCounted(frame);
        this.pipelined.add(answered);
        void answered.finally(() => this.pipelined.delete(answered));
        return;
      }
      await Promise.all(this.pipelined);
      await this.handleCounted(frame);
    });
  }

  /** handle(), counted in pendingRequests until answered. Never rejects. */
  private handleCounted(frame: ClientFrame): Promise<void> {
    return this.handle(frame).finally(() => {
      this.pendingRequests--;
      // Working through its requests counts as activity while its socket is not read.
      this.touch();
      if (this.ws.isPaused && this.pendingRequests <= MAX_PENDING_REQUESTS / 2) this.ws.resume();
    });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (this.closing) return;
    try {
      await dispatch(this.context, frame);
    } catch (error) {
      if (error instanceof RelayError) {
        this.channel.send({ t: 'err', re: frame.id, code: error.code, message: error.message });
        if (error.closeCode !== undefined) this.closeWith(error.closeCode, error.code);
        return;
      }
      this.services.logger.error('request failed', { conn: this.id, frame: frame.t, error: describeError(error) });
      this.channel.send({ t: 'err', re: frame.id, code: 'internal', message: 'the relay failed; nothing was stored' });
    }
  }

  private rejectFrame(code: ErrorCode, message: string, re?: number): void {
    this.badFrames++;
    this.channel.send({ t: 'err', code, message, ...(re !== undefined ? { re } : {}) });
    if (this.badFrames >= MAX_BAD_FRAMES) {
      this.services.logger.info('closing connection after repeated bad frames', { conn: this.id });
      this.closeWith(CLOSE_CODES.tooManyBadFrames, 'too_many_bad_frames');
    }
  }

  private touch(): void {
    this.lastActivity = this.services.now();
  }

  // ------------------------------------------------------------------ session

  private createContext(): RequestContext {
    const currentSession = (): Account | undefined => this.session;
    return {
      services: this.services,
      connectionId: this.id,
      challenge: this.challenge,
      get session() {
        return currentSession();
      },
      signIn: (account) => this.signIn(account),
      updateSessionUser: (user) => this.updateSessionUser(user),
      reply: (frame) => this.channel.send(frame),
      channelListener: this.channelListener,
      startDelivery: () => this.pump?.start(),
      acknowledged: (eids) => this.pump?.acknowledged(eids),
    };
  }

  private async signIn(account: Account): Promise<void> {
    const { bus, storage, limits, now, logger } = this.services;
    const topic = deviceTopic(account.deviceId);
    const subscription = await bus.subscribe(topic, (message) => this.onBusMessage(message));
    if (this.closing) {
      // The socket closed while subscribing; the client will never see this session.
      await subscription.unsubscribe();
      return;
    }
    this.subscription = subscription;
    this.session = account;
    this.openedAt = now();
    this.pump = new DeliveryPump({
      deviceId: account.deviceId,
      storage,
      sink: this.channel,
      window: limits.deliveryWindow,
      highWater: limits.sendBufferHighWater,
      now,
      onFailure: (error) => {
        logger.error('delivery failed', { conn: this.id, error: describeError(error) });
        // Closing makes the client reconnect and sync again: nothing is lost, the queue stays.
        this.closeWith(1011, 'internal', { code: 'internal', message: 'delivery failed; reconnect' });
      },
    });
    await this.announceSession();
  }

  private updateSessionUser(user: PublicUser): void {
    if (this.session) this.session = { ...this.session, user };
  }

  private announceSession(): Promise<void> {
    if (!this.session) return Promise.resolve();
    return this.services.bus.publish(deviceTopic(this.session.deviceId), {
      kind: 'session_opened',
      sessionId: this.id,
      openedAt: this.openedAt,
    });
  }

  private onBusMessage(message: BusMessage): void {
    if (this.closing) return;
    switch (message.kind) {
      case 'envelopes':
        this.pump?.wake();
        return;
      case 'contact_rekeyed':
        if (this.session) this.channel.send({ t: 'keyChanged', userId: message.userId });
        return;
      case 'session_opened': {
        if (message.sessionId === this.id || !this.session) return;
        const theirsIsNewer =
          message.openedAt > this.openedAt || (message.openedAt === this.openedAt && message.sessionId > this.id);
        if (theirsIsNewer) {
          this.services.logger.info('session replaced by a newer connection', { conn: this.id });
          this.closeWith(CLOSE_CODES.sessionReplaced, 'session_replaced');
        } else {
          // An older session is still open (it subscribed after we announced): announce
          // again so it hears about us and steps down.
          this.runInBackground(this.announceSession());
        }
        return;
      }
    }
  }

  // ------------------------------------------------------------------ closing

  private onSlowConsumer(): void {
    this.services.logger.info('closing slow consumer', { conn: this.id, buffered: this.channel.bufferedAmount });
    this.closeWith(CLOSE_CODES.slowConsumer, 'slow_consumer');
  }

  /** Closes once; `error` is sent first so the client learns the reason as an error code too. */
  private closeWith(code: number, reason: string, error?: { code: ErrorCode; message: string }): void {
    if (this.closing) return;
    this.closing = true;
    this.pump?.stop();
    if (error) this.channel.send({ t: 'err', ...error });
    this.channel.close(code, reason);
  }

  private onClose(code: number): void {
    this.closing = true;
    this.pump?.stop();
    this.services.channels.hub.detachAll(this.channelListener);
    this.services.groups.hub.detach(this.id, this.session?.user.userId);
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription) this.runInBackground(subscription.unsubscribe());
    this.services.logger.debug('connection closed', { conn: this.id, code });
  }

  private runInBackground(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.services.logger.warn('bus call failed', { conn: this.id, error: describeError(error) }),
      )
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
