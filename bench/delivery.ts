/**
 * 1:1 delivery through a real relay: latency from `messages.send` in core A to the
 * `message.added` event in core B (p50/p99), and throughput for a burst, printed beside a
 * bare `ws` echo baseline measured in the same run on the same machine.
 *
 * The burst row awaits each `messages.send`, so it includes one durable commit per message on
 * the sender. The "outbox drain" row isolates the delivery path: BURST messages written while
 * the sender was offline go out when it starts again (timed from opening the core to the
 * last arrival, connecting and signing in included).
 *
 *   npm run bench -- delivery        (options: ROUNDS=300 BURST=1000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, silentLogger } from '../electron/core';
import type { Core } from '../electron/core/api';
import { openSqliteStorage, startRelay } from '../server/src';
import { measureWsEcho } from './lib/wsEcho';
import { ms, now, ratio, summarize, table } from './lib/stats';

const ROUNDS = Number(process.env.ROUNDS ?? 300);
const BURST = Number(process.env.BURST ?? 1000);
const TEXT = 'x'.repeat(200);
/** Nothing listens here: a core pointed at it stays offline. */
const UNREACHABLE_RELAY = 'ws://127.0.0.1:1/v1/ws';

/** Resolves once the core's relay connection is up (sign-up returns before the session connects). */
async function online(core: Core): Promise<void> {
  if ((await core.handlers['connection.status']({})).state === 'online') return;
  await new Promise<void>((resolve) => {
    const off = core.onEvent((name, payload) => {
      if (name === 'connection.changed' && (payload as { state: string }).state === 'online') {
        off();
        resolve();
      }
    });
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const storage = openSqliteStorage(join(dir, 'relay.sqlite'));
  const relay = await startRelay({ port: 0, storage, limits: { ratePerSecond: 1e6, rateBurst: 1e6 } });
  const cores: Core[] = [];
  try {
    const alice = await createCore({ profileDir: join(dir, 'alice'), relayUrl: relay.url, logger: silentLogger });
    const bob = await createCore({ profileDir: join(dir, 'bob'), relayUrl: relay.url, logger: silentLogger });
    cores.push(alice, bob);
    await alice.handlers['session.signUp']({ username: 'alice', displayName: 'Alice' });
    const bobProfile = await bob.handlers['session.signUp']({ username: 'bob', displayName: 'Bob' });
    await Promise.all([online(alice), online(bob)]);
    const chat = await alice.handlers['chats.openDirect']({ userId: bobProfile.userId });

    // Arrival times at Bob, by message text.
    const arrivals = new Map<string, (t: number) => void>();
    bob.onEvent((name, payload) => {
      if (name !== 'message.added') return;
      const text = (payload as { text: string }).text;
      arrivals.get(text)?.(now());
    });
    const arrival = (text: string) => new Promise<number>((resolve) => arrivals.set(text, resolve));

    const latencies: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const text = `${i}:${TEXT}`;
      const arrived = arrival(text);
      const start = now();
      await alice.handlers['messages.send']({ chatId: chat.id, text });
      latencies.push((await arrived) - start);
    }

    const burst = Array.from({ length: BURST }, (_, i) => `burst ${i}:${TEXT}`);
    const all = Promise.all(burst.map(arrival));
    const start = now();
    for (const text of burst) await alice.handlers['messages.send']({ chatId: chat.id, text });
    await all;
    const parleyPerSecond = BURST / ((now() - start) / 1000);

    // Outbox drain: Alice writes BURST messages offline, then starts again online.
    await alice.close();
    const offline = await createCore({
      profileDir: join(dir, 'alice'),
      relayUrl: UNREACHABLE_RELAY,
      logger: silentLogger,
    });
    cores.push(offline);
    const backlog = Array.from({ length: BURST }, (_, i) => `backlog ${i}:${TEXT}`);
    for (const text of backlog) await offline.handlers['messages.send']({ chatId: chat.id, text });
    await offline.close();
    const drained = Promise.all(backlog.map(arrival));
    const drainStart = now();
    cores.push(await createCore({ profileDir: join(dir, 'alice'), relayUrl: relay.url, logger: silentLogger }));
    await drained;
    const drainPerSecond = BURST / ((now() - drainStart) / 1000);

    const baseline = await measureWsEcho(TEXT.length + 120, ROUNDS, BURST);
    const p = summarize(latencies);
    const b = summarize(baseline.latencies);
    console.log(`\n1:1 delivery, ${ROUNDS} sequential messages + a burst of ${BURST} (200-byte text)\n`);
    table([
      ['', 'p50', 'p99', 'throughput'],
      ['raw ws echo (baseline)', ms(b.p50), ms(b.p99), `${baseline.perSecond.toFixed(0)} msg/s`],
      ['Parley core → relay → core', ms(p.p50), ms(p.p99), `${parleyPerSecond.toFixed(0)} msg/s`],
      [
        'ratio (Parley / baseline)',
        ratio(p.p50, b.p50),
        ratio(p.p99, b.p99),
        ratio(parleyPerSecond, baseline.perSecond),
      ],
      ['outbox drain after restart', '', '', `${drainPerSecond.toFixed(0)} msg/s`],
      ['ratio (drain / baseline)', '', '', ratio(drainPerSecond, baseline.perSecond)],
    ]);
  } finally {
    for (const core of cores) await core.close();
    await relay.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
