/**
 * The channel store's admin rules on their own (SQLite in memory): a removal wins over a
 * post queued in the same commit, re-adding lifts a revocation, and the revocation list is
 * bounded. Protocol-level behaviour is in relay.channels.manage.test.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_LIMITS } from '../../../shared/protocol';
import { openSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/storage';

let storage: Storage;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
});
afterEach(() => storage.close());

const bytes = (n: number) => new Uint8Array(randomBytes(n));

async function user(username: string): Promise<{ userId: string; identityKey: Uint8Array<ArrayBuffer> }> {
  const identityKey = bytes(32);
  const result = await storage.createAccount(
    { username, displayName: username, identityKey, dhKey: bytes(32), dhKeySig: bytes(64) },
    1,
  );
  if (result.status !== 'created') throw new Error(result.status);
  return { userId: result.account.user.userId, identityKey };
}

async function channelWithAdmin() {
  const owner = await user('owner');
  const admin = await user('admin');
  const channelId = `c_${randomBytes(16).toString('base64url')}`;
  const created = await storage.channels.createChannel({
    channelId,
    channelKey: bytes(32),
    ownerId: owner.userId,
    ownerIdentityKey: owner.identityKey,
    ownerCert: bytes(64),
    handle: 'store',
    title: 'Store',
    description: '',
    avatar: null,
    now: 1,
  });
  if (created.status !== 'created') throw new Error(created.status);
  await storage.channels.addAdmin(channelId, admin.userId, { identityKey: admin.identityKey, cert: bytes(64) }, 2);
  return { channelId, owner, admin };
}

const newPost = (channelId: string, author: { userId: string; identityKey: Uint8Array<ArrayBuffer> }) => ({
  channelId,
  userId: author.userId,
  postId: randomUUID(),
  body: new Uint8Array(Buffer.from('hello')),
  author: author.identityKey,
  cert: bytes(64),
  sig: bytes(64),
  now: 3,
});

describe('channel admins in the store', () => {
  it('refuses a post written after the removal of its author in the same commit', async () => {
    const { channelId, admin } = await channelWithAdmin();
    const before = await storage.channels.appendPost(newPost(channelId, admin));
    expect(before.status).toBe('stored');
    // Both queued in one turn: they share a commit, applied in call order.
    const [removed, late] = await Promise.all([
      storage.channels.removeAdmin(channelId, admin.userId, { identityKey: admin.identityKey, sig: bytes(64) }, 4),
      storage.channels.appendPost(newPost(channelId, admin)),
    ]);
    expect(removed.status).toBe('removed');
    expect(late.status).toBe('not_admin');
    const channel = await storage.channels.getChannel(channelId);
    expect(channel?.head).toBe(1);
    expect((await storage.channels.revocations(channelId)).map((r) => r.after)).toEqual([1]);
  });

  it('lifts the revocation when the admin is added again, and bumps the info revision each time', async () => {
    const { channelId, admin } = await channelWithAdmin();
    const start = (await storage.channels.getChannel(channelId))!.infoRev;
    await storage.channels.removeAdmin(channelId, admin.userId, { identityKey: admin.identityKey, sig: bytes(64) }, 4);
    expect(await storage.channels.revocations(channelId)).toHaveLength(1);
    const readded = await storage.channels.addAdmin(
      channelId,
      admin.userId,
      { identityKey: admin.identityKey, cert: bytes(64) },
      5,
    );
    expect(readded).toMatchObject({ status: 'added', channel: { infoRev: start + 2 } });
    expect(await storage.channels.revocations(channelId)).toEqual([]);
  });

  it(`keeps at most ${CHANNEL_LIMITS.maxRevocations} revocations (admin_limit), storing nothing past it`, async () => {
    const { channelId, admin } = await channelWithAdmin();
    const revoke = (identityKey: Uint8Array<ArrayBuffer>, userId: string) =>
      storage.channels.removeAdmin(channelId, userId, { identityKey, sig: bytes(64) }, 4);
    for (let i = 0; i < CHANNEL_LIMITS.maxRevocations; i++) {
      const helper = await user(`helper${i}`);
      await storage.channels.addAdmin(
        channelId,
        helper.userId,
        { identityKey: helper.identityKey, cert: bytes(64) },
        3,
      );
      expect((await revoke(helper.identityKey, helper.userId)).status).toBe('removed');
    }
    const revBefore = (await storage.channels.getChannel(channelId))!.infoRev;
    expect((await revoke(admin.identityKey, admin.userId)).status).toBe('admin_limit');
    expect((await storage.channels.membership(channelId, admin.userId)).admin).toBeDefined();
    expect((await storage.channels.getChannel(channelId))!.infoRev).toBe(revBefore);
  });
});
