import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRelay } from './relay';
import { silentLogger } from './log/logger';
import { openSqliteStorage } from './storage/sqlite';
import type { Storage } from './storage/storage';
import { relayForTest, signInForTest, signUpForTest, tempDirForTest } from './testSupport';
import { expectFrame, openSealed, sealFor, signIn, signUp, type SignedUpClient } from './testing/client';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function deviceOf(storage: Storage, signedUp: Pick<SignedUpClient, 'identity'>): Promise<string> {
  const account = await storage.findAccountByIdentityKey(signedUp.identity.identityKey);
  if (!account) throw new Error('no such account');
  return account.deviceId;
}

/** The same storage with one method replaced (to make it fail or stall). */
function overriding<K extends keyof Storage>(storage: Storage, method: K, replacement: Storage[K]): Storage {
  return new Proxy(storage, {
    get: (target, property) => (property === method ? replacement : Reflect.get(target, property, target)),
  });
}

describe('relay delivery', () => {
  it('pushes a sent envelope to the online recipient and deletes it after the ack', async () => {
    const { url, storage } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expectFrame(await bob.client.sync(), 'ok');

    const body = sealFor(bob.user, 'hello bob');
    const sent = expectFrame(await alice.client.send(bob.user.userId, body), 'sent');
    expect(sent).toMatchObject({ seq: 1, duplicate: false });

    const [message] = await bob.client.waitForMessages(1);
    if (!message) throw new Error('no message');
    expect(message).toMatchObject({ from: alice.user.userId, msgId: sent.msgId, seq: 1, ts: sent.ts });
    expect(Buffer.from(message.body)).toEqual(Buffer.from(body));
    expect(text(openSealed(bob.identity, message.body))).toBe('hello bob');

    const bobDevice = await deviceOf(storage, bob);
    expect(await storage.queueDepth(bobDevice)).toBe(1);
    expectFrame(await bob.client.ack([message.eid]), 'ok');
    expect(await storage.queueDepth(bobDevice)).toBe(0);
  });

  it('delivers the queue of an offline recipient after it signs in and syncs, in order', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUp(url, 'bob');
    await bob.client.close();

    const words = ['one', 'two', 'three'];
    for (const word of words) expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, word)), 'sent');

    const back = await signInForTest(url, bob.identity);
    expect(back.client.messages).toEqual([]); // nothing before sync
    expectFrame(await back.client.sync(), 'ok');
    const messages = await back.client.waitForMessages(3);
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(messages.map((m) => text(openSealed(bob.identity, m.body)))).toEqual(words);
  });

  it('pushes unacknowledged envelopes again after a reconnect, and not acknowledged ones', async () => {
    const { url, storage } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUp(url, 'bob');
    expectFrame(await bob.client.sync(), 'ok');
    const sentIds = [];
    for (let i = 0; i < 3; i++) {
      sentIds.push(expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, `m${i}`)), 'sent').msgId);
    }
    const firstDelivery = await bob.client.waitForMessages(3);
    expectFrame(await bob.client.ack([firstDelivery[0]?.eid ?? 0]), 'ok');
    await bob.client.terminate(); // crashed before acknowledging the rest

    const again = await signInForTest(url, bob.identity);
    expectFrame(await again.client.sync(), 'ok');
    const redelivered = await again.client.waitForMessages(2);
    expect(redelivered.map((m) => m.msgId)).toEqual(sentIds.slice(1));
    expectFrame(await again.client.ack(redelivered.map((m) => m.eid)), 'ok');
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(0);
  });

  it('keeps at most deliveryWindow envelopes unacknowledged in flight', async () => {
    const { url } = await relayForTest({ limits: { deliveryWindow: 2 } });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    for (let i = 0; i < 5; i++)
      expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, `${i}`)), 'sent');

    expectFrame(await bob.client.sync(), 'ok');
    const firstTwo = await bob.client.waitForMessages(2);
    // The relay wrote any further push before this answer; none may have been written.
    expectFrame(await bob.client.ping(), 'ok');
    expect(bob.client.messages).toHaveLength(2);

    expectFrame(await bob.client.ack(firstTwo.map((m) => m.eid)), 'ok');
    const four = await bob.client.waitForMessages(4);
    expectFrame(await bob.client.ack(four.slice(2).map((m) => m.eid)), 'ok');
    const all = await bob.client.waitForMessages(5);
    expect(all.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stores a resent msgId once and answers it with the original seq', async () => {
    const { url, storage } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const msgId = randomUUID();
    const body = sealFor(bob.user, 'once');
    const first = expectFrame(await alice.client.send(bob.user.userId, body, msgId), 'sent');
    const again = expectFrame(await alice.client.send(bob.user.userId, body, msgId), 'sent');
    expect(again).toEqual({ ...first, re: again.re, duplicate: true });
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(1);

    expectFrame(await bob.client.sync(), 'ok');
    const [message] = await bob.client.waitForMessages(1);
    expectFrame(await bob.client.ack([message?.eid ?? 0]), 'ok');
    // Even after delivery, a late resend is recognised and not delivered again.
    const late = expectFrame(await alice.client.send(bob.user.userId, body, msgId), 'sent');
    expect(late).toMatchObject({ seq: first.seq, ts: first.ts, duplicate: true });
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(0);
  });

  it('numbers messages per conversation, independently between conversations', async () => {
    const { url } = await relayForTest();
    const [alice, bob, carol] = [
      await signUpForTest(url, 'alice'),
      await signUpForTest(url, 'bob'),
      await signUpForTest(url, 'carol'),
    ];
    const seq = async (from: SignedUpClient, to: SignedUpClient) =>
      expectFrame(await from.client.send(to.user.userId, sealFor(to.user, 'x')), 'sent').seq;
    expect([await seq(alice, bob), await seq(alice, bob), await seq(bob, alice)]).toEqual([1, 2, 3]);
    expect([await seq(alice, carol), await seq(carol, bob), await seq(carol, alice)]).toEqual([1, 1, 2]);
    expect(await seq(alice, bob)).toBe(4);
  });

  it('refuses unknown recipients and oversized bodies without storing anything', async () => {
    const { url, storage } = await relayForTest({ limits: { maxBodyBytes: 64 } });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expect(await alice.client.send('u_AAAAAAAAAAAAAAAAAAAAAA', new Uint8Array(8))).toMatchObject({
      t: 'err',
      code: 'not_found',
    });
    expect(await alice.client.send(bob.user.userId, new Uint8Array(65))).toMatchObject({
      t: 'err',
      code: 'frame_too_large',
    });
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(0);
  });

  it('answers queue_full once the recipient queue is at maxQueueDepth, and accepts again after an ack', async () => {
    const { url } = await relayForTest({ limits: { maxQueueDepth: 2 } });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const send = () => alice.client.send(bob.user.userId, sealFor(bob.user, 'x'));
    expectFrame(await send(), 'sent');
    expectFrame(await send(), 'sent');
    expect(await send()).toMatchObject({ t: 'err', code: 'queue_full' });

    expectFrame(await bob.client.sync(), 'ok');
    const [first] = await bob.client.waitForMessages(1);
    expectFrame(await bob.client.ack([first?.eid ?? 0]), 'ok');
    expect(expectFrame(await send(), 'sent').seq).toBe(3);
  });

  it('answers internal when the storage fails, and keeps serving', async () => {
    const { url, storage } = await relayForTest();
    const failing = overriding(storage, 'enqueueEnvelope', () => Promise.reject(new Error('disk full')));
    const relay = await relayForTest({ storage: failing });
    // Accounts live in the shared storage; the second relay fails only on send.
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const onFailing = await signInForTest(relay.url, alice.identity);
    expect(await onFailing.client.send(bob.user.userId, sealFor(bob.user, 'x'))).toMatchObject({
      t: 'err',
      code: 'internal',
    });
    expectFrame(await onFailing.client.lookup({ username: 'bob' }), 'user');
  });

  it('keeps accounts, queues and sequence numbers across a relay restart on the same file', async () => {
    const file = join(tempDirForTest(), 'relay.sqlite');
    let storage = openSqliteStorage(file);
    let relay = await startRelay({ storage, logger: silentLogger });
    const alice = await signUp(relay.url, 'alice');
    const bob = await signUp(relay.url, 'bob');
    await bob.client.close();
    for (const word of ['before', 'restart']) {
      expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, word)), 'sent');
    }
    await relay.close();
    expect((await alice.client.closed).code).toBe(1001);
    await storage.close();

    storage = openSqliteStorage(file);
    relay = await startRelay({ storage, logger: silentLogger });
    try {
      const aliceAgain = await signIn(relay.url, alice.identity);
      const bobAgain = await signIn(relay.url, bob.identity);
      expect(bobAgain.user.userId).toBe(bob.user.userId);
      expectFrame(await bobAgain.client.sync(), 'ok');
      const queued = await bobAgain.client.waitForMessages(2);
      expect(queued.map((m) => text(openSealed(bob.identity, m.body)))).toEqual(['before', 'restart']);
      const next = expectFrame(await aliceAgain.client.send(bob.user.userId, sealFor(bob.user, 'after')), 'sent');
      expect(next.seq).toBe(3);
    } finally {
      await relay.close();
      await storage.close();
    }
  });
});

