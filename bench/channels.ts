/**
 * Channel fan-out: one 200-byte post to N online subscribers on loopback, from the admin's
 * `chanPost` to the last subscriber's socket receiving the push (deliveries/s, p50/p99 of
 * publish → last delivery), beside a baseline measured in the same run: a bare `ws` server
 * that, on a trigger frame, loops `ws.send(payload)` over the same number of connections
 * (payload = the relay's push frame size). Each server runs in its own child process (the
 * receivers live in this one), which also reports its memory per connected subscriber.
 *
 * The relay's path includes verifying the post's signature and committing it durably to a
 * SQLite file (WAL, synchronous = FULL) before fanning out.
 *
 *   npm run bench -- channels          (options: N=1000,10000 ROUNDS=20)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sodium from 'libsodium-wrappers-sumo';
import WebSocket, { WebSocketServer } from 'ws';
import {
  PROTOCOL_VERSION,
  decodeServerFrame,
  encodeFrame,
  type ClientFrame,
  type ServerFrame,
} from '../shared/protocol';
import { openSqliteStorage, silentLogger, startRelay } from '../server/src';
import { ChannelHub, preFrame } from '../server/src/channels/hub';
import { adminCert, createChannelKeys, postRequest } from '../server/src/testing/channels';
import { createIdentity, signChallenge, type TestIdentity } from '../server/src/testing/identity';
import { Receivers, inBatches, openSocket } from './lib/fanoutClients';
import { ms, now, ratio, summarize, table } from './lib/stats';

const SIZES = (process.env.N ?? '1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const POST_TEXT = 'p'.repeat(200);
const CONNECT_PARALLEL = 200;

type ChildRequest = { kind: 'memory' } | { kind: 'loops' } | { kind: 'stop' };
type ChildReport =
  | { kind: 'ready'; url: string }
  /** Server-side time of each fan-out loop (relay: ChannelHub.publish; baseline: the ws.send loop), ms. */
  | { kind: 'loops'; loops: number[] }
  | { kind: 'memory'; rss: number; heapUsed: number; external: number; arrayBuffers: number };

// ------------------------------------------------------------------ child processes

async function childMain(role: string, payloadBytes: number): Promise<void> {
  const send = (report: ChildReport): void => void process.send?.(report);
  let stop: () => Promise<void>;
  const loops: number[] = [];
  if (role === 'relay') {
    // Time the relay's own fan-out loop (encode once, frame once, write to every socket).
    const publish = ChannelHub.prototype.publish;
    ChannelHub.prototype.publish = function timed(this: ChannelHub, ...args: Parameters<typeof publish>) {
      const start = now();
      const result = publish.apply(this, args);
      loops.push(now() - start);
      return result;
    };
    const dir = mkdtempSync(join(tmpdir(), 'parley-bench-channels-'));
    const storage = openSqliteStorage(join(dir, 'relay.sqlite'));
    const relay = await startRelay({
      port: 0,
      storage,
      logger: silentLogger,
      limits: { ratePerSecond: 1e6, rateBurst: 1e6 },
    });
    stop = async () => {
      await relay.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    };
    send({ kind: 'ready', url: relay.url });
  } else {
    // The baseline: every connection but the trigger's gets `payload` via ws.send, in a loop.
    const payload = Buffer.alloc(payloadBytes, 7);
    // 'preframed': the relay's technique on the bare server (one WebSocket frame built once,
    // written to each raw socket), to separate the technique from the rest of the relay.
    const framed = preFrame(payload);
    const sendTo =
      role === 'preframed'
        ? (client: WebSocket) => (client as unknown as { _socket: { write(b: Buffer): void } })._socket.write(framed)
        : (client: WebSocket) => client.send(payload);
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: true });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.on('connection', (ws) =>
      ws.on('message', () => {
        const start = now();
        for (const client of server.clients) if (client !== ws) sendTo(client);
        loops.push(now() - start);
      }),
    );
    const { port } = server.address() as { port: number };
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
    send({ kind: 'ready', url: `ws://127.0.0.1:${port}` });
  }
  process.on('message', (message: ChildRequest) => {
    if (message.kind === 'memory') {
      for (let i = 0; i < 3; i++) globalThis.gc?.();
      const usage = process.memoryUsage();
      send({
        kind: 'memory',
        rss: usage.rss,
        heapUsed: usage.heapUsed,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
      });
    } else if (message.kind === 'loops') {
      send({ kind: 'loops', loops: loops.splice(0) });
    } else {
      void stop().then(() => process.exit(0));
    }
  });
}

