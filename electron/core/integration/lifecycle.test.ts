/**
 * The message lifecycle between two real cores through a real relay: self-destruct timers
 * (gone from events, history, the profile databases and the relay's files), expiry applied
 * at the next start, and edits / deletes / reactions / replies reaching an offline peer once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/ipc';
import { Harness, history, signUp, waitFor, type TestClient } from './harness';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(() => h.cleanup());

const CANARY = 'CANARY-lifecycle-0b5e';

/** Envelope bodies as sealed, by message id (what the relay stores). */
const sealedBodies = new Map<string, Uint8Array>();

async function twoPeople() {
  const alice = await h.client('alice', undefined, {
    sealHooks: { beforeCommit: (row) => void sealedBodies.set(row.msgId, row.body!) },
  });
  const bob = await h.client('bob');
  await signUp(alice, 'alice', 'Alice');
  const bobProfile = await signUp(bob, 'bob', 'Bob');
  const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
  return { alice, bob, chatId: chat.id };
}

const textRows = (client: TestClient, needle: string) =>
  (
    client.store.db
      .prepare(
        `SELECT (SELECT count(*) FROM messages WHERE instr(text, ?) > 0)
              + (SELECT count(*) FROM outbox WHERE instr(CAST(plaintext AS TEXT), ?) > 0) AS n`,
      )
      .get(needle, needle) as { n: number }
  ).n;

const countEvents = (client: TestClient, name: string, match: (p: MessageView & { id: string }) => boolean) =>
  client.events.filter((e) => e.name === name && match(e.payload as MessageView)).length;

describe('self-destructing messages', () => {
  it('vanish on both sides, from both databases and from the relay after the timer', async () => {
    const { alice, bob, chatId } = await twoPeople();
    const set = await alice.call('chats.setTimer', { chatId, seconds: 5 });
    expect(set.timer).toBe(5);
    const bobChat = await bob.event('chat.updated', (c) => c.timer === 5);
    await bob.event('message.added', (m) => m.kind === 'timer' && m.expiresIn === 5);

    const sent = await alice.call('messages.send', { chatId, text: `${CANARY} secret` });
    expect(sent.expiresIn).toBe(5);
    const atBob = await bob.event('message.added', (m) => m.id === sent.id);
    expect(atBob).toMatchObject({ expiresIn: 5, text: `${CANARY} secret` });
    expect(atBob.expiresAt).toBeUndefined(); // not seen yet
    await alice.event('message.updated', (m) => m.id === sent.id && m.status === 'delivered');

    await bob.call('messages.markRead', { chatId: bobChat.id, upToId: sent.id });
    const counting = await bob.event('message.updated', (m) => m.id === sent.id && m.expiresAt !== undefined);
    expect(counting.expiresAt).toBeGreaterThan(Date.now());
    await alice.event('message.updated', (m) => m.id === sent.id && m.status === 'read' && m.expiresAt !== undefined);

    await bob.event('message.removed', (r) => r.id === sent.id);
    await alice.event('message.removed', (r) => r.id === sent.id);
    expect((await history(bob, bobChat.id)).some((m) => m.id === sent.id)).toBe(false);
    expect((await history(alice, chatId)).some((m) => m.id === sent.id)).toBe(false);
    expect(textRows(alice, CANARY)).toBe(0);
    expect(textRows(bob, CANARY)).toBe(0);
    // The relay deleted its copy on ack; its sweep checkpoints, so not even the WAL has the bytes.
    await h.relay.sweep();
    const body = sealedBodies.get(sent.id);
    expect(body).toBeDefined();
    expect(h.relay.filesOnDisk().includes(Buffer.from(body!))).toBe(false);
  });

  it('applies an expiry that fell due while the app was closed at the next start', async () => {
    const { alice, bob, chatId } = await twoPeople();
    await alice.call('chats.setTimer', { chatId, seconds: 5 });
    const sent = await alice.call('messages.send', { chatId, text: `${CANARY} while closed` });
    const atBob = await bob.event('message.added', (m) => m.id === sent.id);
    await bob.call('messages.markRead', { chatId: atBob.chatId, upToId: sent.id });
    await bob.close();
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await bob.reopen();
    // Gone before anything else happens: no event needed, the start applied it.
    expect((await history(bob, atBob.chatId)).some((m) => m.id === sent.id)).toBe(false);
    expect(textRows(bob, CANARY)).toBe(0);
  }, 20_000);
});

