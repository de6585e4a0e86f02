/**
 * An owner managing a channel after creating it, through a real relay and ws clients: the
 * avatar changed or removed (pushed live, noticed on catch-up), and admins listed and removed
 * (their later posts, edits and deletes refused; their earlier posts kept and verifiable),
 * with each refusal's own code and nothing stored by a refused request.
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_LIMITS, type FrameOf, type ServerFrame } from '../../shared/protocol';
import { relayForTest, signInForTest, signUpForTest } from './testSupport';
import {
  adminCert,
  createChannelKeys,
  editRequest,
  postRequest,
  revocationSig,
  verifyPost,
  type TestChannelKeys,
} from './testing/channels';
import { expectFrame, type RelayTestClient, type SignedUpClient } from './testing/client';

const errCode = (frame: ServerFrame): string => (frame.t === 'err' ? frame.code : `not an error: ${frame.t}`);
const framesOf = <T extends ServerFrame['t']>(client: RelayTestClient, t: T) =>
  client.frames.filter((frame): frame is FrameOf<ServerFrame, T> => frame.t === t);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const WEBP = new Uint8Array([...Buffer.from('RIFF'), 4, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);

async function createChannel(owner: SignedUpClient, handle: string, avatar?: Uint8Array<ArrayBuffer>) {
  const keys = await createChannelKeys();
  const answer = await owner.client.request({
    t: 'chanCreate',
    channelKey: keys.publicKey,
    ownerCert: adminCert(keys, owner.identity),
    title: `Channel ${handle}`,
    description: '',
    handle,
    ...(avatar ? { avatar } : {}),
  });
  const info = expectFrame(answer, 'channel').info;
  return { channelId: info.channelId, keys, info };
}

function addAdmin(owner: SignedUpClient, keys: TestChannelKeys, channelId: string, admin: SignedUpClient) {
  return owner.client.request({
    t: 'chanAdmin',
    channelId,
    userId: admin.user.userId,
    identityKey: admin.identity.identityKey,
    cert: adminCert(keys, admin.identity),
  });
}

function removeAdmin(owner: SignedUpClient, keys: TestChannelKeys, channelId: string, admin: SignedUpClient) {
  return owner.client.request({
    t: 'chanUnadmin',
    channelId,
    userId: admin.user.userId,
    identityKey: admin.identity.identityKey,
    sig: revocationSig(keys, admin.identity.identityKey),
  });
}

async function infoOf(client: RelayTestClient, channelId: string) {
  return expectFrame(await client.request({ t: 'chanHistory', channelId, limit: 100 }), 'chanPosts');
}

describe('an owner managing a channel', () => {
  it('changes and removes the avatar: pushed live, seen on catch-up, refused for non-owners and non-images', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys, info } = await createChannel(owner, 'gallery', PNG);
    expect(info.infoRev).toBe(0);
    const live = await signUpForTest(url, 'live');
    const away = await signUpForTest(url, 'away');
    const helper = await signUpForTest(url, 'helper');
    for (const { client } of [live, away, helper])
      expectFrame(await client.request({ t: 'chanSub', channelId }), 'channel');
    expectFrame(await addAdmin(owner, keys, channelId, helper), 'channel');
    const revBefore = (await infoOf(owner.client, channelId)).info.infoRev!;
    await away.client.close();

    // Refusals first: nothing changes with any of them.
    const unknown = 'c_AAAAAAAAAAAAAAAAAAAAAA';
    expect(errCode(await live.client.request({ t: 'chanSetAvatar', channelId, avatar: WEBP }))).toBe('not_owner');
    expect(errCode(await helper.client.request({ t: 'chanSetAvatar', channelId, avatar: null }))).toBe('not_owner');
    const svg = new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    expect(errCode(await owner.client.request({ t: 'chanSetAvatar', channelId, avatar: svg }))).toBe('bad_frame');
    expect(errCode(await owner.client.request({ t: 'chanSetAvatar', channelId, avatar: new Uint8Array(0) }))).toBe(
      'bad_frame',
    );
    const huge = new Uint8Array(CHANNEL_LIMITS.maxAvatarBytes + 1);
    huge.set(PNG);
    expect(errCode(await owner.client.request({ t: 'chanSetAvatar', channelId, avatar: huge }))).toBe('bad_frame');
    expect(errCode(await owner.client.request({ t: 'chanSetAvatar', channelId: unknown, avatar: WEBP }))).toBe(
      'unknown_channel',
    );
    const unchanged = (await infoOf(owner.client, channelId)).info;
    expect(unchanged).toMatchObject({ avatar: PNG, infoRev: revBefore });
    expect(framesOf(live.client, 'chanAvatar')).toEqual([]);

    // A new picture: answered with the new info, pushed to online subscribers with the bytes.
    const changed = expectFrame(await owner.client.request({ t: 'chanSetAvatar', channelId, avatar: WEBP }), 'channel');
    expect(changed.info).toMatchObject({ avatar: WEBP, infoRev: revBefore + 1, role: 'owner' });
    const push = await live.client.waitUntil(() => framesOf(live.client, 'chanAvatar')[0]);
    expect(push).toEqual({ t: 'chanAvatar', channelId, infoRev: revBefore + 1, avatar: WEBP });
    expect((await infoOf(live.client, channelId)).info.avatar).toEqual(WEBP);

    // Removed: null everywhere, and search says so.
    const removed = expectFrame(await owner.client.request({ t: 'chanSetAvatar', channelId, avatar: null }), 'channel');
    expect(removed.info).toMatchObject({ avatar: null, infoRev: revBefore + 2 });
    await live.client.waitUntil(() => framesOf(live.client, 'chanAvatar').find((p) => p.avatar === null));
    const found = expectFrame(await live.client.request({ t: 'chanSearch', query: 'gallery' }), 'channels');
    expect(found.channels[0]?.hasAvatar).toBe(false);

    // The subscriber who was away sees a newer info revision in its catch-up, and re-reads it.
    const back = await signInForTest(url, away.identity);
    const batch = expectFrame(
      await back.client.request({ t: 'chanSync', channels: [{ channelId, after: 0 }] }),
      'chanBatch',
    );
    expect(batch.channels[0]).toMatchObject({ status: 'ok', infoRev: revBefore + 2 });
    expect((await infoOf(back.client, channelId)).info).toMatchObject({ avatar: null, infoRev: revBefore + 2 });
  });

  it('removes an admin: later posts, edits and deletes are refused with not_admin, earlier posts stay valid', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, 'newsroom');
    const editor = await signUpForTest(url, 'editor');
    const reader = await signUpForTest(url, 'reader');
    for (const { client } of [editor, reader])
      expectFrame(await client.request({ t: 'chanSub', channelId }), 'channel');
    const added = expectFrame(await addAdmin(owner, keys, channelId, editor), 'channel');
    // The editor's client hears that its role changed.
    const addPush = await editor.client.waitUntil(() => framesOf(editor.client, 'chanAdminChange')[0]);
    expect(addPush).toMatchObject({ userId: editor.user.userId, infoRev: added.info.infoRev, revoked: [] });

    const early = postRequest(editor.identity, keys.publicKey, channelId, 'filed before the removal');
    const earlyPosted = expectFrame(await editor.client.request(early), 'chanPosted');

    // Only the owner lists admins; the owner comes first, with the certified keys.
    expect(errCode(await editor.client.request({ t: 'chanAdmins', channelId }))).toBe('not_owner');
    const list = expectFrame(await owner.client.request({ t: 'chanAdmins', channelId }), 'chanAdminList');
    expect(list.admins.map((a) => [a.username, a.owner])).toEqual([
      ['owner', true],
      ['editor', false],
    ]);
    expect(list.admins[1]!.identityKey).toEqual(editor.identity.identityKey);

    const removed = expectFrame(await removeAdmin(owner, keys, channelId, editor), 'channel');
    expect(removed.info.infoRev).toBe(added.info.infoRev! + 1);
    expect(removed.info.revoked).toEqual([
      {
        identityKey: editor.identity.identityKey,
        after: earlyPosted.cseq,
        sig: revocationSig(keys, editor.identity.identityKey),
      },
    ]);
    // Subscribers (the removed admin included) are told, with the whole revocation list.
    for (const { client } of [reader, editor]) {
      const push = await client.waitUntil(() =>
        framesOf(client, 'chanAdminChange').find((p) => p.infoRev === removed.info.infoRev),
      );
      expect(push).toMatchObject({ userId: editor.user.userId, revoked: removed.info.revoked });
    }

    // From now on: no posts, edits, deletes or pins by the removed admin; nothing stored.
    expect(errCode(await editor.client.request(postRequest(editor.identity, keys.publicKey, channelId, 'late')))).toBe(
      'not_admin',
    );
    const edit = editRequest(editor.identity, keys.publicKey, channelId, early.postId, 1, 'rewritten');
    expect(errCode(await editor.client.request(edit))).toBe('not_admin');
    const del = editRequest(editor.identity, keys.publicKey, channelId, early.postId, 1, null);
    expect(errCode(await editor.client.request(del))).toBe('not_admin');
    expect(errCode(await editor.client.request({ t: 'chanPin', channelId, postId: early.postId }))).toBe('not_admin');
    const seen = await infoOf(reader.client, channelId);
    expect(seen.info).toMatchObject({ head: earlyPosted.cseq, role: 'subscriber' });
    expect((await infoOf(editor.client, channelId)).info.role).toBe('subscriber');
    // The earlier post is still there, unchanged and verifiable, numbered within the revocation.
    expect(seen.posts).toHaveLength(1);
    expect(seen.posts[0]).toMatchObject({ postId: early.postId, rev: 0, cseq: earlyPosted.cseq });
    expect(verifyPost(keys.publicKey, seen.posts[0]!)).toBe(true);
    expect(seen.posts[0]!.cseq).toBeLessThanOrEqual(seen.info.revoked![0]!.after);

    // The owner still posts; a subscriber still is one.
    expectFrame(
      await owner.client.request(postRequest(owner.identity, keys.publicKey, channelId, 'owner')),
      'chanPosted',
    );
    expect(seen.info.subscribers).toBe(3);

    // Re-adding the admin lifts the revocation.
    const readded = expectFrame(await addAdmin(owner, keys, channelId, editor), 'channel');
    expect(readded.info.revoked).toEqual([]);
    expectFrame(
      await editor.client.request(postRequest(editor.identity, keys.publicKey, channelId, 'back')),
      'chanPosted',
    );
  });

  it('answers each bad removal with its own code and stores nothing', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, 'guarded');
    const admin = await signUpForTest(url, 'admin');
    const stranger = await signUpForTest(url, 'stranger');
    expectFrame(await stranger.client.request({ t: 'chanSub', channelId }), 'channel');
    const added = expectFrame(await addAdmin(owner, keys, channelId, admin), 'channel');
    const otherKeys = await createChannelKeys();
    const request = {
      t: 'chanUnadmin' as const,
      channelId,
      userId: admin.user.userId,
      identityKey: admin.identity.identityKey,
      sig: revocationSig(keys, admin.identity.identityKey),
    };

    // Not the owner (an admin neither).
    expect(errCode(await admin.client.request(request))).toBe('not_owner');
    expect(errCode(await stranger.client.request(request))).toBe('not_owner');
    // Unknown channel.
    expect(errCode(await owner.client.request({ ...request, channelId: 'c_AAAAAAAAAAAAAAAAAAAAAA' }))).toBe(
      'unknown_channel',
    );
    // The owner's own certificate.
    const self = {
      ...request,
      userId: owner.user.userId,
      identityKey: owner.identity.identityKey,
      sig: revocationSig(keys, owner.identity.identityKey),
    };
    expect(errCode(await owner.client.request(self))).toBe('bad_frame');
    // Signed by another key, or over another identity key than the one named.
    expect(
      errCode(await owner.client.request({ ...request, sig: revocationSig(otherKeys, admin.identity.identityKey) })),
    ).toBe('bad_signature');
    expect(
      errCode(await owner.client.request({ ...request, sig: revocationSig(keys, stranger.identity.identityKey) })),
    ).toBe('bad_signature');
    // A valid revocation of a key this admin is not certified for.
    const wrongKey = {
      ...request,
      identityKey: stranger.identity.identityKey,
      sig: revocationSig(keys, stranger.identity.identityKey),
    };
    expect(errCode(await owner.client.request(wrongKey))).toBe('identity_changed');
    // Someone who is not an admin.
    expect(
      errCode(
        await owner.client.request({
          ...wrongKey,
          userId: stranger.user.userId,
        }),
      ),
    ).toBe('not_found');

    // None of that stored anything: same revision, no revocations, the admin still posts.
    const after = (await infoOf(owner.client, channelId)).info;
    expect(after).toMatchObject({ infoRev: added.info.infoRev, revoked: [] });
    expect(framesOf(stranger.client, 'chanAdminChange').filter((p) => p.infoRev > added.info.infoRev!)).toEqual([]);
    expectFrame(
      await admin.client.request(postRequest(admin.identity, keys.publicKey, channelId, 'still here')),
      'chanPosted',
    );

    // Removing twice: the second is not_found.
    expectFrame(await owner.client.request(request), 'channel');
    expect(errCode(await owner.client.request(request))).toBe('not_found');
  });

  it('never stores a post racing the removal of its author after the revocation point', async () => {
    const { url } = await relayForTest({ limits: { ratePerSecond: 10_000, rateBurst: 10_000 } });
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, 'racing');
    const admin = await signUpForTest(url, 'admin');
    expectFrame(await addAdmin(owner, keys, channelId, admin), 'channel');
    // Posts and the removal in flight together: each post lands before the revocation
    // (cseq ≤ after) or is refused; none is stored after it.
    const posts = Array.from({ length: 20 }, (_, i) =>
      admin.client.request(postRequest(admin.identity, keys.publicKey, channelId, `race ${i}`)),
    );
    const removal = removeAdmin(owner, keys, channelId, admin);
    const [answers, removed] = await Promise.all([Promise.all(posts), removal]);
    const after = expectFrame(removed, 'channel').info.revoked![0]!.after;
    for (const answer of answers) {
      if (answer.t === 'chanPosted') expect(answer.cseq).toBeLessThanOrEqual(after);
      else expect(errCode(answer)).toBe('not_admin');
    }
    const history = await infoOf(owner.client, channelId);
    expect(history.info.head).toBe(after);
  });

  it(`refuses more than ${CHANNEL_LIMITS.maxAdmins} admins with admin_limit`, async () => {
    const { url } = await relayForTest({ limits: { ratePerSecond: 10_000, rateBurst: 10_000 } });
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, 'crowded');
    const people = await Promise.all(
      Array.from({ length: CHANNEL_LIMITS.maxAdmins }, (_, i) => signUpForTest(url, `admin${i}`)),
    );
    for (const person of people.slice(0, -1)) expectFrame(await addAdmin(owner, keys, channelId, person), 'channel');
    const last = people.at(-1)!;
    expect(errCode(await addAdmin(owner, keys, channelId, last))).toBe('admin_limit');
    const list = expectFrame(await owner.client.request({ t: 'chanAdmins', channelId }), 'chanAdminList');
    expect(list.admins).toHaveLength(CHANNEL_LIMITS.maxAdmins);
    // Certifying an admin again is not a new admin.
    expectFrame(await addAdmin(owner, keys, channelId, people[0]!), 'channel');
  });
});
