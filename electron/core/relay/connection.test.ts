import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../../shared/protocol';
import type { ConnectionView } from '../../../shared/ipc';
import { silentLogger } from '../logger';
import { FakeRelay, unusedRelayUrl } from '../testing/fakeRelay';
import { waitFor } from '../testing/waitFor';
import { RelayConnection, type RelaySessionHooks } from './connection';

const relays: FakeRelay[] = [];
const connections: RelayConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.stop();
  for (const relay of relays.splice(0)) await relay.close();
});

const fastBackoff = { baseMs: 5, capMs: 20 };

function connect(url: string, hooks: Partial<RelaySessionHooks> = {}) {
  const states: ConnectionView[] = [];
  let onlineCount = 0;
  const connection = new RelayConnection({
    url,
    logger: silentLogger,
    backoff: fastBackoff,
    hooks: {
      authenticate: async (socket) => {
        await socket.request({
          t: 'login',
          v: 1,
          identityKey: new Uint8Array(32),
          sig: new Uint8Array(64),
        });
      },
      onMessage: () => {},
      onOnline: () => onlineCount++,
      ...hooks,
    },
  });
  connection.onChange((view) => states.push(view));
  connections.push(connection);
  connection.start();
  return { connection, states, onlineCount: () => onlineCount };
}

describe('relay connection', () => {
  it('signs in, syncs, and reports online', async () => {
    const relay = await FakeRelay.start();
    relays.push(relay);
    const { connection, states, onlineCount } = connect(relay.url);
    await waitFor(() => connection.isOnline(), 'online');
    expect(states.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(relay.connections[0]!.received.map((f) => f.t)).toEqual(['login', 'sync']);
    expect(onlineCount()).toBe(1);
    expect(connection.view()).toEqual({ state: 'online', relayUrl: relay.url });
  });

  it('reconnects after the relay drops it, announcing the retry delay while offline', async () => {
    const relay = await FakeRelay.start();
    relays.push(relay);
    const { connection, states, onlineCount } = connect(relay.url);
    await waitFor(() => connection.isOnline(), 'online');
    relay.connections[0]!.ws.terminate();
    await waitFor(() => onlineCount() === 2, 'second session');
    expect(relay.connections).toHaveLength(2);
    const offline = states.find((s) => s.state === 'offline');
    expect(offline?.retryInMs).toBeGreaterThanOrEqual(0);
    expect(offline?.retryInMs).toBeLessThan(fastBackoff.baseMs);
  });

  it('keeps retrying while the relay is unreachable', async () => {
    const { connection, states } = connect(await unusedRelayUrl());
    await waitFor(() => states.filter((s) => s.state === 'offline').length >= 3, 'three failed attempts');
    expect(connection.isOnline()).toBe(false);
  });

  it('drops a connection that went silent and connects again', async () => {
    // This relay answers sign-in and sync, then never says anything again (no pongs either).
    const relay = await FakeRelay.start({
      heartbeatMs: 40,
      answer: (frame) => (frame.t === 'ping' ? undefined : FakeRelay.defaultAnswer(frame)),
    });
    relays.push(relay);
    const { onlineCount } = connect(relay.url);
    await waitFor(() => onlineCount() >= 2, 'a fresh session after the silent one');
    expect(relay.connections[0]!.received.some((f) => f.t === 'ping')).toBe(true);
  });

  it('gives up on a connection whose sign-in fails, and retries', async () => {
    let logins = 0;
    const relay = await FakeRelay.start({
      answer: (frame) => {
        if (frame.t === 'login' && ++logins === 1) {
          return { t: 'err', re: frame.id, code: 'internal', message: 'try again' };
        }
        return FakeRelay.defaultAnswer(frame);
      },
    });
    relays.push(relay);
    const { connection } = connect(relay.url);
    await waitFor(() => connection.isOnline(), 'online on the second attempt');
    expect(logins).toBe(2);
  });

  it('stops reconnecting when a newer session of this device replaced it', async () => {
    const relay = await FakeRelay.start();
    relays.push(relay);
    const { connection } = connect(relay.url);
    await waitFor(() => connection.isOnline(), 'online');
    relay.connections[0]!.ws.close(CLOSE_CODES.sessionReplaced, 'session_replaced');
    await waitFor(() => connection.view().state === 'offline' && connection.view().retryInMs === undefined, 'given up');
    expect(relay.connections).toHaveLength(1);
  });

  it('refuses requests while offline with a disconnected error', async () => {
    const { connection } = connect(await unusedRelayUrl());
    await expect(connection.request({ t: 'search', prefix: 'a' })).rejects.toMatchObject({ code: 'disconnected' });
  });
});
