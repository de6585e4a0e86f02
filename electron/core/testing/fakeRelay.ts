/**
 * A minimal scripted relay for unit tests of the relay client: speaks the wire format
 * (shared codec) but implements no accounts or queues. Tests decide how it answers.
 * The real relay is exercised by the integration tests.
 */
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  decodeClientFrame,
  encodeFrame,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ServerFrame,
} from '../../../shared/protocol';

export interface FakeConnection {
  readonly ws: WebSocket;
  readonly received: ClientFrame[];
  send(frame: ServerFrame): void;
}

export interface FakeRelayOptions {
  heartbeatMs?: number;
  helloVersion?: number;
  /** Answer a frame; return undefined to stay silent. Default: answers login/sync/ping/ack. */
  answer?: (frame: ClientFrame, conn: FakeConnection) => ServerFrame | undefined;
}

export const FAKE_USER = {
  userId: `u_${'A'.repeat(22)}`,
  username: 'alice',
  displayName: 'Alice',
};

export class FakeRelay {
  readonly connections: FakeConnection[] = [];
  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(options: FakeRelayOptions = {}): Promise<FakeRelay> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const { port } = wss.address() as { port: number };
    const relay = new FakeRelay(wss, `ws://127.0.0.1:${port}`);
    wss.on('connection', (ws) => relay.accept(ws, options));
    return relay;
  }

  static defaultAnswer(frame: ClientFrame): ServerFrame | undefined {
    switch (frame.t) {
      case 'login':
        return {
          t: 'session',
          re: frame.id,
          user: {
            ...FAKE_USER,
            identityKey: frame.identityKey,
            dhKey: new Uint8Array(32) as never,
            dhKeySig: new Uint8Array(64) as never,
          },
        };
      case 'prekeys':
        // Stateless: reports what this upload carried, as if the relay had held nothing before.
        return {
          t: 'prekeyState',
          re: frame.id,
          signedPreKeyId: frame.signedPreKey?.id ?? null,
          oneTimeCount: frame.oneTimePreKeys.length,
        };
      case 'bundle':
        return { t: 'err', re: frame.id, code: 'no_prekeys', message: 'no prekeys published yet' };
      case 'rekey':
        return {
          t: 'session',
          re: frame.id,
          user: {
            ...FAKE_USER,
            identityKey: frame.identityKey,
            dhKey: frame.dhKey,
            dhKeySig: frame.dhKeySig,
          },
        };
      case 'sync':
      case 'ping':
      case 'ack':
        return { t: 'ok', re: frame.id };
      case 'keysChanged':
        return { t: 'keysChangedList', re: frame.id, userIds: [], until: Date.now(), more: false };
      default:
        return undefined;
    }
  }

  private accept(ws: WebSocket, options: FakeRelayOptions): void {
    const conn: FakeConnection = {
      ws,
      received: [],
      send: (frame) => ws.send(encodeFrame(frame)),
    };
    this.connections.push(conn);
    ws.on('message', (data) => {
      const decoded = decodeClientFrame(data as Uint8Array);
      if (!decoded.ok) throw new Error(`client sent an invalid frame: ${decoded.message}`);
      conn.received.push(decoded.frame);
      const reply = (options.answer ?? FakeRelay.defaultAnswer)(decoded.frame, conn);
      if (reply) conn.send(reply);
    });
    conn.send({
      t: 'hello',
      v: options.helloVersion ?? PROTOCOL_VERSION,
      challenge: randomBytes(32) as never,
      serverTime: Date.now(),
      limits: {
        maxFrameBytes: 256 * 1024,
        maxBodyBytes: 192 * 1024,
        ratePerSecond: 1_000,
        rateBurst: 1_000,
        heartbeatMs: options.heartbeatMs ?? 15_000,
      },
    });
  }

  async close(): Promise<void> {
    for (const { ws } of this.connections) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** A loopback URL nothing listens on (a port that was free a moment ago). */
export async function unusedRelayUrl(): Promise<string> {
  const relay = await FakeRelay.start();
  const url = relay.url;
  await relay.close();
  return url;
}
