import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { FakeRelay, unusedRelayUrl } from '../testing/fakeRelay';
import { RelayError } from './relayError';
import { RelaySocket } from './socket';

const relays: FakeRelay[] = [];
const sockets: RelaySocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  for (const relay of relays.splice(0)) await relay.close();
});

async function start(options: Parameters<typeof FakeRelay.start>[0] = {}) {
  const relay = await FakeRelay.start(options);
  relays.push(relay);
  return relay;
}

async function open(url: string, requestTimeoutMs?: number) {
  const socket = await RelaySocket.open(url, { logger: silentLogger, requestTimeoutMs });
  sockets.push(socket);
  return socket;
}

describe('relay socket', () => {
  it('resolves after hello and exposes the announced limits', async () => {
    const relay = await start({ heartbeatMs: 1234 });
    const socket = await open(relay.url);
    expect(socket.hello.limits.heartbeatMs).toBe(1234);
    expect(socket.hello.challenge.byteLength).toBe(32);
  });

  it('refuses a relay of another protocol version', async () => {
    const relay = await start({ helloVersion: 99 });
    await expect(RelaySocket.open(relay.url, { logger: silentLogger })).rejects.toMatchObject({
      code: 'unsupported_version',
    });
  });

  it('reports an unreachable relay as disconnected', async () => {
    const url = await unusedRelayUrl();
    await expect(RelaySocket.open(url, { logger: silentLogger })).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('matches answers to requests by id, whatever order they come in', async () => {
    const held: Array<() => void> = [];
    const relay = await start({
      answer: (frame, conn) => {
        if (frame.t !== 'search') return undefined;
        held.push(() => conn.send({ t: 'users', re: frame.id, users: [] }));
        if (held.length === 2) {
          // Answer the second search first.
          held[1]!();
          held[0]!();
        }
        return undefined;
      },
    });
    const socket = await open(relay.url);
    const [a, b] = await Promise.all([
      socket.request({ t: 'search', prefix: 'a' }),
      socket.request({ t: 'search', prefix: 'b' }),
    ]);
    const ids = relay.connections[0]!.received.filter((f) => f.t === 'search').map((f) => f.id);
    expect([a.re, b.re]).toEqual(ids);
  });

  it("turns the relay's err into a RelayError with its code and retry hint", async () => {
    const relay = await start({
      answer: (frame) =>
        frame.t === 'search'
          ? { t: 'err', re: frame.id, code: 'rate_limited', message: 'slow down', retryAfterMs: 5 }
          : undefined,
    });
    const socket = await open(relay.url);
    const error = await socket.request({ t: 'search', prefix: 'x' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 5 });
  });

  it('refuses an answer of the wrong type', async () => {
    const relay = await start({ answer: (frame) => (frame.t === 'search' ? { t: 'ok', re: frame.id } : undefined) });
    const socket = await open(relay.url);
    await expect(socket.request({ t: 'search', prefix: 'x' })).rejects.toMatchObject({ code: 'protocol' });
  });

  it('times out a request the relay never answers', async () => {
    const relay = await start({ answer: () => undefined });
    const socket = await open(relay.url, 20);
    await expect(socket.request({ t: 'sync' })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('fails pending requests as disconnected when the connection drops', async () => {
    const relay = await start({ answer: () => undefined });
    const socket = await open(relay.url);
    const pending = socket.request({ t: 'sync' });
    relay.connections[0]!.ws.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    await expect(socket.request({ t: 'sync' })).rejects.toMatchObject({ code: 'disconnected' });
  });

  it('hands pushed msg frames to the listener', async () => {
    const relay = await start();
    const socket = await open(relay.url);
    const pushed = new Promise((resolve) => socket.onPush(resolve));
    relay.connections[0]!.send({
      t: 'msg',
      eid: 7,
      msgId: '0b8e5f3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f',
      from: `u_${'B'.repeat(22)}`,
      seq: 3,
      ts: 1,
      body: new Uint8Array([1, 2, 3]) as never,
    });
    await expect(pushed).resolves.toMatchObject({ eid: 7, seq: 3 });
  });
});
