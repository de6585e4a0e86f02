import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type EventName } from '../../shared/ipc';
import type { Core } from './api';
import { DATABASE_FILE_NAME } from './core';
import { sodiumReady } from './crypto/sodium';
import { openDatabase } from './db/database';
import { Store } from './db/store';
import { createCore, ProfileLockedError, silentLogger } from './index';
import { contactOf, makeAccount } from './testing/fixtures';
import { unusedRelayUrl } from './testing/fakeRelay';
import { tempDirs } from './testing/tempDir';

const dirs = tempDirs();
const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

async function open(profileDir: string, relayUrl?: string) {
  const core = await createCore({ profileDir, relayUrl: relayUrl ?? (await unusedRelayUrl()), logger: silentLogger });
  cores.push(core);
  const events: Array<{ name: EventName; payload: unknown }> = [];
  core.onEvent((name, payload) => events.push({ name, payload }));
  const call = (name: string, input: unknown = {}) => dispatch(core.handlers, name, input);
  return { core, events, call };
}

/** A profile that already has an account and a chat with a peer, as a previous run left it. */
function seededProfile() {
  const profileDir = dirs.make();
  const store = new Store(openDatabase(path.join(profileDir, DATABASE_FILE_NAME)));
  const me = makeAccount('me');
  const peer = contactOf(makeAccount('peer'));
  store.account.insert(me);
  store.contacts.put(peer);
  const chatId = store.chats.ensureDirect(peer.userId, 1).chat.id;
  store.close();
  return { profileDir, me, peer, chatId };
}

