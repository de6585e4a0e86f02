/**
 * Channels between real cores through a real relay: create, search, preview, subscribe,
 * live posts, edits/deletes/pins, catch-up after being offline, admins (added and removed),
 * the avatar changed after creation, private channels with invite links, view and subscriber
 * counts, and refusal of forged posts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type ChannelPostView } from '../../../shared/ipc';
import type { ChannelPostWire } from '../../../shared/protocol';
import { verifyChannelPost } from '../channels/service';
import { Harness, signUp, waitFor } from './harness';

/** A real 1×1 PNG (base64). */
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(() => h.cleanup());

describe('channels between cores', () => {
  it('creates a public channel that another core finds, previews, subscribes to and reads live', async () => {
    const owner = await h.client('owner');
    const reader = await h.client('reader');
    await signUp(owner, 'owner', 'Owner');
    await signUp(reader, 'reader', 'Reader');

    const channel = await owner.call('channels.create', {
      title: 'Parley News',
      description: 'Release notes',
      isPublic: true,
      handle: '@ParleyNews',
    });
    expect(channel).toMatchObject({ handle: 'parleynews', role: 'owner', canPost: true, encrypted: false });
    const first = await owner.call('channels.post', { channelId: channel.id, text: 'Hello, subscribers' });

    const found = await reader.call('channels.search', { query: 'parley' });
    expect(found.channels).toEqual([
      expect.objectContaining({ id: channel.id, handle: 'parleynews', subscribers: 1, subscribed: false }),
    ]);
    const preview = await reader.call('channels.preview', { channelId: channel.id });
    expect(preview.channel).toMatchObject({ subscribed: false, canPost: false });
    expect(preview.posts.map((p) => p.text)).toEqual(['Hello, subscribers']);

    const subscribed = await reader.call('channels.subscribe', { channelId: channel.id });
    expect(subscribed).toMatchObject({ role: 'subscriber', canPost: false, subscribers: 2, unread: 0 });
    expect((await reader.call('channels.history', { channelId: channel.id })).posts.map((p) => p.id)).toEqual([
      first.id,
    ]);

    const live = await owner.call('channels.post', { channelId: channel.id, text: 'Live post' });
    await reader.event('channel.post', (p) => p.id === live.id);
    const updated = await reader.event('channel.updated', (c) => c.id === channel.id && c.unread === 1);
    expect(updated.lastPostText).toBe('Live post');

    // Non-admins cannot post (the core refuses before the relay would).
    const refused = await dispatch(reader.core.handlers, 'channels.post', { channelId: channel.id, text: 'me too' });
    expect(refused).toMatchObject({ ok: false });

    // Reading reports views (batched); counts come back aggregated.
    await reader.call('channels.markRead', { channelId: channel.id, seqs: [live.seq] });
    await waitFor(async () => {
      const stats = await owner.call('channels.stats', { channelId: channel.id, seqs: [live.seq] });
      return stats.views[0]?.views === 1 && stats.subscribers === 2;
    }, 'the view to be counted');

    // Edit, pin, delete reach the subscriber.
    await owner.call('channels.editPost', { channelId: channel.id, postId: live.id, text: 'Live post (edited)' });
    await reader.event('channel.post', (p) => p.id === live.id && p.editedAt !== undefined);
    await owner.call('channels.pin', { channelId: channel.id, postId: first.id });
    await reader.event('channel.updated', (c) => c.pinnedPostId === first.id);
    await owner.call('channels.deletePost', { channelId: channel.id, postId: first.id });
    await reader.event('channel.removed', (e) => e.postId === first.id);
  });

  it('carries an optional avatar from the creator to search, preview and subscribers; refuses bad ones', async () => {
    const owner = await h.client('owner');
    const reader = await h.client('reader');
    await signUp(owner, 'owner', 'Owner');
    await signUp(reader, 'reader', 'Reader');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
      'base64',
    ).toString('base64');

    // Not an image, or too large: refused with a clear error, and no channel is made.
    const notImage = await dispatch(owner.core.handlers, 'channels.create', {
      title: 'Bad',
      isPublic: true,
      handle: 'badavatar',
      avatar: Buffer.from('<svg/>').toString('base64'),
    });
    expect(notImage).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'avatar: not a PNG, JPEG or WebP image',
    });
    const tooLarge = await dispatch(owner.core.handlers, 'channels.create', {
      title: 'Bad',
      isPublic: true,
      handle: 'badavatar',
      avatar: Buffer.alloc(64 * 1024 + 1).toString('base64'),
    });
    expect(tooLarge).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await owner.call('channels.list', {})).channels).toEqual([]);
    expect((await reader.call('channels.search', { query: 'badavatar' })).channels).toEqual([]);

    const channel = await owner.call('channels.create', {
      title: 'Pictures',
      isPublic: true,
      handle: 'pics',
      avatar: png,
    });
    expect(channel.avatarId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await owner.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: png });
    const plain = await owner.call('channels.create', { title: 'Plain pictures', isPublic: true, handle: 'plainpics' });
    expect(plain.avatarId).toBeUndefined();

    const found = await reader.call('channels.search', { query: 'pic' });
    expect(found.channels.map((c) => [c.handle, c.hasAvatar])).toEqual(
      expect.arrayContaining([
        ['pics', true],
        ['plainpics', false],
      ]),
    );
    // Before subscribing: fetched from the relay.
    expect(await reader.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: png });
    expect(await reader.call('channels.avatar', { channelId: plain.id })).toEqual({ avatar: null });
    expect((await reader.call('channels.preview', { channelId: channel.id })).channel.avatarId).toBe(channel.avatarId);
    // Subscribed: stored locally (and served offline).
    expect((await reader.call('channels.subscribe', { channelId: channel.id })).avatarId).toBe(channel.avatarId);
    expect((await reader.call('channels.list', {})).channels[0]?.avatarId).toBe(channel.avatarId);
    expect(await reader.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: png });
  });

  it('catches up on posts made while offline, on the next login', async () => {
    const owner = await h.client('owner');
    const reader = await h.client('reader');
    await signUp(owner, 'owner', 'Owner');
    await signUp(reader, 'reader', 'Reader');
    const channel = await owner.call('channels.create', { title: 'Daily', isPublic: true, handle: 'daily' });
    await reader.call('channels.subscribe', { channelId: channel.id });
    await reader.close();

    const sent: ChannelPostView[] = [];
    for (let i = 0; i < 5; i++) sent.push(await owner.call('channels.post', { channelId: channel.id, text: `p${i}` }));
    await owner.call('channels.deletePost', { channelId: channel.id, postId: sent[0]!.id });

    await reader.reopen();
    await reader.event('channel.post', (p) => p.id === sent[4]!.id);
    const { posts } = await reader.call('channels.history', { channelId: channel.id });
    expect(posts.map((p) => p.text)).toEqual(['p1', 'p2', 'p3', 'p4']);
    const [view] = (await reader.call('channels.list', {})).channels;
    expect(view).toMatchObject({ id: channel.id, unread: 4 });
  });

  it('lets an added admin post, and joins a private channel only through a valid invite link', async () => {
    const owner = await h.client('owner');
    const helper = await h.client('helper');
    const guest = await h.client('guest');
    await signUp(owner, 'owner', 'Owner');
    await signUp(helper, 'helper', 'Helper');
    await signUp(guest, 'guest', 'Guest');

    const secret = await owner.call('channels.create', { title: 'Inner circle', isPublic: false });
    expect(secret).toMatchObject({ isPublic: false, handle: null });
    expect((await guest.call('channels.search', { query: 'inner' })).channels).toEqual([]);

    const { link, token } = await owner.call('channels.createInvite', { channelId: secret.id });
    expect(link).toContain(token);
    const bad = await dispatch(guest.core.handlers, 'channels.joinByInvite', {
      link: 'parley://join/' + 'x'.repeat(32),
    });
    expect(bad).toMatchObject({ ok: false });
    await guest.call('channels.joinByInvite', { link });
    await helper.call('channels.joinByInvite', { link: token });
    await owner.call('channels.revokeInvite', { channelId: secret.id, token });

    const promoted = await owner.call('channels.addAdmin', { channelId: secret.id, username: '@helper' });
    expect(promoted.subscribers).toBe(3);
    // The helper learns its role (and certificate) from the relay when it first posts.
    const byHelper = await helper.call('channels.post', { channelId: secret.id, text: 'from an admin' });
    await guest.event('channel.post', (p) => p.id === byHelper.id);
    await owner.event('channel.post', (p) => p.id === byHelper.id);
    const late = await h.client('late');
    await signUp(late, 'late', 'Late');
    const revoked = await dispatch(late.core.handlers, 'channels.joinByInvite', { link });
    expect(revoked).toMatchObject({ ok: false });
  });

  it('lets the owner change and remove the avatar; subscribers see it live and after catching up', async () => {
    const owner = await h.client('owner');
    const reader = await h.client('reader');
    const away = await h.client('away');
    await signUp(owner, 'owner', 'Owner');
    await signUp(reader, 'reader', 'Reader');
    await signUp(away, 'away', 'Away');
    const png = Buffer.from(PNG_1PX, 'base64');
    // Only the magic bytes are checked: another "picture" is the same header with other bytes.
    const other = Buffer.concat([png.subarray(0, 8), Buffer.from('another picture')]).toString('base64');
    const channel = await owner.call('channels.create', {
      title: 'Gallery',
      isPublic: true,
      handle: 'gallery',
      avatar: PNG_1PX,
    });
    await reader.call('channels.subscribe', { channelId: channel.id });
    await away.call('channels.subscribe', { channelId: channel.id });
    await away.close();

    // Bad input and the wrong person: a clear refusal each, nothing changes.
    const refused = async (client: typeof owner, input: { channelId: string; avatar: string | null }) =>
      dispatch(client.core.handlers, 'channels.setAvatar', input);
    expect(await refused(owner, { channelId: channel.id, avatar: Buffer.from('<svg/>').toString('base64') })).toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'avatar: not a PNG, JPEG or WebP image',
    });
    expect(
      await refused(owner, { channelId: channel.id, avatar: Buffer.alloc(64 * 1024 + 1).toString('base64') }),
    ).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await refused(reader, { channelId: channel.id, avatar: other })).toEqual({
      ok: false,
      code: 'relay_error',
      message: "only the channel's owner can do that",
    });
    expect(await refused(owner, { channelId: 'c_AAAAAAAAAAAAAAAAAAAAAA', avatar: other })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(await reader.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: PNG_1PX });

    // A new picture: the owner's view and a live subscriber's change at once.
    const changed = await owner.call('channels.setAvatar', { channelId: channel.id, avatar: other });
    expect(changed.avatarId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(changed.avatarId).not.toBe(channel.avatarId);
    await reader.event('channel.updated', (c) => c.id === channel.id && c.avatarId === changed.avatarId);
    expect(await reader.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: other });

    // Removed: the initials again.
    const removed = await owner.call('channels.setAvatar', { channelId: channel.id, avatar: null });
    expect(removed.avatarId).toBeUndefined();
    await reader.event('channel.updated', (c) => c.id === channel.id && c.avatarId === undefined);
    expect(await reader.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: null });
    const withPicture = await owner.call('channels.setAvatar', { channelId: channel.id, avatar: other });

    // The subscriber who missed both changes notices on its next catch-up.
    await away.reopen();
    await away.event('channel.updated', (c) => c.id === channel.id && c.avatarId === withPicture.avatarId);
    expect(await away.call('channels.avatar', { channelId: channel.id })).toEqual({ avatar: other });
  });

  it('removes an admin: their role ends live, later posts are refused, earlier ones stay; offline peers learn on catch-up', async () => {
    const owner = await h.client('owner');
    const helper = await h.client('helper');
    const reader = await h.client('reader');
    const away = await h.client('away');
    await signUp(owner, 'owner', 'Owner');
    await signUp(helper, 'helper', 'Helper');
    const { userId: readerId } = await signUp(reader, 'reader', 'Reader');
    await signUp(away, 'away', 'Away');
    const channel = await owner.call('channels.create', { title: 'Newsroom', isPublic: true, handle: 'newsroom' });
    for (const client of [helper, reader, away]) await client.call('channels.subscribe', { channelId: channel.id });

    await owner.call('channels.addAdmin', { channelId: channel.id, username: '@helper' });
    // The helper's core hears about it live and can post at once.
    await helper.event('channel.updated', (c) => c.id === channel.id && c.canPost && c.role === 'admin');
    const before = await helper.call('channels.post', { channelId: channel.id, text: 'filed before the removal' });
    await reader.event('channel.post', (p) => p.id === before.id);
    await away.event('channel.post', (p) => p.id === before.id);
    await away.close();

    const { admins } = await owner.call('channels.admins', { channelId: channel.id });
    expect(admins.map((a) => [a.username, a.isOwner])).toEqual([
      ['owner', true],
      ['helper', false],
    ]);
    const helperId = admins[1]!.userId;
    const ownerId = admins[0]!.userId;

    // Refusals: not the owner, the owner themselves, someone who is no admin.
    expect(await dispatch(helper.core.handlers, 'channels.admins', { channelId: channel.id })).toMatchObject({
      ok: false,
      code: 'relay_error',
    });
    expect(
      await dispatch(helper.core.handlers, 'channels.removeAdmin', { channelId: channel.id, userId: ownerId }),
    ).toMatchObject({ ok: false, code: 'relay_error' });
    expect(
      await dispatch(owner.core.handlers, 'channels.removeAdmin', { channelId: channel.id, userId: ownerId }),
    ).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(
      await dispatch(owner.core.handlers, 'channels.removeAdmin', { channelId: channel.id, userId: readerId }),
    ).toMatchObject({ ok: false, code: 'not_found' });

    await owner.call('channels.removeAdmin', { channelId: channel.id, userId: helperId });
    expect((await owner.call('channels.admins', { channelId: channel.id })).admins.map((a) => a.username)).toEqual([
      'owner',
    ]);
    // The removed admin's core sees its role end without asking, and cannot post any more.
    await helper.event('channel.updated', (c) => c.id === channel.id && !c.canPost && c.role === 'subscriber');
    expect(
      await dispatch(helper.core.handlers, 'channels.post', { channelId: channel.id, text: 'late' }),
    ).toMatchObject({
      ok: false,
      code: 'relay_error',
    });
    expect(
      await dispatch(helper.core.handlers, 'channels.editPost', {
        channelId: channel.id,
        postId: before.id,
        text: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'relay_error' });
    // Everyone keeps the earlier post.
    for (const client of [owner, helper, reader]) {
      const { posts } = await client.call('channels.history', { channelId: channel.id });
      expect(posts.map((p) => p.id)).toEqual([before.id]);
    }
    // The live subscriber holds the verified revocation.
    const revocations = () =>
      reader.store.db
        .prepare('SELECT after_cseq FROM channel_revocations WHERE channel_id = ?')
        .pluck()
        .all(channel.id);
    await waitFor(() => revocations().length === 1, 'the reader to store the revocation');
    expect(revocations()).toEqual([before.seq]);

    // One who was away learns of it on the next catch-up, and still has the earlier post.
    await owner.call('channels.post', { channelId: channel.id, text: 'after the removal' });
    await away.reopen();
    await away.event('channel.post', (p) => p.text === 'after the removal');
    expect(away.store.db.prepare('SELECT after_cseq FROM channel_revocations').pluck().all()).toEqual([before.seq]);
    expect((await away.call('channels.history', { channelId: channel.id })).posts.map((p) => p.text)).toEqual([
      'filed before the removal',
      'after the removal',
    ]);
  });

  it('refuses posts whose signature or certificate does not verify', () => {
    const zero = new Uint8Array(32);
    const forged: ChannelPostWire = {
      postId: '00000000-0000-4000-8000-000000000000',
      seq: 1,
      cseq: 1,
      rev: 0,
      deleted: false,
      body: new Uint8Array([104, 105]),
      ts: 0,
      author: new Uint8Array(32),
      cert: new Uint8Array(64),
      sig: new Uint8Array(64),
    };
    expect(verifyChannelPost(zero, forged)).toBe(false);
  });
});