class Child {
  private readonly reports: ChildReport[] = [];
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly process: ChildProcess) {
    process.on('message', (report: ChildReport) => {
      this.reports.push(report);
      for (const waiter of this.waiters.splice(0)) waiter();
    });
  }

  static async start(
    role: 'relay' | 'baseline' | 'preframed',
    payloadBytes = 0,
  ): Promise<{ child: Child; url: string }> {
    const proc = fork(fileURLToPath(import.meta.url), ['child', role, String(payloadBytes)], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child = new Child(proc);
    const ready = await child.next('ready');
    return { child, url: ready.url };
  }

  async memory(): Promise<Extract<ChildReport, { kind: 'memory' }>> {
    this.process.send({ kind: 'memory' } satisfies ChildRequest);
    return this.next('memory');
  }

  /** Server-side loop times since the last call. */
  async loops(): Promise<number[]> {
    this.process.send({ kind: 'loops' } satisfies ChildRequest);
    return (await this.next('loops')).loops;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.send({ kind: 'stop' } satisfies ChildRequest);
    await exited;
  }

  private async next<K extends ChildReport['kind']>(kind: K): Promise<Extract<ChildReport, { kind: K }>> {
    for (;;) {
      const index = this.reports.findIndex((report) => report.kind === kind);
      if (index >= 0) return this.reports.splice(index, 1)[0] as Extract<ChildReport, { kind: K }>;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

// ------------------------------------------------------------------ a minimal protocol client

/** One request/answer on a raw socket (setup only; the measured path does not decode). */
class SetupClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (frame: ServerFrame) => void>();
  hello: Extract<ServerFrame, { t: 'hello' }> | undefined;
  private helloWaiter: (() => void) | undefined;
  listening = true;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      if (!this.listening) return;
      const decoded = decodeServerFrame(new Uint8Array(data));
      if (!decoded.ok) throw new Error(decoded.message);
      const frame = decoded.frame;
      if (frame.t === 'hello') {
        this.hello = frame;
        this.helloWaiter?.();
      } else if ('re' in frame && frame.re !== undefined) {
        this.waiting.get(frame.re)?.(frame);
        this.waiting.delete(frame.re);
      }
    });
  }

  static async connect(url: string): Promise<SetupClient> {
    // Listen before 'open': the relay's hello can arrive in the same read as the upgrade.
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const client = new SetupClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      if (client.hello) resolve();
      else client.helloWaiter = resolve;
    });
    return client;
  }

  request(frame: Record<string, unknown> & { t: string }): Promise<ServerFrame> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(encodeFrame({ ...frame, id } as ClientFrame));
    });
  }

  async register(identity: TestIdentity, username: string): Promise<void> {
    const answer = await this.request({
      t: 'register',
      v: PROTOCOL_VERSION,
      username,
      displayName: username,
      identityKey: identity.identityKey,
      dhKey: identity.dhKey,
      dhKeySig: identity.dhKeySig,
      sig: signChallenge(identity, this.hello!.challenge),
    });
    expectType(answer, 'session');
  }
}

function expectType(frame: ServerFrame, type: ServerFrame['t']): void {
  if (frame.t !== type) throw new Error(`expected ${type}, got ${frame.t === 'err' ? `err ${frame.code}` : frame.t}`);
}

// ------------------------------------------------------------------ measurements

interface Result {
  latencies: number[];
  /** Server-side fan-out loop per round, ms. */
  loops: number[];
  perSecond: number;
  bytesPerSubscriber: number;
  rssPerSubscriber: number;
  pushBytes: number;
}

async function measureRelay(n: number): Promise<Result> {
  await sodium.ready;
  const { child, url } = await Child.start('relay');
  const receivers = new Receivers();
  try {
    const base = await child.memory();
    const admin = await SetupClient.connect(url);
    const adminIdentity = await createIdentity();
    await admin.register(adminIdentity, 'admin');
    const keys = await createChannelKeys();
    const created = await admin.request({
      t: 'chanCreate',
      channelKey: keys.publicKey,
      ownerCert: adminCert(keys, adminIdentity),
      title: 'Bench',
      description: '',
      handle: 'bench',
    });
    if (created.t !== 'channel') throw new Error(`chanCreate: ${created.t}`);
    const channelId = created.info.channelId;

    await inBatches(n, CONNECT_PARALLEL, async (i) => {
      const client = await SetupClient.connect(url);
      await client.register(await createIdentity(), `sub${i}`);
      expectType(await client.request({ t: 'chanSub', channelId }), 'channel');
      client.listening = false;
      receivers.add(client.ws);
    });
    const loaded = await child.memory();

    // Warm up, then measure.
    let pushBytes = 0;
    const latencies: number[] = [];
    let loops: number[] = [];
    let total = 0;
    for (let round = -2; round < ROUNDS; round++) {
      const request = postRequest(adminIdentity, keys.publicKey, channelId, POST_TEXT);
      pushBytes ||= encodeFrame({
        t: 'chanPush',
        channelId,
        post: {
          postId: request.postId,
          seq: 1,
          cseq: 1,
          rev: 0,
          deleted: false,
          body: request.body,
          ts: Date.now(),
          author: adminIdentity.identityKey,
          cert: adminCert(keys, adminIdentity),
          sig: request.sig,
        },
      }).byteLength;
      const all = receivers.expect(n);
      const start = now();
      const answered = admin.request(request);
      const last = await all;
      expectType(await answered, 'chanPosted');
      if (round >= 0) {
        latencies.push(last - start);
        total += last - start;
      }
      if (round === -1) await child.loops();
    }
    loops = await child.loops();
    return {
      latencies,
      loops,
      perSecond: (n * ROUNDS) / (total / 1000),
      bytesPerSubscriber: (loaded.heapUsed + loaded.external - base.heapUsed - base.external) / n,
      rssPerSubscriber: (loaded.rss - base.rss) / n,
      pushBytes,
    };
  } finally {
    await receivers.closeAll();
    await child.stop();
  }
}