describe('relay request pipelining', () => {
  it('answers many pipelined sends in order while storage is slow, losing none', async () => {
    const { url, storage } = await relayForTest();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The relay under test waits for the gate before every write, so requests pile up.
    const slow = overriding(storage, 'enqueueEnvelope', async (envelope) => {
      await gate;
      return storage.enqueueEnvelope(envelope);
    });
    const relay = await relayForTest({ storage: slow });
    const alice = await signInForTest(relay.url, (await signUpForTest(url, 'alice')).identity);
    const bob = await signUpForTest(url, 'bob');

    const answers = Array.from({ length: 80 }, (_, i) =>
      alice.client.send(bob.user.userId, sealFor(bob.user, `message ${i}`)),
    );
    release();
    const seqs = (await Promise.all(answers)).map((answer) => expectFrame(answer, 'sent').seq);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });

  it("commits a connection's pipelined sends together, still answering each after its commit", async () => {
    const batches: number[] = [];
    const storage = openSqliteStorage(join(tempDirForTest(), 'relay.sqlite'), { onCommit: (n) => batches.push(n) });
    onTestFinished(() => storage.close());
    const { url } = await relayForTest({ storage });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    batches.length = 0;

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => alice.client.send(bob.user.userId, sealFor(bob.user, `m${i}`))),
    );
    expect(answers.map((answer) => expectFrame(answer, 'sent').seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(batches.reduce((a, b) => a + b, 0)).toBe(40);
    // Serially, each send would wait for the previous one's commit: one commit per send.
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(40);
  });

  it('answers a request that is not pipelined only after every earlier send is answered', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const sends = Array.from({ length: 10 }, (_, i) => alice.client.send(bob.user.userId, sealFor(bob.user, `${i}`)));
    const lookup = alice.client.lookup({ username: 'bob' });
    await Promise.all([...sends, lookup]);
    const answers = alice.client.frames.filter((f) => f.t === 'sent' || f.t === 'user').map((f) => f.t);
    expect(answers).toEqual([...Array<string>(10).fill('sent'), 'user']);
  });

  it('refuses a pipelined send whose `after` was refused, storing nothing, so a retry keeps the order', async () => {
    const { url, storage } = await relayForTest({ limits: { maxQueueDepth: 1 } });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const to = bob.user.userId;
    const [first, second, third, fourth] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const answers = await Promise.all([
      alice.client.send(to, sealFor(bob.user, 'first'), first),
      alice.client.send(to, sealFor(bob.user, 'second'), second, first), // queue_full: bob holds `first`
      alice.client.send(to, sealFor(bob.user, 'third'), third, second),
      alice.client.send(to, sealFor(bob.user, 'fourth'), fourth, third),
    ]);
    expect(answers.map((a) => (a.t === 'err' ? a.code : a.t))).toEqual([
      'sent',
      'queue_full',
      'out_of_order',
      'out_of_order',
    ]);
    expect(await storage.queueDepth(await deviceOf(storage, bob))).toBe(1);

    // Bob takes one message at a time; alice retries from the first refused one, in order.
    expectFrame(await bob.client.sync(), 'ok');
    const seqs: number[] = [];
    for (const [msgId, word, after] of [
      [second, 'second', undefined],
      [third, 'third', second],
      [fourth, 'fourth', third],
    ] as const) {
      const delivered = await bob.client.waitForMessages(seqs.length + 1);
      expectFrame(await bob.client.ack([delivered[seqs.length]?.eid ?? 0]), 'ok');
      seqs.push(expectFrame(await alice.client.send(to, sealFor(bob.user, word), msgId, after), 'sent').seq);
    }
    expect(seqs).toEqual([2, 3, 4]);
    const all = await bob.client.waitForMessages(4);
    expect(all.map((m) => text(openSealed(bob.identity, m.body)))).toEqual(['first', 'second', 'third', 'fourth']);
  });
});
