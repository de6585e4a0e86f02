import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PreKeyService } from '../account/preKeys';
import { packr } from '../crypto/msgpack';
import { decodePlaintext, type Plaintext } from '../crypto/plaintext';
import { sodiumReady } from '../crypto/sodium';
import { directChatId } from '../db/chats';
import type { Store } from '../db/store';
import type { Logger } from '../api';
import type { MsgFrame, RelayRequest, RelayResponse } from '../relay/frames';
import { RelayError } from '../relay/relayError';
import { TestPeer } from '../testing/e2eePeer';
import { FakeLink } from '../testing/fakeLink';
import { makeAccount, newMessageId, openTestStore, publicUserOf } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { waitFor } from '../testing/waitFor';
import { UserDirectory } from './directory';
import { IncomingProcessor, type IncomingChanges, type IncomingChannel } from './incoming';

const dirs = tempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

/** Records every ack (and what the store held at that moment); other requests go to the link. */
class RecordingChannel implements IncomingChannel {
  isOpen = true;
  readonly acks: number[][] = [];
  readonly storedAtAck: number[] = [];
  constructor(
    private readonly link: FakeLink,
    private readonly countStored: () => number,
  ) {}
  async request<F extends RelayRequest>(frame: F): Promise<RelayResponse<F['t']>> {
    if (frame.t !== 'ack') return this.link.request(frame);
    this.acks.push(frame.eids);
    this.storedAtAck.push(this.countStored());
    return { t: 'ok', re: 0 } as RelayResponse<F['t']>;
  }
}

async function setup() {
  const store = openTestStore(dirs.make());
  const me = makeAccount('me');
  const alice = new TestPeer('alice');
  const link = new FakeLink({ selfId: me.userId });
  link.users.set(me.userId, publicUserOf(me));
  link.users.set(alice.userId, alice.user);
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error: (msg, fields) => warnings.push({ msg, fields }),
  };
  // Our prekeys on the (fake) relay, as a login publishes them.
  await new PreKeyService(store, logger).maintain(link, me);
  const directory = new UserDirectory(store, link, logger);
  const committed: IncomingChanges[] = [];
  let preKeysUsed = 0;
  const processor = new IncomingProcessor({
    store,
    directory,
    logger,
    account: () => me,
    onCommitted: (changes) => committed.push(changes),
    onPreKeysUsed: () => preKeysUsed++,
    retryBackoff: { baseMs: 1, capMs: 5 },
  });
  cleanups.push(
    () => store.close(),
    () => processor.stop(),
  );
  const channel = new RecordingChannel(link, () => countMessages(store));
  let eid = 0;
  /** An envelope `sender` seals to me (starting a session from my published bundle if needed). */
  const frameFrom = (sender: TestPeer, plaintext: Plaintext, overrides: Partial<MsgFrame> = {}): MsgFrame => {
    const msgId = overrides.msgId ?? newMessageId();
    let body: Uint8Array;
    try {
      body = sender.seal(me.userId, msgId, plaintext);
    } catch {
      body = sender.seal(me.userId, msgId, plaintext, link.preKeys.bundle(publicUserOf(me)));
    }
    return {
      t: 'msg',
      eid: ++eid,
      msgId,
      from: sender.userId,
      seq: eid,
      ts: 5_000 + eid,
      body: body as MsgFrame['body'],
      ...overrides,
    };
  };
  return {
    store,
    me,
    alice,
    link,
    processor,
    channel,
    committed,
    warnings,
    frameFrom,
    preKeysUsed: () => preKeysUsed,
  };
}

function countMessages(store: Store, kind = 'text'): number {
  return (store.db.prepare('SELECT count(*) AS n FROM messages WHERE kind = ?').get(kind) as { n: number }).n;
}

const text = (t: string): Plaintext => ({ k: 'text', text: t, sentAt: 1 });

