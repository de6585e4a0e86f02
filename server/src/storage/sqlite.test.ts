import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userIdSchema } from '../../../shared/protocol';
import { openSqliteStorage } from './sqlite';
import { SCHEMA_VERSION } from './sqliteSchema';
import type { Account, NewAccount, PreKeyUpload, Storage } from './storage';

const newAccount = (username: string): NewAccount => ({
  username,
  displayName: `${username} display`,
  identityKey: randomBytes(32),
  dhKey: randomBytes(32),
  dhKeySig: randomBytes(64),
});

let tempDirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-relay-storage-'));
  tempDirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

const variants: [string, () => Storage][] = [
  [':memory:', () => openSqliteStorage(':memory:')],
  ['a file', () => openSqliteStorage(join(tempDir(), 'nested', 'relay.sqlite'))],
];

describe.each(variants)('SQLite storage on %s, through the Storage interface', (_name, open) => {
  let storage: Storage;
  beforeEach(() => {
    storage = open();
    return () => storage.close();
  });

  const create = async (username: string): Promise<Account> => {
    const result = await storage.createAccount(newAccount(username), 1_000);
    if (result.status !== 'created') throw new Error(`could not create ${username}: ${result.status}`);
    return result.account;
  };
  const send = (from: Account, to: Account, msgId = randomUUID(), maxQueueDepth = 100, body = randomBytes(40)) =>
    storage.enqueueEnvelope({
      senderId: from.user.userId,
      recipientId: to.user.userId,
      msgId,
      body,
      now: 5_000,
      maxQueueDepth,
    });

  describe('accounts', () => {
    it('creates an account that can be found by identity key, id and username', async () => {
      const input = newAccount('alice');
      const result = await storage.createAccount(input, 1_000);
      expect(result.status).toBe('created');
      if (result.status !== 'created') return;
      const { user, deviceId } = result.account;
      expect(userIdSchema.safeParse(user.userId).success).toBe(true);
      expect(user).toMatchObject({ username: 'alice', displayName: 'alice display' });
      expect(Buffer.from(user.identityKey)).toEqual(Buffer.from(input.identityKey));

      const byKey = await storage.findAccountByIdentityKey(input.identityKey);
      expect(byKey?.deviceId).toBe(deviceId);
      expect(byKey?.user.userId).toBe(user.userId);
      expect(Buffer.from(byKey?.user.dhKeySig ?? [])).toEqual(Buffer.from(input.dhKeySig));
      expect((await storage.findUserById(user.userId))?.username).toBe('alice');
      expect((await storage.findUserByUsername('alice'))?.userId).toBe(user.userId);
      expect(await storage.findUserByUsername('nobody')).toBeUndefined();
      expect(await storage.findAccountByIdentityKey(randomBytes(32))).toBeUndefined();
    });

    it('refuses a taken username and an identity key that already has an account', async () => {
      const alice = newAccount('alice');
      await storage.createAccount(alice, 1_000);
      expect(await storage.createAccount(newAccount('alice'), 1_000)).toEqual({ status: 'username_taken' });
      expect(await storage.createAccount({ ...alice, username: 'alice2' }, 1_000)).toEqual({
        status: 'identity_exists',
      });
      expect(await storage.findUserByUsername('alice2')).toBeUndefined();
    });

    it('updates the display name', async () => {
      const alice = await create('alice');
      expect((await storage.updateDisplayName(alice.user.userId, 'Alice Liddell'))?.displayName).toBe('Alice Liddell');
      expect((await storage.findUserById(alice.user.userId))?.displayName).toBe('Alice Liddell');
      expect(await storage.updateDisplayName('u_AAAAAAAAAAAAAAAAAAAAAA', 'x')).toBeUndefined();
    });

    it('searches username prefixes literally: _ and % are not wildcards', async () => {
      for (const name of ['ab', 'a_b', 'a_c', 'abc', 'b_a']) await create(name);
      const names = async (prefix: string, limit = 20) =>
        (await storage.searchUsersByUsernamePrefix(prefix, limit)).map((user) => user.username);
      expect(await names('a_')).toEqual(['a_b', 'a_c']);
      expect(await names('ab')).toEqual(['ab', 'abc']);
      expect(await names('a')).toEqual(['a_b', 'a_c', 'ab', 'abc']);
      expect(await names('%')).toEqual([]);
      expect(await names('\\')).toEqual([]);
      expect(await names('A_')).toEqual(['a_b', 'a_c']);
      expect(await names('a', 2)).toEqual(['a_b', 'a_c']);
    });

    it("lists a user's partners whose identity changed after a time, oldest change first", async () => {
      const [alice, bob, carol, dave, erin] = [
        await create('alice'),
        await create('bob'),
        await create('carol'),
        await create('dave'),
        await create('erin'),
      ];
      // alice wrote to bob and carol; dave wrote to alice; erin never talked to alice.
      await send(alice, bob);
      await send(alice, carol);
      await send(dave, alice);
      const rekey = async (account: Account, now: number) => {
        const next = newAccount('ignored');
        const current = await storage.findUserById(account.user.userId);
        const result = await storage.rekeyAccount({
          userId: account.user.userId,
          previousIdentityKey: current!.identityKey,
          identityKey: next.identityKey,
          dhKey: next.dhKey,
          dhKeySig: next.dhKeySig,
          now,
        });
        expect(result.status).toBe('rekeyed');
      };
      expect(await storage.partnerKeyChangesSince(alice.user.userId, 0, 10)).toEqual([]);
      await rekey(carol, 3_000);
      await rekey(dave, 2_000);
      await rekey(erin, 1_000);
      await rekey(bob, 1_000);
      await rekey(bob, 4_000); // only the latest change counts
      const changes = (since: number, limit = 10) =>
        storage.partnerKeyChangesSince(alice.user.userId, since, limit).then((list) => list.map((c) => c.changedAt));
      expect(await storage.partnerKeyChangesSince(alice.user.userId, 0, 10)).toEqual([
        { userId: dave.user.userId, changedAt: 2_000 },
        { userId: carol.user.userId, changedAt: 3_000 },
        { userId: bob.user.userId, changedAt: 4_000 },
      ]);
      expect(await changes(2_000)).toEqual([3_000, 4_000]);
      expect(await changes(4_000)).toEqual([]);
      expect(await changes(0, 1)).toEqual([2_000]);
      expect(await storage.partnerKeyChangesSince(erin.user.userId, 0, 10)).toEqual([]);
      expect(await storage.partnerKeyChangesSince(bob.user.userId, 0, 10)).toEqual([]);
    });
  });

  describe('prekeys', () => {
    const signedPreKey = (id: number) => ({
      id,
      publicKey: randomBytes(32),
      createdAt: 1_000 + id,
      signature: randomBytes(64),
    });
    const oneTime = (ids: number[]) => ids.map((id) => ({ id, publicKey: randomBytes(32) }));
    const upload = (account: Account, keys: Partial<PreKeyUpload> = {}) =>
      storage.storePreKeys({
        userId: account.user.userId,
        identityKey: account.user.identityKey,
        oneTimePreKeys: [],
        maxOneTimePreKeys: 5,
        ...keys,
      });

    it('stores a signed prekey and a stock, ignores known ids and refuses to grow past the limit', async () => {
      const alice = await create('alice');
      expect(await upload(alice)).toEqual({ status: 'stored', signedPreKeyId: null, oneTimeCount: 0 });
      expect(await storage.takePreKeyBundle(alice.user.userId)).toEqual({ status: 'no_prekeys' });
      expect(await upload(alice, { signedPreKey: signedPreKey(7), oneTimePreKeys: oneTime([1, 2, 2]) })).toEqual({
        status: 'stored',
        signedPreKeyId: 7,
        oneTimeCount: 2,
      });
      // 1 and 2 are in stock: only 3, 4, 5 are new, which fills the stock exactly.
      expect(await upload(alice, { oneTimePreKeys: oneTime([1, 2, 3, 4, 5]) })).toMatchObject({ oneTimeCount: 5 });
      expect(await upload(alice, { signedPreKey: signedPreKey(8), oneTimePreKeys: oneTime([6]) })).toEqual({
        status: 'prekey_limit',
        signedPreKeyId: 7,
        oneTimeCount: 5,
      });
      expect(await upload(alice, { signedPreKey: signedPreKey(8), oneTimePreKeys: oneTime([5]) })).toMatchObject({
        status: 'stored',
        signedPreKeyId: 8,
      });
    });

    it('hands each one-time prekey out once, lowest id first, even to calls made together', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      await upload(alice, { signedPreKey: signedPreKey(1), oneTimePreKeys: oneTime([30, 10, 20]) });
      await upload(bob, { signedPreKey: signedPreKey(1), oneTimePreKeys: oneTime([10]) });
      const results = await Promise.all(Array.from({ length: 5 }, () => storage.takePreKeyBundle(alice.user.userId)));
      const ids = results.map((r) => (r.status === 'bundle' ? (r.bundle.oneTimePreKey?.id ?? null) : r.status));
      expect(ids).toEqual([10, 20, 30, null, null]);
      // Taken ids do not come back, even when the same upload is retried.
      expect(await upload(alice, { oneTimePreKeys: oneTime([10, 20, 40]) })).toMatchObject({ oneTimeCount: 1 });
      // Another account's stock is its own.
      const bobs = await storage.takePreKeyBundle(bob.user.userId);
      expect(bobs.status === 'bundle' && bobs.bundle.oneTimePreKey?.id).toBe(10);
      expect(await storage.takePreKeyBundle('u_AAAAAAAAAAAAAAAAAAAAAA')).toEqual({ status: 'not_found' });
    });

    it('rekeys only from the current identity key, drops the prekeys and keeps the queue', async () => {
      const [alice, bob, carol] = [await create('alice'), await create('bob'), await create('carol')];
      await upload(alice, { signedPreKey: signedPreKey(1), oneTimePreKeys: oneTime([1, 2]) });
      await storage.takePreKeyBundle(alice.user.userId); // id 1 is now "used"
      await send(bob, alice);
      const next = newAccount('ignored');
      const rekey = {
        userId: alice.user.userId,
        previousIdentityKey: alice.user.identityKey,
        identityKey: next.identityKey,
        dhKey: next.dhKey,
        dhKeySig: next.dhKeySig,
      };
      expect(await storage.rekeyAccount({ ...rekey, identityKey: carol.user.identityKey })).toEqual({
        status: 'identity_exists',
      });
      expect(await storage.rekeyAccount({ ...rekey, previousIdentityKey: randomBytes(32) })).toEqual({
        status: 'identity_changed',
      });
      expect(await storage.rekeyAccount({ ...rekey, userId: 'u_AAAAAAAAAAAAAAAAAAAAAA' })).toEqual({
        status: 'unknown_account',
      });
      const done = await storage.rekeyAccount(rekey);
      expect(done.status).toBe('rekeyed');
      expect(Buffer.from((await storage.findUserById(alice.user.userId))?.identityKey ?? [])).toEqual(
        Buffer.from(next.identityKey),
      );
      expect(await storage.findAccountByIdentityKey(alice.user.identityKey)).toBeUndefined();
      expect((await storage.findAccountByIdentityKey(next.identityKey))?.deviceId).toBe(alice.deviceId);
      expect(await storage.takePreKeyBundle(alice.user.userId)).toEqual({ status: 'no_prekeys' });
      expect(await storage.queueDepth(alice.deviceId)).toBe(1);
      // Uploads checked against the old key are refused; under the new key, old ids are free again.
      expect(await upload(alice, { oneTimePreKeys: oneTime([1]) })).toEqual({ status: 'identity_changed' });
      expect(
        await storage.storePreKeys({
          userId: alice.user.userId,
          identityKey: next.identityKey,
          oneTimePreKeys: oneTime([1]),
          maxOneTimePreKeys: 5,
        }),
      ).toEqual({ status: 'stored', signedPreKeyId: null, oneTimeCount: 1 });
    });

    it("refuses a send encrypted for an identity key that is not the recipient's, storing nothing", async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      const sendTo = (toKey: Uint8Array, msgId = randomUUID()) =>
        storage.enqueueEnvelope({
          senderId: alice.user.userId,
          recipientId: bob.user.userId,
          msgId,
          body: randomBytes(8),
          now: 5_000,
          maxQueueDepth: 10,
          toKey,
        });
      const refused = randomUUID();
      expect(await sendTo(randomBytes(32), refused)).toEqual({ status: 'identity_changed' });
      expect(await storage.queueDepth(bob.deviceId)).toBe(0);
      expect(await sendTo(bob.user.identityKey, refused)).toMatchObject({ status: 'stored', seq: 1 });
    });
  });

  describe('envelopes', () => {
    it('numbers each conversation independently, in both directions', async () => {
      const [alice, bob, carol] = [await create('alice'), await create('bob'), await create('carol')];
      const seqOf = async (result: ReturnType<typeof send>) => {
        const stored = await result;
        return stored.status === 'stored' ? stored.seq : stored.status;
      };
      expect(await seqOf(send(alice, bob))).toBe(1);
      expect(await seqOf(send(alice, bob))).toBe(2);
      expect(await seqOf(send(bob, alice))).toBe(3);
      expect(await seqOf(send(alice, carol))).toBe(1);
      expect(await seqOf(send(carol, bob))).toBe(1);
      expect(await seqOf(send(alice, bob))).toBe(4);
    });

    it('queues for the recipient device in order and reads after a cursor', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      const bodies = [randomBytes(10), randomBytes(20), randomBytes(30)];
      for (const body of bodies) await send(alice, bob, randomUUID(), 100, body);

      const queue = await storage.readQueue(bob.deviceId, 0, 10);
      expect(queue.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(queue.map((e) => Buffer.from(e.body))).toEqual(bodies);
      expect(queue.every((e) => e.senderId === alice.user.userId && e.ts === 5_000)).toBe(true);
      const [first, second] = queue;
      expect(await storage.readQueue(bob.deviceId, first?.eid ?? 0, 1)).toEqual([second]);
      expect(await storage.readQueue(alice.deviceId, 0, 10)).toEqual([]);
      expect(await storage.queueDepth(bob.deviceId)).toBe(3);
    });

    it('stores a duplicate msgId once and answers the original seq and ts, even after delivery', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      const msgId = randomUUID();
      const first = await send(alice, bob, msgId);
      expect(first).toMatchObject({ status: 'stored', seq: 1, ts: 5_000 });
      expect(await send(alice, bob, msgId)).toEqual({ status: 'duplicate', seq: 1, ts: 5_000 });
      expect(await storage.queueDepth(bob.deviceId)).toBe(1);

      const [queued] = await storage.readQueue(bob.deviceId, 0, 10);
      await storage.deleteEnvelopes(bob.deviceId, [queued?.eid ?? 0]);
      expect(await send(alice, bob, msgId)).toEqual({ status: 'duplicate', seq: 1, ts: 5_000 });
      expect(await storage.queueDepth(bob.deviceId)).toBe(0);
      // The same msgId from another sender is a different message.
      expect(await send(bob, alice, msgId)).toMatchObject({ status: 'stored', seq: 2 });
    });

    it('forgets de-duplication records older than the prune horizon', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      const msgId = randomUUID();
      await send(alice, bob, msgId);
      expect(await storage.pruneSentRecords(5_000)).toBe(0);
      expect(await storage.pruneSentRecords(5_001)).toBe(1);
      expect(await send(alice, bob, msgId)).toMatchObject({ status: 'stored', seq: 2 });
    });

    it('refuses unknown recipients and full queues without storing or using a seq', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      expect(await send(alice, { ...bob, user: { ...bob.user, userId: 'u_AAAAAAAAAAAAAAAAAAAAAA' } })).toEqual({
        status: 'unknown_recipient',
      });
      expect(await send(alice, bob, randomUUID(), 2)).toMatchObject({ status: 'stored', seq: 1 });
      expect(await send(alice, bob, randomUUID(), 2)).toMatchObject({ status: 'stored', seq: 2 });
      const refusedId = randomUUID();
      expect(await send(alice, bob, refusedId, 2)).toEqual({ status: 'queue_full', deviceId: bob.deviceId });
      expect(await storage.queueDepth(bob.deviceId)).toBe(2);

      const [oldest] = await storage.readQueue(bob.deviceId, 0, 1);
      expect(await storage.deleteEnvelopes(bob.deviceId, [oldest?.eid ?? 0])).toBe(1);
      // The refused message was not recorded: retrying it now stores it, with the next seq.
      expect(await send(alice, bob, refusedId, 2)).toMatchObject({ status: 'stored', seq: 3 });
    });

    it('stores a message with `after` only once `after` is stored, refusing it without using a seq', async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      const sendAfter = (msgId: string, after: string, maxQueueDepth = 1) =>
        storage.enqueueEnvelope({
          senderId: alice.user.userId,
          recipientId: bob.user.userId,
          msgId,
          body: randomBytes(8),
          now: 5_000,
          maxQueueDepth,
          after,
        });
      const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
      // Pipelined, as a client does: all requested before any is committed.
      const results = await Promise.all([
        send(alice, bob, first, 1),
        send(alice, bob, second, 1), // queue_full: the queue holds `first`
        sendAfter(third, second),
      ]);
      expect(results.map((r) => r.status)).toEqual(['stored', 'queue_full', 'out_of_order']);
      expect(await storage.queueDepth(bob.deviceId)).toBe(1);

      // `after` is checked first: even a full queue answers out_of_order for it.
      expect(await sendAfter(third, second)).toEqual({ status: 'out_of_order' });
      const [queued] = await storage.readQueue(bob.deviceId, 0, 1);
      await storage.deleteEnvelopes(bob.deviceId, [queued?.eid ?? 0]);
      // Retried in order, they get the next seqs in order: no seq went to the refusals.
      const [again, afterIt] = await Promise.all([send(alice, bob, second, 2), sendAfter(third, second, 2)]);
      expect(again).toMatchObject({ status: 'stored', seq: 2 });
      expect(afterIt).toMatchObject({ status: 'stored', seq: 3 });
      // A resend of a stored message is a duplicate, whatever it names as `after`.
      expect(await sendAfter(third, randomUUID())).toEqual({ status: 'duplicate', seq: 3, ts: 5_000 });
      // `after` is the sender's own message id: someone else's message of that id does not count.
      const fromBob = randomUUID();
      await send(bob, alice, fromBob, 10);
      expect(await sendAfter(randomUUID(), fromBob, 10)).toEqual({ status: 'out_of_order' });
    });

    it("deletes only the acknowledging device's envelopes and never reuses queue ids", async () => {
      const [alice, bob] = [await create('alice'), await create('bob')];
      await send(alice, bob);
      await send(bob, alice);
      const [toBob] = await storage.readQueue(bob.deviceId, 0, 10);
      const [toAlice] = await storage.readQueue(alice.deviceId, 0, 10);
      expect(toBob?.eid).toBe(toAlice?.eid); // eids are per device

      expect(await storage.deleteEnvelopes(alice.deviceId, [toBob?.eid ?? 0, 999])).toBe(1);
      expect(await storage.queueDepth(bob.deviceId)).toBe(1);
      expect(await storage.queueDepth(alice.deviceId)).toBe(0);
      expect(await storage.deleteEnvelopes(alice.deviceId, [toAlice?.eid ?? 0])).toBe(0);

      await storage.deleteEnvelopes(bob.deviceId, [toBob?.eid ?? 0, toBob?.eid ?? 0]);
      expect(await storage.queueDepth(bob.deviceId)).toBe(0);
      await send(alice, bob);
      const [next] = await storage.readQueue(bob.deviceId, 0, 10);
      expect(next?.eid).toBeGreaterThan(toBob?.eid ?? 0);
    });
  });
});

