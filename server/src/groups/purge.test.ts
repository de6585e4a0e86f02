/**
 * Self-destructing group messages in the relay's SQLite store: a message with a purge
 * deadline is never read for delivery at or after it, the sweep deletes it (delivered or
 * not), and with secure_delete plus the sweep's TRUNCATE checkpoint no byte of it stays in
 * the database file or its WAL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { GroupChangeWire } from '../../../shared/protocol';
import { openSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/storage';
import { tempDirForTest } from '../testSupport';

const MAX_BACKLOG = 100;

async function setup(file = join(tempDirForTest(), 'relay.sqlite')) {
  const storage = openSqliteStorage(file);
  const create = async (username: string): Promise<string> => {
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
    return result.account.user.userId;
  };
  const alice = await create('alice');
  const bob = await create('bob');
  const gid = `g_${randomBytes(16).toString('base64url')}`;
  // The store does not verify signatures (the handlers do): any well-formed change will do.
  const change: GroupChangeWire = {
    gid,
    version: 1,
    action: 'create',
    actor: alice,
    targets: [bob],
    name: 'Team',
    invite: null,
    memberHash: new Uint8Array(32),
    sig: new Uint8Array(64),
    ts: 1,
  };
  const members = [
    { userId: alice, role: 'owner' as const },
    { userId: bob, role: 'member' as const },
  ];
  expect(await storage.groups.createGroup(change, members, 1)).toBe(true);
  return { file, storage, alice, bob, gid, ...helpers(storage, file, gid, alice) };
}

function helpers(storage: Storage, file: string, gid: string, sender: string) {
  const send = (body: Uint8Array, options: { purgeAt?: number; now?: number; msgId?: string } = {}) =>
    storage.groups.appendMessage(
      gid,
      sender,
      options.msgId ?? randomUUID(),
      body,
      options.now ?? 1_000,
      MAX_BACKLOG,
      options.purgeAt,
    );
  const files = () => Buffer.concat([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
  return { send, files };
}

describe('purge deadlines of self-destructing group messages', () => {
  it('the sweep deletes messages past their deadline, delivered or not, and leaves no byte behind', async () => {
    const { storage, bob, gid, send, files } = await setup();
    const canary = Buffer.from('group-canary-bytes-9e2a'.repeat(4));
    await send(canary, { purgeAt: 10_000 });
    await send(randomBytes(16)); // untimed: stays
    await send(randomBytes(16), { purgeAt: 50_000 }); // not due yet: stays
    expect(files().includes(canary)).toBe(true);
    expect(await storage.groups.purgeExpired(9_999)).toBe(0);
    expect(await storage.groups.purgeExpired(10_000)).toBe(1);
    const left = await storage.groups.messagesAfter(gid, bob, 0, 10, 10_000);
    expect(left.map((m) => m.seq)).toEqual([2, 3]);
    expect(files().includes(canary)).toBe(false);
    await storage.close();
  });

  it('a timed message every member acknowledged leaves the WAL at the next sweep, though nothing is due', async () => {
    const { storage, alice, bob, gid, send, files } = await setup();
    const canary = Buffer.from('group-acked-canary-7c3d'.repeat(4));
    await send(canary, { purgeAt: 1_000_000 });
    await storage.groups.ack(gid, bob, 1, 0);
    await storage.groups.ack(gid, alice, 1, 0);
    expect(await storage.groups.messagesAfter(gid, bob, 0, 10, 2_000)).toEqual([]);
    expect(await storage.groups.purgeExpired(2_000)).toBe(0);
    expect(files().includes(canary)).toBe(false);
    await storage.close();
  });

  it('a message is never read for delivery at or after its deadline, even before the sweep', async () => {
    const { storage, bob, gid, send } = await setup();
    await send(randomBytes(8), { purgeAt: 2_000 });
    await send(randomBytes(8));
    const seqsAt = async (now: number) => (await storage.groups.messagesAfter(gid, bob, 0, 10, now)).map((m) => m.seq);
    expect(await seqsAt(1_999)).toEqual([1, 2]);
    expect(await seqsAt(2_000)).toEqual([2]);
    await storage.close();
  });

  it('a message already past its deadline takes a seq and is de-duplicated, but its body is never written', async () => {
    const { storage, bob, gid, send, files } = await setup();
    const canary = Buffer.from('group-late-canary-51f0'.repeat(4));
    const msgId = randomUUID();
    expect(await send(canary, { msgId, now: 5_000, purgeAt: 5_000 })).toEqual({
      status: 'stored',
      seq: 1,
      ts: 5_000,
      duplicate: false,
      version: 1,
    });
    expect(await send(canary, { msgId, now: 6_000, purgeAt: 5_000 })).toMatchObject({ seq: 1, duplicate: true });
    expect(await send(randomBytes(8), { now: 6_000 })).toMatchObject({ seq: 2, duplicate: false });
    expect((await storage.groups.messagesAfter(gid, bob, 0, 10, 0)).map((m) => m.seq)).toEqual([2]);
    expect(files().includes(canary)).toBe(false);
    await storage.close();
  });

  it('upgrades a version 5 database, keeping its group messages (untimed)', async () => {
    const first = await setup();
    const kept = Buffer.from('kept-across-the-upgrade');
    await first.send(kept);
    await first.storage.close();
    const db = new Database(first.file);
    // Back to version 5: undo 10 (message versions), 9 (identity change times), 8 (used prekey times), 7 (channel
    // management), 6 (group purge).
    db.exec(`
      ALTER TABLE group_messages DROP COLUMN version;
      ALTER TABLE users DROP COLUMN identity_changed_at;
      DROP INDEX used_one_time_prekeys_by_used_at; ALTER TABLE used_one_time_prekeys DROP COLUMN used_at;
      DROP TABLE channel_revocations; ALTER TABLE channels DROP COLUMN info_rev;
      DROP INDEX group_messages_by_purge_at; ALTER TABLE group_messages DROP COLUMN purge_at;
    `);
    db.pragma('user_version = 5');
    db.close();

    const storage = openSqliteStorage(first.file);
    const { send } = helpers(storage, first.file, first.gid, first.alice);
    await send(randomBytes(8), { purgeAt: 2_000 });
    expect(await storage.groups.purgeExpired(2_000)).toBe(1);
    const left = await storage.groups.messagesAfter(first.gid, first.bob, 0, 10, 2_000);
    expect(left.map((m) => Buffer.from(m.body))).toEqual([kept]);
    await storage.close();
  });
});
