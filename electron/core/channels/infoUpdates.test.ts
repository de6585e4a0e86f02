import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelRevocationMessage } from '../../../shared/protocol';
import { sodium, sodiumReady } from '../crypto/sodium';
import { openDatabase, type Db } from '../db/database';
import { tempDirs } from '../testing/tempDir';
import { applyInfoPush } from './infoUpdates';
import { ChannelRepo } from './repo';

const CHANNEL = 'c_AAAAAAAAAAAAAAAAAAAAAA';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
/** SQLite hands back Buffers: compare bytes as plain arrays. */
const bytes = (b: Uint8Array | null | undefined) => (b ? [...b] : b);
const dirs = tempDirs();
const open: Db[] = [];
beforeAll(() => sodiumReady());
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  dirs.cleanup();
});

function setup(infoRev = 3) {
  const db = openDatabase(path.join(dirs.make(), 'profile.db'));
  open.push(db);
  const repo = new ChannelRepo(db);
  const channel = sodium.crypto_sign_keypair();
  repo.upsert({
    channelId: CHANNEL,
    channelKey: channel.publicKey,
    handle: 'pics',
    title: 'Pictures',
    description: '',
    ownerId: 'u_OOOOOOOOOOOOOOOOOOOOOO',
    role: 'subscriber',
    myCert: null,
    subscribers: 2,
    pinned: null,
    avatar: PNG,
    infoRev,
    now: 1,
  });
  return { repo, channel };
}

describe('pushed channel info changes', () => {
  it('applies the next avatar change, ignores old ones and re-reads after a gap', () => {
    const { repo } = setup(3);
    const webp = new Uint8Array([...Buffer.from('RIFF'), 4, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);
    const push = (infoRev: number, avatar: Uint8Array<ArrayBuffer> | null) =>
      applyInfoPush(repo, { t: 'chanAvatar', channelId: CHANNEL, infoRev, avatar }, null);
    expect(push(3, webp)).toBe('ignored');
    expect(push(5, webp)).toBe('refresh');
    expect(bytes(repo.get(CHANNEL)?.avatar)).toEqual([...PNG]);
    expect(repo.get(CHANNEL)?.info_rev).toBe(3);
    expect(push(4, webp)).toBe('applied');
    expect(bytes(repo.get(CHANNEL)?.avatar)).toEqual([...webp]);
    expect(repo.get(CHANNEL)?.info_rev).toBe(4);
    // Not a picture (the relay is not trusted to have checked): shown as none.
    expect(push(5, new Uint8Array(Buffer.from('<svg/>')))).toBe('applied');
    expect(repo.get(CHANNEL)?.avatar).toBeNull();
    expect(
      applyInfoPush(repo, { t: 'chanAvatar', channelId: 'c_BBBBBBBBBBBBBBBBBBBBBB', infoRev: 1, avatar: null }, null),
    ).toBe('ignored');
  });

  it('replaces the revocations with the verified list, and re-reads when it is about us', () => {
    const { repo, channel } = setup(0);
    const admin = sodium.crypto_sign_keypair().publicKey;
    const sig = sodium.crypto_sign_detached(channelRevocationMessage(channel.publicKey, admin), channel.privateKey);
    const revoked = [{ identityKey: new Uint8Array(admin), after: 9, sig: new Uint8Array(sig) }];
    const forged = [{ identityKey: new Uint8Array(admin), after: 9, sig: new Uint8Array(64) }];
    const change = (infoRev: number, userId: string, list: typeof revoked) =>
      applyInfoPush(
        repo,
        { t: 'chanAdminChange', channelId: CHANNEL, infoRev, userId, revoked: list },
        'u_MeMeMeMeMeMeMeMeMeMeMe',
      );
    expect(change(1, 'u_HHHHHHHHHHHHHHHHHHHHHH', forged)).toBe('applied');
    expect(repo.revocations(CHANNEL)).toEqual([]);
    expect(change(2, 'u_HHHHHHHHHHHHHHHHHHHHHH', revoked)).toBe('applied');
    expect(repo.revocations(CHANNEL).map((r) => [bytes(r.identityKey), r.after])).toEqual([[[...admin], 9]]);
    expect(change(3, 'u_MeMeMeMeMeMeMeMeMeMeMe', [])).toBe('refresh');
    expect(repo.revocations(CHANNEL)).toEqual([]);
    expect(repo.get(CHANNEL)?.info_rev).toBe(3);
  });
});
