/**
 * The host-mode client against a real WebSocket server (the `ws` package, as the host
 * uses), speaking the frames of shared/ipc/hostWire.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { HostRequestFrame } from '../../../shared/ipc/hostWire';
import { HostBridgeClient, type SocketConstructor } from './hostBridgeClient';
import type { LinkState } from './link';

/** The arguments of the next `name` event (the renderer's lint keeps node:events out, even from tests). */
function once(emitter: { once(name: string, listener: (...args: unknown[]) => void): unknown }, name: string) {
  return new Promise<unknown[]>((resolve) => emitter.once(name, (...args) => resolve(args)));
}

interface TestHost {
  server: WebSocketServer;
  url: string;
  /** Requests as the host received them, in order. */
  requests: HostRequestFrame[];
  /** Resolves with the next socket that connects. */
  nextConnection(): Promise<WebSocket>;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function startHost(answer?: (frame: HostRequestFrame, socket: WebSocket) => void): Promise<TestHost> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const requests: HostRequestFrame[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as HostRequestFrame;
      requests.push(frame);
      answer?.(frame, socket);
    });
  });
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `ws://127.0.0.1:${port}/bridge?token=t0k3n`,
    requests,
    nextConnection: async () => (await once(server, 'connection'))[0] as WebSocket,
  };
}

function startClient(url: string, reconnectDelay: (attempt: number) => number = () => 0): HostBridgeClient {
  const client = new HostBridgeClient({
    url,
    WebSocket: WebSocket as unknown as SocketConstructor,
    reconnectDelay,
  });
  cleanups.push(() => client.close());
  return client;
}

/** Resolves when the client's link reaches `state`. */
function linkReaches(client: HostBridgeClient, state: LinkState): Promise<void> {
  if (client.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = client.subscribe((now) => {
      if (now === state) {
        unsubscribe();
        resolve();
      }
    });
  });
}

const echo = (frame: HostRequestFrame, socket: WebSocket) =>
  socket.send(JSON.stringify({ id: frame.id, result: { ok: true, value: { echoed: frame.name } } }));

describe('HostBridgeClient', () => {
  it('connects with the token in the URL and matches results to requests by id', async () => {
    // Answers in reverse order of arrival, once two requests are in.
    const held: Array<{ frame: HostRequestFrame; socket: WebSocket }> = [];
    const host = await startHost((frame, socket) => {
      held.push({ frame, socket });
      if (held.length < 2) return;
      for (const { frame: f, socket: s } of held.reverse()) {
        s.send(JSON.stringify({ id: f.id, result: { ok: true, value: { name: f.name } } }));
      }
    });
    const client = startClient(host.url).start();

    const status = client.invoke('session.status', {});
    const chats = client.invoke('chats.list', {});
    expect(await status).toEqual({ ok: true, value: { name: 'session.status' } });
    expect(await chats).toEqual({ ok: true, value: { name: 'chats.list' } });
    expect(host.requests.map((r) => [r.name, r.input])).toEqual([
      ['session.status', {}],
      ['chats.list', {}],
    ]);
    expect(new Set(host.requests.map((r) => r.id)).size).toBe(2);
  });

  it('sends the token the host checks', async () => {
    const host = await startHost();
    const upgrade = once(host.server, 'connection');
    startClient(host.url).start();
    const [, request] = (await upgrade) as [WebSocket, { url: string }];
    expect(request.url).toBe('/bridge?token=t0k3n');
  });

  it('passes error results through unchanged', async () => {
    const host = await startHost((frame, socket) =>
      socket.send(JSON.stringify({ id: frame.id, result: { ok: false, code: 'username_taken', message: 'taken' } })),
    );
    const client = startClient(host.url).start();
    expect(await client.invoke('session.signUp', { username: 'bob', displayName: 'Bob' })).toEqual({
      ok: false,
      code: 'username_taken',
      message: 'taken',
    });
  });

  it('delivers events to their listeners until they unsubscribe, and ignores malformed frames', async () => {
    const host = await startHost(echo);
    const connected = host.nextConnection();
    const client = startClient(host.url).start();
    const socket = await connected;
    const received: unknown[] = [];
    const unsubscribe = client.on('chat.updated', (chat) => received.push(chat));
    client.on('message.added', () => received.push('wrong event'));

    socket.send('not json');
    socket.send(JSON.stringify({ nonsense: true }));
    socket.send(JSON.stringify({ event: 'chat.updated', payload: { id: 'dm:1' } }));
    // A request round trip orders the assertions after the frames above.
    await client.invoke('chats.list', {});
    expect(received).toEqual([{ id: 'dm:1' }]);

    unsubscribe();
    socket.send(JSON.stringify({ event: 'chat.updated', payload: { id: 'dm:2' } }));
    await client.invoke('chats.list', {});
    expect(received).toEqual([{ id: 'dm:1' }]);
  });

  it('queues requests made while connecting and sends them once the socket opens', async () => {
    const host = await startHost(echo);
    const client = startClient(host.url).start();
    expect(client.state).toBe('connecting');
    expect(await client.invoke('connection.status', {})).toEqual({ ok: true, value: { echoed: 'connection.status' } });
    expect(client.state).toBe('up');
  });

  it('fails in-flight requests when the socket drops, then fails new ones at once while down', async () => {
    // Never answers: the request is in flight when the host goes away.
    const host = await startHost();
    const connected = host.nextConnection();
    // A long reconnect delay keeps the link down for the rest of the test (close() cancels it).
    const client = startClient(host.url, () => 60_000).start();
    const socket = await connected;
    await linkReaches(client, 'up');

    const inFlight = client.invoke('chats.list', {});
    while (host.requests.length === 0) await once(socket, 'message');
    socket.terminate();

    expect(await inFlight).toMatchObject({ ok: false, code: 'offline' });
    expect(client.state).toBe('down');
    expect(await client.invoke('session.status', {})).toMatchObject({
      ok: false,
      code: 'offline',
      message: 'lost connection to the Parley core',
    });
  });

  it('reconnects after the socket drops, and works again', async () => {
    const host = await startHost(echo);
    const first = host.nextConnection();
    const client = startClient(host.url).start();
    const socket = await first;
    await linkReaches(client, 'up');
    const states: LinkState[] = [];
    client.subscribe((state) => states.push(state));
    socket.terminate();

    await linkReaches(client, 'down');
    await linkReaches(client, 'up');
    expect(states).toEqual(['down', 'connecting', 'up']);
    expect(await client.invoke('chats.list', {})).toEqual({ ok: true, value: { echoed: 'chats.list' } });
  });

  it('reports the link down when nothing listens, and stops retrying once closed', async () => {
    const host = await startHost();
    const url = host.url;
    await new Promise<void>((resolve) => host.server.close(() => resolve()));
    let attempts = 0;
    const client = startClient(url, () => {
      attempts += 1;
      return 60_000;
    }).start();
    await linkReaches(client, 'down');
    expect(attempts).toBe(1);
    client.close();
    expect(await client.invoke('chats.list', {})).toMatchObject({ ok: false, code: 'offline' });
  });
});
