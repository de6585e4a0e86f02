/**
 * Faults: a client restarting with a pending outbox while the relay is down, the relay
 * restarting mid-conversation, and a send whose confirmation is lost (forced resend).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/ipc';
import { FrameProxy } from './frameProxy';
import { Harness, history, signUp, waitFor, type TestClient } from './harness';

let h: Harness;
let proxy: FrameProxy | null = null;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await h.cleanup();
});

const addedCount = (client: TestClient, id: string) =>
  client.events.filter((e) => e.name === 'message.added' && (e.payload as MessageView).id === id).length;

const connectionState = async (client: TestClient) => (await client.call('connection.status', {})).state;

async function chatBetween(from: TestClient, toUserId: string) {
  return from.call('chats.openDirect', { userId: toUserId });
}

describe('resilience', () => {
  it('sends a message queued while the relay was down, after the sender restarts, exactly once', async () => {
    const alice = await h.client('alice');
    const bob = await h.client('bob');
    const aliceProfile = await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const chat = await chatBetween(alice, bobProfile.userId);

    await h.relay.stop();
    await waitFor(async () => (await connectionState(alice)) !== 'online', 'alice to notice the relay is gone');
    const queued = await alice.call('messages.send', { chatId: chat.id, text: 'written offline' });
    expect(queued.status).toBe('sending');
    await alice.close();

    await h.relay.start();
    await alice.reopen();
    const atBob = await bob.event('message.added', (m) => m.id === queued.id);
    expect(atBob.text).toBe('written offline');
    await alice.event('message.updated', (m) => m.id === queued.id && m.status === 'delivered');
    const bobHistory = await history(bob, `dm:${aliceProfile.userId}`);
    expect(bobHistory.filter((m) => m.id === queued.id)).toHaveLength(1);
  });

  it('reconnects both sides after a relay restart and the conversation continues', async () => {
    const alice = await h.client('alice');
    const bob = await h.client('bob');
    await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const chat = await chatBetween(alice, bobProfile.userId);
    const before = await alice.call('messages.send', { chatId: chat.id, text: 'before the restart' });
    const bobChatId = (await bob.event('message.added', (m) => m.id === before.id)).chatId;

    await h.relay.stop();
    await alice.event('connection.changed', (c) => c.state === 'offline');
    await bob.event('connection.changed', (c) => c.state === 'offline');
    await h.relay.start();
    await waitFor(async () => (await connectionState(alice)) === 'online', 'alice back online');
    await waitFor(async () => (await connectionState(bob)) === 'online', 'bob back online');

    const after = await alice.call('messages.send', { chatId: chat.id, text: 'after the restart' });
    await bob.event('message.added', (m) => m.id === after.id);
    const reply = await bob.call('messages.send', { chatId: bobChatId, text: 'got both' });
    await alice.event('message.added', (m) => m.id === reply.id);
    expect((await history(bob, bobChatId)).map((m) => m.text)).toEqual([
      'before the restart',
      'after the restart',
      'got both',
    ]);
  });

  it('drains a full outbox pipelined; a cut mid-window resends exactly the unanswered sends, each stored once, in order', async () => {
    proxy = await FrameProxy.start(h.relay.url);
    const alice = await h.client('alice', proxy.url);
    const bob = await h.client('bob');
    await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const chat = await chatBetween(alice, bobProfile.userId);

    // Sixty messages written while the relay was down, and Alice restarted.
    await h.relay.stop();
    await waitFor(async () => (await connectionState(alice)) !== 'online', 'alice to notice the relay is gone');
    const queued: MessageView[] = [];
    for (let i = 0; i < 60; i++) queued.push(await alice.call('messages.send', { chatId: chat.id, text: `m${i}` }));
    await alice.close();
    await h.relay.start();

    // The connection dies as the relay's tenth `sent` is on its way: more sends are in flight.
    let answers = 0;
    proxy.inspect = (frame) => (frame.t === 'sent' && ++answers === 10 ? 'cut' : 'forward');
    await alice.reopen();

    const bobChatId = (await bob.event('message.added', (m) => m.id === queued[0]!.id)).chatId;
    await waitFor(async () => (await history(bob, bobChatId)).length === 60, 'bob to have all sixty');
    expect((await history(bob, bobChatId)).map((m) => m.text)).toEqual(queued.map((m) => m.text));
    for (const message of queued) expect(addedCount(bob, message.id)).toBe(1);

    // Alice sent nothing before the restart: her sends went out on exactly two connections.
    const sendFrames = proxy.clientFrames.filter(({ frame }) => frame.t === 'send');
    const [firstConnection, secondConnection, ...more] = [...new Set(sendFrames.map((f) => f.connection))];
    expect(more).toEqual([]);
    const sendsOn = (connection: number | undefined) =>
      proxy!.clientFrames.flatMap(({ connection: c, frame }) =>
        c === connection && frame.t === 'send' ? [frame.msgId] : [],
      );
    const answeredBeforeCut = proxy.serverFrames.flatMap((f) => (f.t === 'sent' ? [f.msgId] : [])).slice(0, 9);
    expect(answeredBeforeCut).toEqual(queued.slice(0, 9).map((m) => m.id));
    // Pipelined: sends kept going out while answers were outstanding (one at a time would be 10).
    expect(sendsOn(firstConnection).length).toBeGreaterThan(10);
    // The next connection sends exactly the ones whose answer never arrived, once each, in order.
    expect(sendsOn(secondConnection)).toEqual(queued.slice(9).map((m) => m.id));
    // The relay never stored a message twice; the one whose answer was cut had been committed,
    // so its resend was answered as a duplicate.
    const sentFrames = (id: string) => proxy!.serverFrames.filter((f) => f.t === 'sent' && f.msgId === id);
    for (const message of queued) {
      expect(sentFrames(message.id).filter((f) => f.t === 'sent' && !f.duplicate).length).toBeLessThanOrEqual(1);
    }
    expect(sentFrames(queued[9]!.id)).toMatchObject([{ duplicate: false }, { duplicate: true }]);
    await waitFor(async () => (await history(alice, chat.id)).every((m) => m.status === 'delivered'), 'all delivered');
  });

  it('stores a message once when its confirmation was lost and the sender resent it', async () => {
    proxy = await FrameProxy.start(h.relay.url);
    const alice = await h.client('alice', proxy.url);
    const bob = await h.client('bob');
    const aliceProfile = await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const chat = await chatBetween(alice, bobProfile.userId);

    // The relay commits the first send, but its `sent` answer is lost with the connection.
    let armed = true;
    proxy.inspect = (frame) => {
      if (armed && frame.t === 'sent') {
        armed = false;
        return 'cut';
      }
      return 'forward';
    };
    const message = await alice.call('messages.send', { chatId: chat.id, text: 'exactly once' });
    await waitFor(
      () => proxy!.serverFrames.some((f) => f.t === 'sent' && f.msgId === message.id && f.duplicate),
      'the resend to be recognised as a duplicate by the relay',
    );
    const firstAnswer = proxy.serverFrames.find((f) => f.t === 'sent');
    expect(firstAnswer).toMatchObject({ msgId: message.id, duplicate: false });

    // The receipt may overtake the resend's `sent`: wait for both, in whatever order.
    await alice.event('message.updated', (m) => m.id === message.id && m.status === 'delivered');
    await alice.event('message.updated', (m) => m.id === message.id && m.seq !== undefined);
    await bob.event('message.added', (m) => m.id === message.id);
    const bobHistory = await history(bob, `dm:${aliceProfile.userId}`);
    expect(bobHistory.filter((m) => m.id === message.id)).toHaveLength(1);
    expect(
      bob.events.filter((e) => e.name === 'message.added' && (e.payload as MessageView).id === message.id),
    ).toHaveLength(1);
    const aliceHistory = await history(alice, chat.id);
    expect(aliceHistory).toMatchObject([{ id: message.id, status: 'delivered', seq: firstAnswer!.seq }]);
  });
});