describe('SQLite storage file', () => {
  it('keeps accounts, queues and sequence numbers across reopening', async () => {
    const file = join(tempDir(), 'relay.sqlite');
    const first = openSqliteStorage(file);
    const created = [
      await first.createAccount(newAccount('alice'), 1),
      await first.createAccount(newAccount('bob'), 1),
    ];
    const [alice, bob] = created.map((r) => (r.status === 'created' ? r.account : undefined));
    if (!alice || !bob) throw new Error('accounts not created');
    const envelope = { senderId: alice.user.userId, recipientId: bob.user.userId, now: 7, maxQueueDepth: 10 };
    await first.enqueueEnvelope({ ...envelope, msgId: randomUUID(), body: Buffer.from('one') });
    await first.close();
    await first.close(); // idempotent

    const second = openSqliteStorage(file);
    try {
      expect((await second.findUserByUsername('alice'))?.userId).toBe(alice.user.userId);
      const queue = await second.readQueue(bob.deviceId, 0, 10);
      expect(queue.map((e) => Buffer.from(e.body).toString())).toEqual(['one']);
      expect(
        await second.enqueueEnvelope({ ...envelope, msgId: randomUUID(), body: Buffer.from('two') }),
      ).toMatchObject({ status: 'stored', seq: 2 });
    } finally {
      await second.close();
    }
  });

  it('upgrades a version 1 database (no prekey tables), keeping its accounts', async () => {
    const file = join(tempDir(), 'relay.sqlite');
    const first = openSqliteStorage(file);
    await first.createAccount(newAccount('alice'), 1);
    await first.close();
    const db = new Database(file);
    db.exec('DROP TABLE signed_prekeys; DROP TABLE one_time_prekeys; DROP TABLE used_one_time_prekeys');
    // Version 9 (identity change times) undone too.
    db.exec('ALTER TABLE users DROP COLUMN identity_changed_at');
    // Version 7 (channel info revisions, revocations) undone too.
    db.exec('DROP TABLE channel_revocations; ALTER TABLE channels DROP COLUMN info_rev');
    // Version 3 (channels) undone too.
    db.exec(
      'DROP TABLE channel_invites; DROP TABLE channel_posts; DROP TABLE channel_admins; DROP TABLE channel_members; DROP TABLE channels',
    );
    // Version 4 (purge deadlines) undone too.
    db.exec('DROP INDEX envelopes_by_purge_at; ALTER TABLE envelopes DROP COLUMN purge_at');
    // Version 5 (groups) undone too.
    db.exec(
      'DROP TABLE group_sent; DROP TABLE group_messages; DROP TABLE group_join_requests; DROP TABLE group_invites; DROP TABLE group_changes; DROP TABLE group_members; DROP TABLE groups',
    );
    db.pragma('user_version = 1');
    db.close();

    const second = openSqliteStorage(file);
    try {
      const alice = await second.findUserByUsername('alice');
      if (!alice) throw new Error('alice was lost');
      expect(await second.takePreKeyBundle(alice.userId)).toEqual({ status: 'no_prekeys' });
    } finally {
      await second.close();
    }
  });

  it('upgrades a version 8 database: nobody counts as having changed keys, a later rekey does', async () => {
    const file = join(tempDir(), 'relay.sqlite');
    const first = openSqliteStorage(file);
    const created = [
      await first.createAccount(newAccount('alice'), 1),
      await first.createAccount(newAccount('bob'), 1),
    ];
    const [alice, bob] = created.map((r) => (r.status === 'created' ? r.account : undefined));
    if (!alice || !bob) throw new Error('accounts not created');
    await first.enqueueEnvelope({
      senderId: alice.user.userId,
      recipientId: bob.user.userId,
      msgId: randomUUID(),
      body: Buffer.from('one'),
      now: 7,
      maxQueueDepth: 10,
    });
    await first.close();
    const db = new Database(file);
    db.exec('ALTER TABLE group_messages DROP COLUMN version; ALTER TABLE users DROP COLUMN identity_changed_at');
    db.pragma('user_version = 8');
    db.close();

    const second = openSqliteStorage(file);
    try {
      expect(await second.partnerKeyChangesSince(alice.user.userId, 0, 10)).toEqual([]);
      const next = newAccount('ignored');
      const rekeyed = await second.rekeyAccount({
        userId: bob.user.userId,
        previousIdentityKey: bob.user.identityKey,
        identityKey: next.identityKey,
        dhKey: next.dhKey,
        dhKeySig: next.dhKeySig,
        now: 5_000,
      });
      expect(rekeyed.status).toBe('rekeyed');
      expect(await second.partnerKeyChangesSince(alice.user.userId, 0, 10)).toEqual([
        { userId: bob.user.userId, changedAt: 5_000 },
      ]);
    } finally {
      await second.close();
    }
  });

  it('uses WAL, records the schema version and refuses a newer schema', async () => {
    const file = join(tempDir(), 'relay.sqlite');
    await openSqliteStorage(file).close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteStorage(file)).toThrow(/newer than this relay supports/);
  });
});
