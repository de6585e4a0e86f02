/**
 * Self-destructing envelopes on the relay: an envelope with a purge deadline is never
 * delivered at or after it, the sweep deletes it (and fixes the queue depth), and with
 * secure_delete plus the sweep's TRUNCATE checkpoint no byte of it stays in the files.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/protocol';
import { DeliveryPump } from '../delivery/pump';
import { openSqliteStorage } from './sqlite';
import type { Account, Storage } from './storage';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-purge-'));
  dirs.push(dir);
  const file = join(dir, 'relay.sqlite');
  const storage = openSqliteStorage(file);
  const create = async (username: string): Promise<Account> => {
    const result = await storage.createAccount(
      {
        username,
        displayName: username,
        identityKey: randomBytes(32),
        dhKey: randomBytes(32),
        dhKeySig: randomBytes(64),
      },
      1,
    );
    if (result.status !== 'created') throw new Error(result.status);
    return result.account;
  };
  const alice = await create('alice');
  const bob = await create('bob');
  const send = (body: Uint8Array, purgeAt?: number) =>
    storage.enqueueEnvelope({
      senderId: alice.user.userId,
      recipientId: bob.user.userId,
      msgId: randomUUID(),
      body,
      now: 1_000,
      maxQueueDepth: 100,
      ...(purgeAt !== undefined ? { purgeAt } : {}),
    });
  const files = () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  return { storage, alice, bob, send, files };
}

describe('purge deadlines of self-destructing envelopes', () => {
  it('the sweep deletes undelivered envelopes past their deadline and leaves no byte behind', async () => {
    const { storage, bob, send, files } = await setup();
    const canary = Buffer.from('relay-canary-bytes-3c1d'.repeat(4));
    await send(canary, 10_000);
    await send(randomBytes(16)); // untimed: stays
    await send(randomBytes(16), 50_000); // not due yet: stays
    expect(files().includes(canary)).toBe(true);
    expect(await storage.purgeExpiredEnvelopes(9_999)).toBe(0);
    expect(await storage.purgeExpiredEnvelopes(10_000)).toBe(1);
    expect(await storage.queueDepth(bob.deviceId)).toBe(2);
    const queue = await storage.readQueue(bob.deviceId, 0, 10);
    expect(queue.map((e) => e.purgeAt)).toEqual([undefined, 50_000]);
    expect(files().includes(canary)).toBe(false);
    await storage.close();
  });

  it('the pump never delivers an envelope at or after its deadline', async () => {
    const { storage, bob, send } = await setup();
    await send(randomBytes(8), 2_000);
    await send(randomBytes(8));
    const sent: ServerFrame[] = [];
    const pump = new DeliveryPump({
      deviceId: bob.deviceId,
      storage: storage as Pick<Storage, 'readQueue'>,
      sink: { open: true, bufferedAmount: 0, send: (f) => sent.push(f), whenFlushed: () => Promise.resolve() },
      window: 10,
      highWater: 1_000_000,
      onFailure: (error) => {
        throw error;
      },
      now: () => 2_000,
    });
    pump.start();
    await pump.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ t: 'msg', eid: 2 });
    await storage.close();
  });
});
