/**
 * A WebSocket man-in-the-middle between a core and the relay, for tests that need a network
 * fault at an exact protocol moment (e.g. "the relay committed the send but the answer
 * never arrived"). It forwards frames unchanged and lets the test inspect each relay →
 * client frame and decide to cut the connection instead of delivering it.
 */
import { WebSocket, WebSocketServer } from 'ws';
import { decodeClientFrame, decodeServerFrame, type ClientFrame, type ServerFrame } from '../../../shared/protocol';

export type ServerFrameVerdict = 'forward' | 'cut';

export class FrameProxy {
  /** Frames the relay sent towards clients (decoded), in order, including cut ones. */
  readonly serverFrames: ServerFrame[] = [];
  /** Frames clients sent towards the relay (decoded), in order, with the 1-based number of their connection. */
  readonly clientFrames: Array<{ connection: number; frame: ClientFrame }> = [];
  private connections = 0;
  /** Decides the fate of each relay → client frame. */
  inspect: (frame: ServerFrame) => ServerFrameVerdict = () => 'forward';
  private readonly pairs = new Set<{ client: WebSocket; upstream: WebSocket }>();

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
    private readonly upstreamUrl: string,
  ) {
    wss.on('connection', (client) => this.bridge(client));
  }

  static async start(upstreamUrl: string): Promise<FrameProxy> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const { port } = wss.address() as { port: number };
    return new FrameProxy(wss, `ws://127.0.0.1:${port}${new URL(upstreamUrl).pathname}`, upstreamUrl);
  }

  private bridge(client: WebSocket): void {
    const connection = ++this.connections;
    const upstream = new WebSocket(this.upstreamUrl);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const early: Buffer[] = [];
    const cut = () => {
      client.terminate();
      upstream.terminate();
      this.pairs.delete(pair);
    };
    upstream.on('open', () => {
      for (const data of early.splice(0)) upstream.send(data);
    });
    client.on('message', (data: Buffer) => {
      const decoded = decodeClientFrame(data);
      if (decoded.ok) this.clientFrames.push({ connection, frame: decoded.frame });
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else early.push(data);
    });
    upstream.on('message', (data: Buffer) => {
      const decoded = decodeServerFrame(data);
      if (decoded.ok) {
        this.serverFrames.push(decoded.frame);
        if (this.inspect(decoded.frame) === 'cut') {
          cut();
          return;
        }
      }
      if (client.readyState === WebSocket.OPEN) client.send(data);
    });
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('error', cut);
    upstream.on('error', cut);
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.terminate();
      upstream.terminate();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
