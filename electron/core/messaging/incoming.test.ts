import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEnvelope, sealEnvelope } from '../crypto/envelope';
import { generateDeviceKeys } from '../crypto/keys';
import { decodePlaintext, encodePlaintext, type Plaintext } from '../crypto/plaintext';
import { sodiumReady } from '../crypto/sodium';
import type { Account } from '../db/account';
import { directChatId } from '../db/chats';
import type { Store } from '../db/store';
import type { Logger } from '../api';
import type { MsgFrame, RelayRequest, RelayResponse } from '../relay/frames';
import { RelayError } from '../relay/relayError';
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

function setup() {
  const store = openTestStore(dirs.make());
  const me = makeAccount('me');
  const alice = makeAccount('alice');
  const link = new FakeLink();
  link.users.set(alice.userId, publicUserOf(alice));
  const warnings: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error: (msg, fields) => warnings.push({ msg, fields }),
  };
  const directory = new UserDirectory(store, link, logger);
  const committed: IncomingChanges[] = [];
  const processor = new IncomingProcessor({
    store,
    directory,
    logger,
    account: () => me,
    onCommitted: (changes) => committed.push(changes),
    retryBackoff: { baseMs: 1, capMs: 5 },
  });
  cleanups.push(
    () => store.close(),
    () => processor.stop(),
  );
  const channel = new RecordingChannel(link, () => countMessages(store));
  let eid = 0;
  const frameFrom = (sender: Account, plaintext: Plaintext, overrides: Partial<MsgFrame> = {}): MsgFrame => ({
    t: 'msg',
    eid: ++eid,
    msgId: newMessageId(),
    from: sender.userId,
    seq: eid,
    ts: 5_000 + eid,
    body: sealEnvelope(encodePlaintext(plaintext), me.keys.dhPublicKey, sender.keys.dhSecretKey) as MsgFrame['body'],
    ...overrides,
  });
  return { store, me, alice, link, processor, channel, committed, warnings, frameFrom };
}

function countMessages(store: Store): number {
  return (store.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
}

const text = (t: string): Plaintext => ({ k: 'text', text: t, sentAt: 1 });

describe('incoming envelopes', () => {
  it('stores a message from a new sender, opens the chat with one unread, and acks after the commit', async () => {
    const { store, alice, processor, channel, committed, frameFrom } = setup();
    const frame = frameFrom(alice, text('hello'));
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');

    expect(channel.acks).toEqual([[frame.eid]]);
    expect(channel.storedAtAck).toEqual([1]);
    const chatId = directChatId(alice.userId);
    expect(store.chats.get(chatId)).toMatchObject({ unread: 1, updatedAt: frame.ts });
    expect(store.messages.get(chatId, frame.msgId)).toMatchObject({ text: 'hello', seq: frame.seq, fromMe: false });
    expect(store.contacts.get(alice.userId)?.username).toBe('alice');
    expect(committed[0]?.chatIds).toEqual(new Set([chatId]));
  });

  it('queues one encrypted delivered receipt for the messages of a batch', async () => {
    const { store, me, alice, processor, channel, frameFrom } = setup();
    const frames = [frameFrom(alice, text('a')), frameFrom(alice, text('b'))];
    for (const frame of frames) processor.accept(frame, channel);
    await waitFor(() => channel.acks.length > 0, 'the ack');

    const row = store.outbox.nextAfter(0);
    expect(row).toMatchObject({ kind: 'receipt', recipientId: alice.userId });
    expect(store.outbox.nextAfter(row!.id)).toBeNull();
    const receipt = decodePlaintext(openEnvelope(row!.body, me.keys.dhPublicKey, alice.keys.dhSecretKey));
    expect(receipt).toEqual({ k: 'receipt', kind: 'delivered', ids: frames.map((f) => f.msgId) });
  });

  it('stores a redelivered envelope once, acks it again, and sends no second receipt', async () => {
    const { store, alice, processor, channel, frameFrom } = setup();
    const frame = frameFrom(alice, text('once'));
    processor.accept(frame, channel);
    await waitFor(() => channel.acks.length === 1, 'first ack');
    processor.accept({ ...frame, eid: frame.eid + 100 }, channel);
    await waitFor(() => channel.acks.length === 2, 'second ack');

    expect(countMessages(store)).toBe(1);
    expect(store.chats.get(directChatId(alice.userId))?.unread).toBe(1);
    expect(store.outbox.count()).toBe(1);
  });

  it('acks and drops an envelope that does not authenticate, logging no content', async () => {
    const { store, alice, processor, channel, warnings, frameFrom } = setup();
    const mallory = { ...alice, keys: generateDeviceKeys() };
    const forged = frameFrom(mallory, text('secret-canary'));
    processor.accept(forged, channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');

    expect(countMessages(store)).toBe(0);
    expect(store.chats.list()).toEqual([]);
    expect(warnings.map((w) => w.msg)).toContain('dropped an unreadable envelope');
    expect(JSON.stringify(warnings)).not.toContain('secret-canary');
  });

  it('acks and drops envelopes from a sender the relay does not know', async () => {
    const { store, processor, channel, frameFrom } = setup();
    const stranger = makeAccount('stranger');
    processor.accept(frameFrom(stranger, text('hi')), channel);
    await waitFor(() => channel.acks.length === 1, 'the ack');
    expect(countMessages(store)).toBe(0);
  });

  it('leaves an envelope unacknowledged while its sender cannot be looked up, and retries it', async () => {
    const { store, alice, link, processor, channel, committed, frameFrom } = setup();
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
    const { alice, link, processor, channel, committed, frameFrom } = setup();
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
    const { store, me, alice, processor, channel, frameFrom } = setup();
    store.contacts.put({ ...publicUserOf(alice), updatedAt: 0 });
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
    const { store, me, alice, processor, channel, frameFrom } = setup();
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
