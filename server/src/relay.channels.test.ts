/**
 * Channels through a real relay: fan-out to 200 real WebSocket subscribers, catch-up by
 * sequence after a reconnect, admin rights, forged posts, private channels and invite
 * links, and the specific refusals.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHANNEL_LIMITS, type FrameOf, type ServerFrame } from '../../shared/protocol';
import { connectForTest, relayForTest, signInForTest, signUpForTest } from './testSupport';
import { adminCert, createChannelKeys, postRequest, signPost, verifyPost } from './testing/channels';
import { expectFrame, signUp, type RelayTestClient, type SignedUpClient } from './testing/client';

type PushFrame = FrameOf<ServerFrame, 'chanPush'>;
const pushes = (client: RelayTestClient): PushFrame[] =>
  client.frames.filter((frame): frame is PushFrame => frame.t === 'chanPush');
const errCode = (frame: ServerFrame): string => (frame.t === 'err' ? frame.code : `not an error: ${frame.t}`);

async function createChannel(
  owner: SignedUpClient,
  options: { handle?: string; title?: string } = {},
): Promise<{ channelId: string; keys: Awaited<ReturnType<typeof createChannelKeys>> }> {
  const keys = await createChannelKeys();
  const answer = await owner.client.request({
    t: 'chanCreate',
    channelKey: keys.publicKey,
    ownerCert: adminCert(keys, owner.identity),
    title: options.title ?? 'News',
    description: 'All the news',
    ...(options.handle !== undefined ? { handle: options.handle } : {}),
  });
  const info = expectFrame(answer, 'channel').info;
  expect(info.role).toBe('owner');
  return { channelId: info.channelId, keys };
}

describe('channels through a real relay', () => {
  it('delivers every post exactly once, in order, to 200 online subscribers', async () => {
    const { url } = await relayForTest({ limits: { ratePerSecond: 10_000, rateBurst: 10_000 } });
    const admin = await signUpForTest(url, 'admin');
    const { channelId, keys } = await createChannel(admin, { handle: 'daily' });

    const subscribers: SignedUpClient[] = [];
    for (let batch = 0; batch < 4; batch++) {
      subscribers.push(
        ...(await Promise.all(Array.from({ length: 50 }, (_, i) => signUpForTest(url, `sub${batch * 50 + i}`)))),
      );
    }
    await Promise.all(
      subscribers.map(async ({ client }) => expectFrame(await client.request({ t: 'chanSub', channelId }), 'channel')),
    );

    const POSTS = 10;
    const postIds: string[] = [];
    for (let i = 0; i < POSTS; i++) {
      const request = postRequest(admin.identity, keys.publicKey, channelId, `post ${i}: ${'x'.repeat(200)}`);
      postIds.push(request.postId);
      const posted = expectFrame(await admin.client.request(request), 'chanPosted');
      expect(posted).toMatchObject({ seq: i + 1, cseq: i + 1, duplicate: false });
    }

    await Promise.all(
      subscribers.map(({ client }) => client.waitUntil(() => (pushes(client).length >= POSTS ? true : undefined))),
    );
    // Anything extra would have arrived by the time one more round trip is answered.
    await Promise.all(subscribers.map(({ client }) => client.ping()));
    for (const { client } of subscribers) {
      const received = pushes(client);
      expect(received.map((push) => push.post.cseq)).toEqual(Array.from({ length: POSTS }, (_, i) => i + 1));
      expect(received.map((push) => push.post.postId)).toEqual(postIds);
    }
    const sample = pushes(subscribers[123]!.client)[4]!.post;
    expect(verifyPost(keys.publicKey, sample)).toBe(true);
    expect(Buffer.from(sample.body).toString('utf8')).toMatch(/^post 4: x+$/);

    const stats = expectFrame(
      await subscribers[0]!.client.request({ t: 'chanViews', channelId, seen: [1, 2], query: [1, 2, 3] }),
      'chanStats',
    );
    expect(stats.subscribers).toBe(201);
    expect(stats.views).toEqual([
      { seq: 1, views: 1 },
      { seq: 2, views: 1 },
      { seq: 3, views: 0 },
    ]);
  });

  it('lets an offline subscriber catch up by sequence after reconnecting, in pages, for several channels in one request', async () => {
    const { url } = await relayForTest({ limits: { ratePerSecond: 10_000, rateBurst: 10_000 } });
    const admin = await signUpForTest(url, 'admin');
    const a = await createChannel(admin, { handle: 'alpha' });
    const b = await createChannel(admin, { handle: 'beta' });
    const reader = await signUpForTest(url, 'reader');
    for (const { channelId } of [a, b]) {
      expectFrame(await reader.client.request({ t: 'chanSub', channelId }), 'channel');
    }
    const first = postRequest(admin.identity, a.keys.publicKey, a.channelId, 'first');
    expectFrame(await admin.client.request(first), 'chanPosted');
    await reader.client.waitUntil(() => (pushes(reader.client).length === 1 ? true : undefined));
    const cursorA = pushes(reader.client)[0]!.post.cseq;
    await reader.client.close();

    // While the reader is away: 300 posts to alpha (more than one page), an edit and a
    // deletion of the first post, 2 posts to beta.
    const COUNT = 300;
    for (let i = 0; i < COUNT; i++) {
      expectFrame(
        await admin.client.request(postRequest(admin.identity, a.keys.publicKey, a.channelId, `a${i}`)),
        'chanPosted',
      );
    }
    const editBody = new Uint8Array(Buffer.from('first, edited'));
    const edit = {
      t: 'chanEdit' as const,
      channelId: a.channelId,
      postId: first.postId,
      rev: 1,
      deleted: false,
      body: editBody,
      sig: signPost(admin.identity, a.keys.publicKey, { postId: first.postId, rev: 1, deleted: false, body: editBody }),
    };
    expectFrame(await admin.client.request(edit), 'chanPosted');
    const empty = new Uint8Array(0);
    const del = {
      t: 'chanEdit' as const,
      channelId: a.channelId,
      postId: first.postId,
      rev: 2,
      deleted: true,
      body: empty,
      sig: signPost(admin.identity, a.keys.publicKey, { postId: first.postId, rev: 2, deleted: true, body: empty }),
    };
    const deleted = expectFrame(await admin.client.request(del), 'chanPosted');
    for (const text of ['b0', 'b1']) {
      expectFrame(
        await admin.client.request(postRequest(admin.identity, b.keys.publicKey, b.channelId, text)),
        'chanPosted',
      );
    }

    const { client } = await signInForTest(url, reader.identity);
    const cursors = new Map([
      [a.channelId, cursorA],
      [b.channelId, 0],
    ]);
    const received = new Map<string, FrameOf<ServerFrame, 'chanPush'>['post'][]>([
      [a.channelId, []],
      [b.channelId, []],
    ]);
    let pending = [...cursors.keys()];
    let requests = 0;
    while (pending.length > 0) {
      requests++;
      const batch = expectFrame(
        await client.request({
          t: 'chanSync',
          channels: pending.map((channelId) => ({ channelId, after: cursors.get(channelId)! })),
        }),
        'chanBatch',
      );
      pending = [];
      for (const entry of batch.channels) {
        expect(entry.status).toBe('ok');
        received.get(entry.channelId)!.push(...entry.posts);
        const last = entry.posts.at(-1);
        if (last) cursors.set(entry.channelId, last.cseq);
        if (entry.more) pending.push(entry.channelId);
      }
    }
    expect(requests).toBeGreaterThan(1);
    const gotA = received.get(a.channelId)!;
    // The first post shows up once, as its latest revision (deleted); posts 2.. in order.
    expect(gotA).toHaveLength(COUNT + 1);
    expect(gotA.map((post) => post.cseq)).toEqual([...gotA.map((post) => post.cseq)].sort((x, y) => x - y));
    expect(gotA.at(-1)).toMatchObject({ postId: first.postId, deleted: true, rev: 2, cseq: deleted.cseq });
    expect(gotA.every((post) => verifyPost(a.keys.publicKey, post))).toBe(true);
    expect(received.get(b.channelId)!.map((post) => Buffer.from(post.body).toString())).toEqual(['b0', 'b1']);

    // chanSync attached the connection: new posts arrive live again.
    const live = postRequest(admin.identity, b.keys.publicKey, b.channelId, 'live');
    expectFrame(await admin.client.request(live), 'chanPosted');
    const push = await client.waitUntil(() => pushes(client).find((p) => p.post.postId === live.postId));
    expect(push.post.cseq).toBe(cursors.get(b.channelId)! + 1);
  });

  it('refuses posts from non-admins and forged posts, storing nothing', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, { handle: 'guarded' });
    const mallory = await signUpForTest(url, 'mallory');
    expectFrame(await mallory.client.request({ t: 'chanSub', channelId }), 'channel');

    // A subscriber signing their own post: not an admin.
    expect(errCode(await mallory.client.request(postRequest(mallory.identity, keys.publicKey, channelId, 'hi')))).toBe(
      'not_admin',
    );
    // The owner's connection with a signature by someone else's key: forged.
    const forged = postRequest(mallory.identity, keys.publicKey, channelId, 'forged');
    expect(errCode(await owner.client.request(forged))).toBe('bad_signature');
    // A valid signature over a different body.
    const genuine = postRequest(owner.identity, keys.publicKey, channelId, 'genuine');
    expect(errCode(await owner.client.request({ ...genuine, body: new Uint8Array(Buffer.from('tampered')) }))).toBe(
      'bad_signature',
    );
    // Edits and pins need admin rights too.
    expect(errCode(await mallory.client.request({ t: 'chanPin', channelId, postId: null }))).toBe('not_admin');

    const history = expectFrame(await mallory.client.request({ t: 'chanHistory', channelId, limit: 10 }), 'chanPosts');
    expect(history.posts).toEqual([]);
    expect(history.info.head).toBe(0);
    expect(pushes(mallory.client)).toEqual([]);

    // An admin the owner adds can post; its post verifies through its certificate.
    expect(
      errCode(
        await mallory.client.request({
          t: 'chanAdmin',
          channelId,
          userId: mallory.user.userId,
          identityKey: mallory.identity.identityKey,
          cert: adminCert(keys, mallory.identity),
        }),
      ),
    ).toBe('not_owner');
    const promoted = expectFrame(
      await owner.client.request({
        t: 'chanAdmin',
        channelId,
        userId: mallory.user.userId,
        identityKey: mallory.identity.identityKey,
        cert: adminCert(keys, mallory.identity),
      }),
      'channel',
    );
    expect(promoted.info.subscribers).toBe(2);
    const byAdmin = postRequest(mallory.identity, keys.publicKey, channelId, 'now I may');
    expectFrame(await mallory.client.request(byAdmin), 'chanPosted');
    const push = await owner.client.waitUntil(() => pushes(owner.client)[0]);
    expect(verifyPost(keys.publicKey, push.post)).toBe(true);
    // A certificate made by a key other than the channel's is refused.
    const otherKeys = await createChannelKeys();
    const third = await signUpForTest(url, 'third');
    expect(
      errCode(
        await owner.client.request({
          t: 'chanAdmin',
          channelId,
          userId: third.user.userId,
          identityKey: third.identity.identityKey,
          cert: adminCert(otherKeys, third.identity),
        }),
      ),
    ).toBe('bad_signature');
  });

  it('answers oversize posts, duplicate handles, unknown channels and stale edits with their own codes', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, { handle: 'taken' });
    const big = postRequest(owner.identity, keys.publicKey, channelId, 'y'.repeat(CHANNEL_LIMITS.maxPostBytes + 1));
    expect(errCode(await owner.client.request(big))).toBe('post_too_large');

    const other = await createChannelKeys();
    expect(
      errCode(
        await owner.client.request({
          t: 'chanCreate',
          channelKey: other.publicKey,
          ownerCert: adminCert(other, owner.identity),
          title: 'Copy',
          description: '',
          handle: 'taken',
        }),
      ),
    ).toBe('handle_taken');
    // A cert not made by the channel key being registered.
    expect(
      errCode(
        await owner.client.request({
          t: 'chanCreate',
          channelKey: other.publicKey,
          ownerCert: adminCert(keys, owner.identity),
          title: 'Forged',
          description: '',
        }),
      ),
    ).toBe('bad_signature');

    const unknown = 'c_AAAAAAAAAAAAAAAAAAAAAA';
    expect(errCode(await owner.client.request({ t: 'chanSub', channelId: unknown }))).toBe('unknown_channel');
    expect(errCode(await owner.client.request(postRequest(owner.identity, keys.publicKey, unknown, 'x')))).toBe(
      'unknown_channel',
    );
    expect(errCode(await owner.client.request({ t: 'chanHistory', handle: 'nobody', limit: 5 }))).toBe(
      'unknown_channel',
    );

    const post = postRequest(owner.identity, keys.publicKey, channelId, 'once');
    const stored = expectFrame(await owner.client.request(post), 'chanPosted');
    const again = expectFrame(await owner.client.request(post), 'chanPosted');
    expect(again).toMatchObject({ duplicate: true, seq: stored.seq });
    const body = new Uint8Array(Buffer.from('older'));
    expect(
      errCode(
        await owner.client.request({
          t: 'chanEdit',
          channelId,
          postId: post.postId,
          rev: 1,
          deleted: false,
          body,
          sig: signPost(owner.identity, keys.publicKey, { postId: post.postId, rev: 0, deleted: false, body }),
        }),
      ),
    ).toBe('bad_signature');
    const rev1 = {
      t: 'chanEdit' as const,
      channelId,
      postId: post.postId,
      rev: 1,
      deleted: false,
      body,
      sig: signPost(owner.identity, keys.publicKey, { postId: post.postId, rev: 1, deleted: false, body }),
    };
    expectFrame(await owner.client.request(rev1), 'chanPosted');
    expect(errCode(await owner.client.request(rev1))).toBe('stale_revision');
    const unknownPost = randomUUID();
    expect(
      errCode(
        await owner.client.request({
          ...rev1,
          postId: unknownPost,
          sig: signPost(owner.identity, keys.publicKey, { postId: unknownPost, rev: 1, deleted: false, body }),
        }),
      ),
    ).toBe('not_found');
  });

  it('keeps a private channel out of search and lets people in only with a valid invite link', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const open = await createChannel(owner, { handle: 'openclub', title: 'Secret garden open' });
    const hidden = await createChannel(owner, { title: 'Secret garden' });
    const guest = await signUpForTest(url, 'guest');

    const found = expectFrame(await guest.client.request({ t: 'chanSearch', query: 'secret' }), 'channels');
    expect(found.channels.map((channel) => channel.channelId)).toEqual([open.channelId]);
    const byHandle = expectFrame(await guest.client.request({ t: 'chanSearch', query: '@openc' }), 'channels');
    expect(byHandle.channels.map((channel) => channel.handle)).toEqual(['openclub']);

    // Knowing the id is not enough.
    expect(errCode(await guest.client.request({ t: 'chanSub', channelId: hidden.channelId }))).toBe('unknown_channel');
    expect(errCode(await guest.client.request({ t: 'chanHistory', channelId: hidden.channelId, limit: 5 }))).toBe(
      'unknown_channel',
    );
    // Only the owner makes links.
    expect(errCode(await guest.client.request({ t: 'chanInvite', channelId: open.channelId }))).toBe('not_owner');
    const invite = expectFrame(
      await owner.client.request({ t: 'chanInvite', channelId: hidden.channelId }),
      'chanInviteToken',
    );
    const bogus = 'A'.repeat(32);
    expect(errCode(await guest.client.request({ t: 'chanJoin', token: bogus }))).toBe('invalid_invite');
    const joined = expectFrame(await guest.client.request({ t: 'chanJoin', token: invite.token }), 'channel');
    expect(joined.info).toMatchObject({
      channelId: hidden.channelId,
      role: 'subscriber',
      isPublic: false,
      subscribers: 2,
    });

    // A member reads it and gets its posts live.
    const post = postRequest(owner.identity, hidden.keys.publicKey, hidden.channelId, 'members only');
    expectFrame(await owner.client.request(post), 'chanPosted');
    await guest.client.waitUntil(() => pushes(guest.client).find((push) => push.post.postId === post.postId));

    // A revoked link lets nobody else in.
    expectFrame(
      await owner.client.request({ t: 'chanRevoke', channelId: hidden.channelId, token: invite.token }),
      'ok',
    );
    const late = await signUpForTest(url, 'late');
    expect(errCode(await late.client.request({ t: 'chanJoin', token: invite.token }))).toBe('invalid_invite');
    expect(errCode(await late.client.request({ t: 'chanHistory', channelId: hidden.channelId, limit: 5 }))).toBe(
      'unknown_channel',
    );
  });

  it('skips a subscriber that stops reading (bounded buffer), then tells it to resync', async () => {
    const { url } = await relayForTest({
      limits: { ratePerSecond: 10_000, rateBurst: 10_000 },
      channels: { bufferCap: 64 * 1024 },
    });
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, { handle: 'firehose' });
    const fast = await signUpForTest(url, 'fast');
    const slow = await signUpForTest(url, 'slow');
    for (const { client } of [fast, slow]) expectFrame(await client.request({ t: 'chanSub', channelId }), 'channel');

    const socket = (slow.client as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    socket.pause();
    const POSTS = 400;
    const text = 'z'.repeat(CHANNEL_LIMITS.maxPostBytes - 64);
    for (let i = 0; i < POSTS; i++) {
      expectFrame(
        await owner.client.request(postRequest(owner.identity, keys.publicKey, channelId, `${i}${text}`)),
        'chanPosted',
      );
    }
    await fast.client.waitUntil(() => (pushes(fast.client).length === POSTS ? true : undefined));
    socket.resume();
    const resync = await slow.client.waitUntil(() => slow.client.frames.find((frame) => frame.t === 'chanResync'));
    expect(resync).toMatchObject({ channelIds: [channelId] });
    const got = pushes(slow.client);
    expect(got.length).toBeLessThan(POSTS);
    // What it got is in order; the rest comes by sequence.
    const cseqs = got.map((push) => push.post.cseq);
    expect(cseqs).toEqual([...cseqs].sort((x, y) => x - y));
    const batch = expectFrame(
      await slow.client.request({ t: 'chanSync', channels: [{ channelId, after: cseqs.at(-1) ?? 0 }] }),
      'chanBatch',
    );
    expect(batch.channels[0]!.posts.length).toBeGreaterThan(0);
  });

  it('stores an optional avatar (PNG, JPEG or WebP only) and says so in search results', async () => {
    const { url } = await relayForTest();
    const owner = await signUpForTest(url, 'owner');
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const create = async (handle: string, avatar?: Uint8Array<ArrayBuffer>) => {
      const keys = await createChannelKeys();
      return owner.client.request({
        t: 'chanCreate',
        channelKey: keys.publicKey,
        ownerCert: adminCert(keys, owner.identity),
        title: `Pictures ${handle}`,
        description: '',
        handle,
        ...(avatar ? { avatar } : {}),
      });
    };
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(errCode(await create('svgpics', svg))).toBe('bad_frame');
    const withAvatar = expectFrame(await create('pics', png), 'channel').info;
    expect(withAvatar.avatar).toEqual(png);
    expect(expectFrame(await create('plainpics'), 'channel').info.avatar).toBeNull();

    const found = expectFrame(await owner.client.request({ t: 'chanSearch', query: 'pictures' }), 'channels');
    expect(found.channels.map((c) => [c.handle, c.hasAvatar]).sort()).toEqual([
      ['pics', true],
      ['plainpics', false],
    ]);
    const history = expectFrame(
      await owner.client.request({ t: 'chanHistory', channelId: withAvatar.channelId, limit: 1 }),
      'chanPosts',
    );
    expect(history.info.avatar).toEqual(png);
  });

  it('previews a public channel before subscribing and pages back through history', async () => {
    const { url } = await relayForTest({ limits: { ratePerSecond: 10_000, rateBurst: 10_000 } });
    const owner = await signUpForTest(url, 'owner');
    const { channelId, keys } = await createChannel(owner, { handle: 'history' });
    for (let i = 0; i < 25; i++) {
      expectFrame(
        await owner.client.request(postRequest(owner.identity, keys.publicKey, channelId, `p${i}`)),
        'chanPosted',
      );
    }
    const visitor = await connectForTest(url);
    // Not signed in: nothing but sign-in.
    expect(errCode(await visitor.request({ t: 'chanSearch', query: 'history' }))).toBe('unauthenticated');
    const { client } = await signUp(url, 'visitor');
    try {
      const page1 = expectFrame(await client.request({ t: 'chanHistory', handle: 'history', limit: 10 }), 'chanPosts');
      expect(page1.info).toMatchObject({ role: 'none', subscribers: 1, head: 25 });
      expect(page1.posts.map((post) => post.seq)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
      const page2 = expectFrame(
        await client.request({ t: 'chanHistory', channelId, beforeSeq: 16, limit: 10 }),
        'chanPosts',
      );
      expect(page2.posts[0]!.seq).toBe(15);
      expect(pushes(client)).toEqual([]);
      expectFrame(await client.request({ t: 'chanUnsub', channelId }), 'ok');
    } finally {
      await client.close();
    }
  });
});
