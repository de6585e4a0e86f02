/**
 * Two real cores talking through a real relay: discovery, both directions, receipts,
 * offline delivery, and what the relay keeps on disk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type MessageView } from '../../../shared/ipc';
import { Harness, history, signUp, waitFor, type TestClient } from './harness';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(() => h.cleanup());

async function twoPeople() {
  const alice = await h.client('alice');
  const bob = await h.client('bob');
  const aliceProfile = await signUp(alice, 'alice', 'Alice');
  const bobProfile = await signUp(bob, 'bob', 'Bob');
  return { alice, bob, aliceProfile, bobProfile };
}

const addedCount = (client: TestClient, id: string) =>
  client.events.filter((e) => e.name === 'message.added' && (e.payload as MessageView).id === id).length;

describe('a conversation between two cores', () => {
  it('finds each other by @username and talks both ways with delivered and read receipts', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();

    const found = await alice.call('users.search', { query: '@Bo' });
    expect(found.users).toEqual([{ userId: bobProfile.userId, username: 'bob', displayName: 'Bob' }]);
    expect((await alice.call('users.search', { query: 'ali' })).users).toEqual([]); // not yourself

    const aliceChat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    expect(aliceChat).toMatchObject({ id: `dm:${bobProfile.userId}`, peer: { username: 'bob' }, encrypted: true });

    const hello = await alice.call('messages.send', { chatId: aliceChat.id, text: 'Hi Bob! 👋' });
    expect(hello.status).toBe('sending');
    const atBob = await bob.event('message.added', (m) => m.id === hello.id);
    expect(atBob).toMatchObject({
      text: 'Hi Bob! 👋',
      fromMe: false,
      senderId: aliceProfile.userId,
      chatId: `dm:${aliceProfile.userId}`,
    });
    expect(atBob.status).toBeUndefined();
    const bobChats = (await bob.call('chats.list', {})).chats;
    expect(bobChats).toMatchObject([{ id: atBob.chatId, unread: 1, peer: { username: 'alice' } }]);

    await alice.event('message.updated', (m) => m.id === hello.id && m.status === 'sent' && m.seq !== undefined);
    await alice.event('message.updated', (m) => m.id === hello.id && m.status === 'delivered');

    expect(await bob.call('messages.markRead', { chatId: atBob.chatId, upToId: hello.id })).toEqual({ unread: 0 });
    await alice.event('message.updated', (m) => m.id === hello.id && m.status === 'read');
    await bob.event('chat.updated', (c) => c.id === atBob.chatId && c.unread === 0);

    const reply = await bob.call('messages.send', { chatId: atBob.chatId, text: 'Hi Alice' });
    const atAlice = await alice.event('message.added', (m) => m.id === reply.id);
    expect(atAlice).toMatchObject({ text: 'Hi Alice', chatId: aliceChat.id, fromMe: false });
    await bob.event('message.updated', (m) => m.id === reply.id && m.status === 'delivered');

    // Renaming goes through the relay and is announced.
    expect(await alice.call('session.updateProfile', { displayName: 'Alice L.' })).toMatchObject({
      displayName: 'Alice L.',
    });
    await alice.event('session.changed', (s) => s.profile?.displayName === 'Alice L.');
    const unknown = await dispatch(alice.core.handlers, 'chats.openDirect', { userId: `u_${'Q'.repeat(22)}` });
    expect(unknown).toMatchObject({ ok: false, code: 'not_found' });

    // Both sides see one conversation in the same (relay) order.
    await waitFor(async () => (await history(bob, atBob.chatId)).every((m) => m.seq !== undefined), 'seqs at bob');
    const aliceView = (await history(alice, aliceChat.id)).map((m) => [m.id, m.seq]);
    const bobView = (await history(bob, atBob.chatId)).map((m) => [m.id, m.seq]);
    expect(aliceView).toEqual(bobView);
    expect(aliceView.map(([id]) => id)).toEqual([hello.id, reply.id]);
  });

  it('delivers messages sent while the recipient was closed, in order, once; the relay stores no plaintext', async () => {
    const { alice, bob, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    await bob.close();

    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    const sent: MessageView[] = [];
    for (const n of [1, 2, 3])
      sent.push(await alice.call('messages.send', { chatId: chat.id, text: `${canary} #${n}` }));
    for (const message of sent) {
      await alice.event('message.updated', (m) => m.id === message.id && m.status === 'sent');
    }
    // Queued at the relay right now: the bodies are on its disk, as ciphertext only.
    expect(h.relay.filesOnDisk().includes(canary)).toBe(false);

    await bob.reopen();
    const bobChatId = (await bob.event('message.added', (m) => m.id === sent[2]!.id)).chatId;
    await waitFor(async () => (await history(bob, bobChatId)).length === 3, 'bob to have all three');
    expect((await history(bob, bobChatId)).map((m) => m.text)).toEqual(sent.map((m) => m.text));
    for (const message of sent) {
      expect(addedCount(bob, message.id)).toBe(1);
      await alice.event('message.updated', (m) => m.id === message.id && m.status === 'delivered');
    }
    expect((await bob.call('chats.list', {})).chats[0]).toMatchObject({ unread: 3 });
    expect(h.relay.filesOnDisk().includes(canary)).toBe(false);
  });
});
