/**
 * The baseline: a bare `ws` echo server on loopback. One round trip through it crosses two
 * sockets, as one message does through the relay (sender → relay → recipient).
 */
import { WebSocket, WebSocketServer } from 'ws';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { now } from './stats';

export async function measureWsEcho(payloadBytes: number, latencyRounds: number, throughputCount: number) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  server.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const { port } = server.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await once(client, 'open');
  const payload = new Uint8Array(payloadBytes).fill(7);

  const latencies: number[] = [];
  for (let i = 0; i < latencyRounds; i++) {
    const start = now();
    const echoed = once(client, 'message');
    client.send(payload);
    await echoed;
    latencies.push(now() - start);
  }

  let received = 0;
  const allBack = new Promise<void>((resolve) =>
    client.on('message', () => {
      if (++received === throughputCount) resolve();
    }),
  );
  const start = now();
  for (let i = 0; i < throughputCount; i++) client.send(payload);
  await allBack;
  const seconds = (now() - start) / 1000;

  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { latencies, perSecond: throughputCount / seconds };
}