describe('edits, deletes, reactions and replies', () => {
  it('reach a peer that was offline, exactly once, and only the sender can edit or delete', async () => {
    const { alice, bob, chatId } = await twoPeople();
    const first = await alice.call('messages.send', { chatId, text: 'see you at 5' });
    const second = await alice.call('messages.send', { chatId, text: 'oops, wrong chat' });
    await bob.event('message.added', (m) => m.id === second.id);
    const bobChatId = (await bob.event('message.added', (m) => m.id === first.id)).chatId;
    // Bob cannot edit or delete Alice's message for everyone.
    await expect(bob.call('messages.edit', { chatId: bobChatId, messageId: first.id, text: 'x' })).rejects.toThrow(
      /invalid_input/,
    );
    await expect(bob.call('messages.deleteForEveryone', { chatId: bobChatId, messageId: first.id })).rejects.toThrow(
      /invalid_input/,
    );
    await bob.close();

    const edited = await alice.call('messages.edit', { chatId, messageId: first.id, text: 'see you at 6' });
    expect(edited.editedAt).toBeDefined();
    await alice.call('messages.deleteForEveryone', { chatId, messageId: second.id });
    expect((await history(alice, chatId)).map((m) => m.id)).not.toContain(second.id);
    await alice.call('messages.react', { chatId, messageId: first.id, emoji: '👍' });
    const reply = await alice.call('messages.send', { chatId, text: 'that is the new time', replyTo: first.id });
    expect(reply.replyTo).toMatchObject({ id: first.id, text: 'see you at 6', missing: false });
    await waitFor(() => alice.store.outbox.count() === 0, 'alice to send everything');

    await bob.reopen();
    const replyAtBob = await bob.event('message.added', (m) => m.id === reply.id);
    expect(replyAtBob.replyTo).toMatchObject({ id: first.id, text: 'see you at 6' });
    const bobHistory = await history(bob, bobChatId);
    expect(bobHistory.map((m) => m.id)).not.toContain(second.id);
    expect(bobHistory.find((m) => m.id === first.id)).toMatchObject({
      text: 'see you at 6',
      editedAt: edited.editedAt,
      reactions: [{ emoji: '👍', count: 1, mine: false }],
    });
    expect(countEvents(bob, 'message.removed', (r) => r.id === second.id)).toBe(1);
    // The edit and the reaction: applied once each (one event each, or one for both in one batch).
    const updates = countEvents(bob, 'message.updated', (m) => m.id === first.id);
    expect(updates).toBeGreaterThanOrEqual(1);
    expect(updates).toBeLessThanOrEqual(2);

    // Bob reacts back, Alice sees it; reopening again re-applies nothing.
    await bob.call('messages.react', { chatId: bobChatId, messageId: first.id, emoji: '❤️' });
    await alice.event(
      'message.updated',
      (m) => m.id === first.id && (m.reactions ?? []).some((r) => r.emoji === '❤️' && !r.mine),
    );
    await bob.close();
    await bob.reopen();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(countEvents(bob, 'message.updated', (m) => m.id === first.id)).toBe(0);
    expect(countEvents(bob, 'message.removed', () => true)).toBe(0);

    // Forwarding: allowed for normal messages, refused for timed ones.
    const fwd = await bob.call('messages.forward', { chatId: bobChatId, messageId: first.id, toChatId: bobChatId });
    expect(fwd.text).toBe('see you at 6');
    await alice.call('chats.setTimer', { chatId, seconds: 30 });
    const timed = await alice.call('messages.send', { chatId, text: 'timed' });
    await expect(alice.call('messages.forward', { chatId, messageId: timed.id, toChatId: chatId })).rejects.toThrow(
      /invalid_input/,
    );
  }, 30_000);

  it('sends no read receipts when they are off, but still delivered ones', async () => {
    const { alice, bob, chatId } = await twoPeople();
    expect(await bob.call('settings.get', {})).toEqual({ readReceipts: true });
    await bob.call('settings.setReadReceipts', { enabled: false });
    const sent = await alice.call('messages.send', { chatId, text: 'did you read this?' });
    const atBob = await bob.event('message.added', (m) => m.id === sent.id);
    expect((await bob.call('chats.list', {})).chats[0]?.readReceipts).toBe(false);
    await alice.event('message.updated', (m) => m.id === sent.id && m.status === 'delivered');
    await bob.call('messages.markRead', { chatId: atBob.chatId, upToId: sent.id });
    await bob.call('chats.setReadReceipts', { chatId: atBob.chatId, enabled: true });
    const again = await alice.call('messages.send', { chatId, text: 'and this?' });
    await bob.event('message.added', (m) => m.id === again.id);
    await bob.call('messages.markRead', { chatId: atBob.chatId, upToId: again.id });
    await alice.event('message.updated', (m) => m.id === again.id && m.status === 'read');
    expect((await history(alice, chatId)).find((m) => m.id === sent.id)?.status).toBe('delivered');
  });

  it('keeps drafts across restarts and shows typing to an online peer', async () => {
    const { alice, bob, chatId } = await twoPeople();
    await alice.call('messages.send', { chatId, text: 'hi' }); // starts the session
    const bobChatId = (await bob.event('message.added', () => true)).chatId;
    await bob.call('messages.send', { chatId: bobChatId, text: 'hello' });
    await alice.event('message.added', (m) => m.text === 'hello');
    await alice.call('chats.saveDraft', { chatId, draft: 'half a thought' });
    await alice.call('chats.typing', { chatId });
    await bob.event('chat.typing', (t) => t.chatId === bobChatId);
    await alice.close();
    await alice.reopen();
    expect((await alice.call('chats.list', {})).chats[0]).toMatchObject({ draft: 'half a thought' });
    await alice.call('messages.send', { chatId, text: 'whole thought' });
    expect((await alice.call('chats.list', {})).chats[0]?.draft).toBe('');
  });
});