describe('incoming envelopes', () => {
  it('opens a session-starting message from a new sender, stores it with one unread, and acks after the commit', async () => {
    const { store, alice, link, me, processor, channel, committed, frameFrom, preKeysUsed } = await setup();
    const frame = frameFrom(alice, text('hello'));
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');

    expect(channel.acks).toEqual([[frame.eid]]);
    expect(channel.storedAtAck).toEqual([1]);
    const chatId = directChatId(alice.userId);
    expect(store.chats.get(chatId)).toMatchObject({ unread: 1, updatedAt: frame.ts });
    expect(store.messages.get(chatId, frame.msgId)).toMatchObject({
      kind: 'text',
      text: 'hello',
      seq: frame.seq,
      fromMe: false,
    });
    expect(store.contacts.get(alice.userId)?.username).toBe('alice');
    expect(committed[0]?.chatIds).toEqual(new Set([chatId]));
    // The one-time prekey the relay handed out for it is gone, and the stock gets checked.
    const used = link.preKeys.handedOut.get(me.userId)!;
    expect(used).toHaveLength(1);
    expect(store.preKeys.oneTimePreKey(used[0]!)).toBeNull();
    expect(preKeysUsed()).toBe(1);
    expect(store.sessions.list(alice.userId)).toHaveLength(1);
  });

  it('opens the following messages on the stored session, in order', async () => {
    const { store, alice, processor, channel, frameFrom } = await setup();
    const frames = ['one', 'two', 'three'].map((t) => frameFrom(alice, text(t)));
    processor.accept(frames[0]!, channel);
    await waitFor(() => channel.acks.length === 1, 'the first ack');
    for (const frame of frames.slice(1)) processor.accept(frame, channel);
    await waitFor(() => channel.acks.flat().length === 3, 'all acks');
    const chatId = directChatId(alice.userId);
    expect(store.messages.pageNewestFirst(chatId, null, 10).map((m) => m.text)).toEqual(['three', 'two', 'one']);
  });

  it('queues one delivered receipt for the messages of a batch, as plaintext for the outbox to seal', async () => {
    const { store, alice, processor, channel, frameFrom } = await setup();
    const frames = [frameFrom(alice, text('a')), frameFrom(alice, text('b'))];
    for (const frame of frames) processor.accept(frame, channel);
    await waitFor(() => channel.acks.length > 0, 'the ack');

    const row = store.outbox.nextAfter(0);
    expect(row).toMatchObject({ kind: 'receipt', recipientId: alice.userId, body: null });
    expect(store.outbox.nextAfter(row!.id)).toBeNull();
    expect(decodePlaintext(row!.plaintext!)).toEqual({
      k: 'receipt',
      kind: 'delivered',
      ids: frames.map((f) => f.msgId),
    });
  });

  it('stores a redelivered envelope once, acks it again, and sends no second receipt', async () => {
    const { store, alice, processor, channel, frameFrom } = await setup();
    const frame = frameFrom(alice, text('once'));
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 1, 'first ack');
    processor.accept({ ...frame, eid: frame.eid + 100 }, channel);
    await waitFor(() => channel.acks.length === 2, 'second ack');

    expect(countMessages(store)).toBe(1);
    expect(store.chats.get(directChatId(alice.userId))?.unread).toBe(1);
    expect(store.outbox.count()).toBe(1);
  });

  it('acks a replay under another message id without storing anything', async () => {
    const { store, alice, processor, channel, frameFrom } = await setup();
    const first = frameFrom(alice, text('first'));
    processor.accept(first, channel);
    await waitFor(() => channel.acks.length === 1, 'first ack');
    const second = frameFrom(alice, text('second'));
    processor.accept(second, channel);
    await waitFor(() => channel.acks.length === 2, 'second ack');
    processor.accept({ ...second, eid: 999, msgId: newMessageId(), seq: 99 }, channel);
    await waitFor(() => channel.acks.length === 3, 'the replay ack');
    expect(countMessages(store)).toBe(2);
    expect(countMessages(store, 'undecryptable')).toBe(0);
  });

  it('turns a tampered envelope into one undecryptable line, logging no content, and keeps the session', async () => {
    const { store, alice, processor, channel, warnings, frameFrom } = await setup();
    processor.accept(frameFrom(alice, text('first')), channel);
    await waitFor(() => channel.acks.length === 1, 'first ack');
    const genuine = frameFrom(alice, text('secret-canary'));
    const tampered = Uint8Array.from(genuine.body);
    tampered[tampered.length - 1]! ^= 1;
    processor.accept({ ...genuine, body: tampered as MsgFrame['body'] }, channel);
    processor.accept({ ...genuine, eid: 500, body: tampered as MsgFrame['body'] }, channel);
    await waitFor(() => channel.acks.flat().length === 3, 'the acks');

    const chatId = directChatId(alice.userId);
    expect(store.messages.get(chatId, genuine.msgId)).toMatchObject({ kind: 'undecryptable', text: '' });
    expect(countMessages(store, 'undecryptable')).toBe(1);
    expect(store.chats.get(chatId)?.unread).toBe(2);
    expect(JSON.stringify(warnings)).not.toContain('secret-canary');
    // The state was left as it was: the next genuine message opens.
    const next = frameFrom(alice, text('after'));
    processor.accept(next, channel);
    await waitFor(() => channel.acks.flat().length === 4, 'the last ack');
    expect(store.messages.get(chatId, next.msgId)?.text).toBe('after');
  });

  it('keeps a session whose first message authenticated but carried an invalid payload', async () => {
    const { store, alice, link, me, processor, channel, frameFrom } = await setup();
    // The first message of the session (it spends one of our one-time prekeys) carries text
    // longer than any client may send; every later message repeats the same prekey header.
    const first = newMessageId();
    const body = alice.sealBytes(
      me.userId,
      first,
      packr.pack({ k: 'text', text: 'x'.repeat(20_000), sentAt: 1 }),
      link.preKeys.bundle(publicUserOf(me)),
    );
    processor.accept(
      { t: 'msg', eid: 100, msgId: first, from: alice.userId, seq: 1, ts: 5_000, body: body as MsgFrame['body'] },
      channel,
    );
    const next = frameFrom(alice, text('still here'));
    processor.accept(next, channel);
    await waitFor(() => channel.acks.flat().length === 2, 'both acks');

    const chatId = directChatId(alice.userId);
    expect(store.messages.get(chatId, first)?.kind).toBe('undecryptable');
    expect(store.messages.get(chatId, next.msgId)).toMatchObject({ kind: 'text', text: 'still here' });
  });

  it('turns an envelope that is not a ratchet envelope (interim box1) into an undecryptable line', async () => {
    const { store, alice, processor, channel } = await setup();
    const box1 = packr.pack({ v: 1, alg: 'box1', nonce: new Uint8Array(24), ct: new Uint8Array(40) });
    const frame: MsgFrame = {
      t: 'msg',
      eid: 1,
      msgId: newMessageId(),
      from: alice.userId,
      seq: 1,
      ts: 1,
      body: box1 as MsgFrame['body'],
    };
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');
    expect(store.messages.get(directChatId(alice.userId), frame.msgId)?.kind).toBe('undecryptable');
    expect(store.outbox.count()).toBe(0); // no delivered receipt for what we could not read
  });

  it('acks and drops envelopes from a sender the relay does not know', async () => {
    const { store, processor, channel, frameFrom } = await setup();
    const stranger = new TestPeer('stranger');
    processor.accept(frameFrom(stranger, text('hi')), channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');
    expect(countMessages(store)).toBe(0);
    expect(store.chats.list()).toEqual([]);
  });

  it('shows a keyChanged line before the first message under a new identity, and holds sending to a verified contact', async () => {
    const { store, alice, link, processor, channel, frameFrom } = await setup();
    processor.accept(frameFrom(alice, text('old key')), channel);
    await waitFor(() => channel.acks.length === 1, 'first ack');
    store.security.put(alice.userId, { verified: true, keyChanged: false, sendingHeld: false });

    const reset = new TestPeer('alice', { ...alice.account, keys: makeAccount('x').keys });
    link.users.set(alice.userId, reset.user);
    const frame = frameFrom(reset, text('new key'));
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 2, 'second ack');

    const chatId = directChatId(alice.userId);
    const history = store.messages.pageNewestFirst(chatId, null, 10).reverse();
    expect(history.map((m) => [m.kind, m.text])).toEqual([
      ['text', 'old key'],
      ['keyChanged', ''],
      ['text', 'new key'],
    ]);
    expect(Buffer.from(store.contacts.get(alice.userId)!.identityKey).equals(reset.user.identityKey)).toBe(true);
    expect(store.security.get(alice.userId)).toEqual({ verified: false, keyChanged: true, sendingHeld: true });
    expect(store.sessions.list(alice.userId)).toHaveLength(1);
  });

  it('leaves an envelope unacknowledged while its sender cannot be looked up, and retries it', async () => {
    const { store, alice, link, processor, channel, committed, frameFrom } = await setup();
    const lookup = link.request.bind(link);
    let relayAnswers = false;
    link.request = async (frame) => {
      if (!relayAnswers) throw new RelayError('timeout', 'no answer');
      return lookup(frame);
    };
    const frame = frameFrom(alice, text('later'));
    processor.accept(frame, channel);
    await waitFor(() => committed.length >= 1, 'the first attempt to finish');
    expect(channel.acks).toEqual([]);
    expect(countMessages(store)).toBe(0);

    relayAnswers = true;
    await waitFor(() => channel.acks.length === 1, 'the retry to store and ack it');
    expect(channel.acks).toEqual([[frame.eid]]);
    expect(store.messages.get(directChatId(alice.userId), frame.msgId)?.text).toBe('later');
  });

  it('does not retry on a closed connection (the relay redelivers on the next one)', async () => {
    const { alice, link, processor, channel, committed, frameFrom } = await setup();
    link.request = async () => {
      channel.isOpen = false;
      throw new RelayError('disconnected', 'gone');
    };
    processor.accept(frameFrom(alice, text('later')), channel);
    await waitFor(() => committed.length === 1, 'the attempt to finish');
    await processor.stop();
    expect(committed).toHaveLength(1);
    expect(channel.acks).toEqual([]);
  });

  it('applies receipts forward only, without answering them with receipts', async () => {
    const { store, me, alice, processor, channel, frameFrom } = await setup();
    store.contacts.put({ ...alice.user, updatedAt: 0 });
    const chatId = store.chats.ensureDirect(alice.userId, 0).chat.id;
    const id = newMessageId();
    const localId = store.messages.insertOutgoing({ chatId, id, senderId: me.userId, text: 'mine', sentAt: 0 });
    store.messages.markSent(localId, 1, 0);

    processor.accept(frameFrom(alice, { k: 'receipt', kind: 'read', ids: [id] }), channel);
    processor.accept(frameFrom(alice, { k: 'receipt', kind: 'delivered', ids: [id] }), channel);
    await waitFor(() => channel.acks.flat().length === 2, 'both acks');

    expect(store.messages.getByLocalId(localId)?.status).toBe('read');
    expect(store.outbox.count()).toBe(0);
  });

  it('ignores receipts that name messages of other chats', async () => {
    const { store, me, alice, processor, channel, frameFrom } = await setup();
    const bob = makeAccount('bob');
    store.contacts.put({ ...publicUserOf(bob), updatedAt: 0 });
    const bobChat = store.chats.ensureDirect(bob.userId, 0).chat.id;
    const id = newMessageId();
    const localId = store.messages.insertOutgoing({
      chatId: bobChat,
      id,
      senderId: me.userId,
      text: 'to bob',
      sentAt: 0,
    });
    processor.accept(frameFrom(alice, { k: 'receipt', kind: 'read', ids: [id] }), channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');
    expect(store.messages.getByLocalId(localId)?.status).toBe('sending');
  });
});