async function measureBaseline(
  n: number,
  payloadBytes: number,
  role: 'baseline' | 'preframed' = 'baseline',
): Promise<Result> {
  const { child, url } = await Child.start(role, payloadBytes);
  const receivers = new Receivers();
  try {
    const base = await child.memory();
    const trigger = await openSocket(url);
    await inBatches(n, CONNECT_PARALLEL, async () => receivers.add(await openSocket(url)));
    // Let the server see every connection before the first trigger.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const loaded = await child.memory();
    const latencies: number[] = [];
    let total = 0;
    for (let round = -2; round < ROUNDS; round++) {
      const all = receivers.expect(n);
      const start = now();
      trigger.send(Buffer.from('go'));
      const last = await all;
      if (round >= 0) {
        latencies.push(last - start);
        total += last - start;
      }
      if (round === -1) await child.loops();
    }
    const loops = await child.loops();
    trigger.terminate();
    return {
      latencies,
      loops,
      perSecond: (n * ROUNDS) / (total / 1000),
      bytesPerSubscriber: (loaded.heapUsed + loaded.external - base.heapUsed - base.external) / n,
      rssPerSubscriber: (loaded.rss - base.rss) / n,
      pushBytes: payloadBytes,
    };
  } finally {
    await receivers.closeAll();
    await child.stop();
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  console.log(`\nChannel fan-out: one 200-byte post to N online subscribers, ${ROUNDS} rounds each (loopback)\n`);
  for (const n of SIZES) {
    const relay = await measureRelay(n);
    const baseline = await measureBaseline(n, relay.pushBytes);
    const preframed = await measureBaseline(n, relay.pushBytes, 'preframed');
    const p = summarize(preframed.latencies);
    const pl = summarize(preframed.loops);
    const r = summarize(relay.latencies);
    const b = summarize(baseline.latencies);
    const rl = summarize(relay.loops);
    const bl = summarize(baseline.loops);
    console.log(`N = ${n} (push frame ${relay.pushBytes} bytes)`);
    table([
      ['', 'deliveries/s', 'p50 publish→last', 'p99 publish→last', 'server loop p50', 'heap+ext/sub', 'RSS/sub'],
      [
        'bare ws.send loop (baseline)',
        baseline.perSecond.toFixed(0),
        ms(b.p50),
        ms(b.p99),
        ms(bl.p50),
        kib(baseline.bytesPerSubscriber),
        kib(baseline.rssPerSubscriber),
      ],
      [
        'bare server, pre-framed socket.write loop',
        preframed.perSecond.toFixed(0),
        ms(p.p50),
        ms(p.p99),
        ms(pl.p50),
        kib(preframed.bytesPerSubscriber),
        kib(preframed.rssPerSubscriber),
      ],
      [
        'Parley relay chanPost → subscribers',
        relay.perSecond.toFixed(0),
        ms(r.p50),
        ms(r.p99),
        ms(rl.p50),
        kib(relay.bytesPerSubscriber),
        kib(relay.rssPerSubscriber),
      ],
      [
        'ratio (Parley / baseline)',
        ratio(relay.perSecond, baseline.perSecond),
        ratio(r.p50, b.p50),
        ratio(r.p99, b.p99),
        ratio(rl.p50, bl.p50),
        ratio(relay.bytesPerSubscriber, baseline.bytesPerSubscriber),
        ratio(relay.rssPerSubscriber, baseline.rssPerSubscriber),
      ],
    ]);
    console.log('');
  }
}

if (process.argv[2] === 'child') {
  await childMain(process.argv[3] ?? 'relay', Number(process.argv[4] ?? 0));
} else {
  await main();
}
