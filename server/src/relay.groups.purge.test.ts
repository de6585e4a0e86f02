/**
 * Self-destructing group messages through a running relay: `gSend.purgeAt` is stored, a
 * message is pushed (live or on catch-up) only before its deadline, and the relay's purge
 * sweep deletes it — with no byte of it left in the database file or its WAL.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteStorage } from './storage/sqlite';
import { GroupTestClient, createSyncedGroup, expectOk } from './testing/groups';
import { relayForTest, tempDirForTest } from './testSupport';

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

async function client(connect: Promise<GroupTestClient>): Promise<GroupTestClient> {
  const made = await connect;
  onTestFinished(() => made.close());
  return made;
}

describe('self-destructing group messages', () => {
  it('reach online members before the deadline, never a member back after it; the sweep leaves no byte', async () => {
    let now = 1_000_000;
    const file = join(tempDirForTest(), 'relay.sqlite');
    const storage = openSqliteStorage(file);
    const files = () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
    const relay = await relayForTest({ storage, now: () => now });
    const [a, b, c] = await Promise.all(
      ['ann', 'bea', 'cid'].map((name) => client(GroupTestClient.signUp(relay.url, name))),
    );
    const { gid } = await createSyncedGroup(a!, [b!, c!]);
    await c!.close(); // c is away while the timed message lives

    const canary = 'group-timed-canary-7b41'.repeat(4);
    const timed = expectOk(await a!.send(gid, Buffer.from(canary), undefined, now + 5_000), 'gSent');
    const kept = expectOk(await a!.send(gid, Buffer.from('untimed-and-kept')), 'gSent');
    await b!.waitUntil(() => b!.messages.length >= 2);
    expect(b!.messages.map((m) => [m.seq, text(m.body)])).toEqual([
      [timed.seq, canary],
      [kept.seq, 'untimed-and-kept'],
    ]);
    expect(files().includes(Buffer.from(canary))).toBe(true);

    now += 5_000; // the deadline passes; the sweep has not run yet
    const back = await client(GroupTestClient.signIn(relay.url, c!.identity));
    expectOk(await back.request({ t: 'gSync' }), 'ok');
    await back.waitUntil(() => back.messages.length >= 1);
    await settle();
    expect(back.messages.map((m) => m.seq)).toEqual([kept.seq]);

    // A relay starting on this database sweeps at once; closing it waits for the sweep.
    await relay.close();
    const next = await relayForTest({ storage, now: () => now });
    await next.close();
    expect(files().includes(Buffer.from(canary))).toBe(false);
    // The untimed message is untouched (nobody acknowledged it yet).
    expect((await storage.groups.messagesAfter(gid, c!.userId, 0, 10, now)).map((m) => m.seq)).toEqual([kept.seq]);
    expect(files().includes(Buffer.from('untimed-and-kept'))).toBe(true);
    await storage.close();
  });

  it('a gSend already past its deadline is answered gSent (and de-duplicated) but never delivered', async () => {
    const now = 2_000_000;
    const relay = await relayForTest({ now: () => now });
    const [a, b] = await Promise.all(['dan', 'eve'].map((name) => client(GroupTestClient.signUp(relay.url, name))));
    const { gid } = await createSyncedGroup(a!, [b!]);
    const msgId = '00000000-0000-4000-8000-00000000abcd';
    const late = expectOk(await a!.send(gid, Buffer.from('too late'), msgId, now), 'gSent');
    expect(late).toMatchObject({ seq: 1, duplicate: false });
    expect(expectOk(await a!.send(gid, Buffer.from('too late'), msgId, now), 'gSent')).toMatchObject({
      seq: 1,
      duplicate: true,
    });
    expectOk(await a!.send(gid, Buffer.from('on time')), 'gSent');
    await b!.waitUntil(() => b!.messages.length >= 1);
    await settle();
    expect(b!.messages.map((m) => [m.seq, text(m.body)])).toEqual([[2, 'on time']]);
    expect((await relay.storage.groups.messagesAfter(gid, b!.userId, 0, 10, 0)).map((m) => m.seq)).toEqual([2]);
  });
});