describe('core without an account', () => {
  it('starts empty and offline, in a private profile directory', async () => {
    const profileDir = path.join(dirs.make(), 'new-profile');
    const { call } = await open(profileDir);
    expect(await call('session.status')).toEqual({ ok: true, value: { profile: null } });
    expect(await call('chats.list')).toEqual({ ok: true, value: { chats: [] } });
    expect(await call('connection.status')).toMatchObject({ ok: true, value: { state: 'offline' } });
    expect(fs.statSync(profileDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a second core on the same profile until the first closes', async () => {
    const profileDir = dirs.make();
    const { core } = await open(profileDir);
    await expect(createCore({ profileDir, relayUrl: 'ws://127.0.0.1:1', logger: silentLogger })).rejects.toThrow(
      ProfileLockedError,
    );
    await core.close();
    await core.close(); // idempotent
    await open(profileDir);
  });

  it('reports an unreachable relay on sign-up as offline and keeps no account', async () => {
    const profileDir = dirs.make();
    const { core, call, events } = await open(profileDir);
    const result = await call('session.signUp', { username: '@Alice', displayName: 'Alice' });
    expect(result).toMatchObject({ ok: false, code: 'offline' });
    expect(events.filter((e) => e.name === 'session.changed')).toEqual([]);
    await core.close();
    const reopened = await open(profileDir);
    expect(await reopened.call('session.status')).toEqual({ ok: true, value: { profile: null } });
  });

  it('requires an account for search, opening chats and sending', async () => {
    const { call } = await open(dirs.make());
    expect(await call('users.search', { query: '@bo' })).toMatchObject({ ok: false, code: 'not_signed_in' });
    expect(await call('chats.openDirect', { userId: `u_${'A'.repeat(22)}` })).toMatchObject({
      ok: false,
      code: 'not_signed_in',
    });
    expect(await call('messages.send', { chatId: 'dm:x', text: 'hi' })).toMatchObject({
      ok: false,
      code: 'not_signed_in',
    });
  });

  it('refuses a relay URL that is not ws:// or wss://', async () => {
    await expect(
      createCore({ profileDir: dirs.make(), relayUrl: 'http://relay', logger: silentLogger }),
    ).rejects.toThrow(/ws:\/\//);
  });
});

describe('core with an account, relay unreachable', () => {
  it('sends into the outbox: the message is stored as sending, announced, and survives a restart', async () => {
    const { profileDir, chatId, me } = seededProfile();
    const first = await open(profileDir);
    const sent = await first.call('messages.send', { chatId, text: 'queued while offline' });
    expect(sent).toMatchObject({
      ok: true,
      value: { chatId, text: 'queued while offline', fromMe: true, senderId: me.userId, status: 'sending' },
    });
    expect(first.events.map((e) => e.name)).toEqual(expect.arrayContaining(['message.added', 'chat.updated']));
    const chatEvent = first.events.find((e) => e.name === 'chat.updated')?.payload;
    expect(chatEvent).toMatchObject({ id: chatId, lastMessage: { text: 'queued while offline', status: 'sending' } });
    await first.core.close();

    const second = await open(profileDir);
    const history = await second.call('messages.history', { chatId });
    expect(history).toMatchObject({ ok: true, value: { messages: [{ text: 'queued while offline' }], cursor: null } });
    await second.core.close();
    // The profile is encrypted now (its plaintext seed was migrated); db.key opens it.
    const key = fs.readFileSync(path.join(profileDir, 'db.key'));
    const raw = new Store(openDatabase(path.join(profileDir, DATABASE_FILE_NAME), key));
    expect(raw.outbox.count()).toBe(1);
    raw.close();
  });

  it('pages history newest first with an opaque cursor', async () => {
    const { profileDir, chatId } = seededProfile();
    const { call } = await open(profileDir);
    for (let i = 1; i <= 5; i++) await call('messages.send', { chatId, text: `m${i}` });
    const newest = await call('messages.history', { chatId, limit: 2 });
    if (!newest.ok) throw new Error(newest.message);
    const page1 = newest.value as { messages: Array<{ text: string }>; cursor: string };
    expect(page1.messages.map((m) => m.text)).toEqual(['m4', 'm5']);
    const older = await call('messages.history', { chatId, limit: 10, before: page1.cursor });
    expect(older).toMatchObject({ ok: true, value: { cursor: null } });
    expect((older as { value: { messages: Array<{ text: string }> } }).value.messages.map((m) => m.text)).toEqual([
      'm1',
      'm2',
      'm3',
    ]);
  });

  it('answers bad chat ids, cursors and offline-only requests with clear codes', async () => {
    const { profileDir, chatId } = seededProfile();
    const { call } = await open(profileDir);
    expect(await call('messages.history', { chatId: 'dm:nobody' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await call('messages.history', { chatId, before: 'garbage' })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await call('messages.markRead', { chatId, upToId: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await call('users.search', { query: 'pe' })).toMatchObject({ ok: false, code: 'offline' });
    expect(await call('session.updateProfile', { displayName: 'New' })).toMatchObject({ ok: false, code: 'offline' });
    expect(await call('chats.openDirect', { userId: `u_${'Z'.repeat(22)}` })).toMatchObject({
      ok: false,
      code: 'offline',
    });
    expect(await call('session.signUp', { username: 'again', displayName: 'Again' })).toMatchObject({
      ok: false,
      code: 'already_signed_in',
    });
  });

  it('opens a chat with a known contact offline and never shows key material', async () => {
    const { profileDir, peer, chatId } = seededProfile();
    const { call } = await open(profileDir);
    const opened = await call('chats.openDirect', { userId: peer.userId });
    expect(opened).toEqual({
      ok: true,
      value: {
        id: chatId,
        kind: 'direct',
        peer: { userId: peer.userId, username: 'peer', displayName: 'peer' },
        timer: 0,
        draft: '',
        readReceipts: true,
        unread: 0,
        updatedAt: 1,
        encrypted: true,
        security: { verified: false, keyChanged: false, sendingHeld: false },
      },
    });
    const status = await call('session.status');
    expect(JSON.stringify(status)).not.toMatch(/key|secret/i);
  });
});
