import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initiateSession, serializeSessionState } from '../crypto/e2ee';
import { encodePlaintext } from '../crypto/plaintext';
import { sodiumReady } from '../crypto/sodium';
import type { Store } from '../db/store';
import { RelayError } from '../relay/relayError';
import { TestPeer } from '../testing/e2eePeer';
import { FakeLink } from '../testing/fakeLink';
import { contactOf, makeAccount, newMessageId, openTestStore } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { waitFor } from '../testing/waitFor';
import { silentLogger } from '../logger';
import { OutboxSender } from './outboxSender';

const dirs = tempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

function setup(options: { window?: number } = {}) {
  const store = openTestStore(dirs.make());
  const me = makeAccount('me');
  const link = new FakeLink({ selfId: me.userId });
  const changed: number[] = [];
  /** Each onMessagesChanged call, as the local ids it carried. */
  const notifications: number[][] = [];
  const sender = new OutboxSender({
    store,
    link,
    logger: silentLogger,
    account: () => me,
    onMessagesChanged: (localIds) => {
      changed.push(...localIds);
      notifications.push([...localIds]);
    },
    retryBackoff: { baseMs: 1, capMs: 5 },
    ...options,
  });
  cleanups.push(
    () => store.close(),
    () => sender.stop(),
  );
  /** A peer with a session already set up (as if we had written before), so rows seal at once. */
  const chatWith = () => {
    const peer = new TestPeer('peer');
    link.users.set(peer.userId, peer.user);
    store.contacts.put(contactOf(peer.account));
    const { state } = initiateSession({
      identity: me.keys,
      bundle: peer.bundle(),
      localUserId: me.userId,
      remoteUserId: peer.userId,
    });
    store.sessions.putCurrent(peer.userId, state.baseKey, serializeSessionState(state), 0);
    return { chatId: store.chats.ensureDirect(peer.userId, 0).chat.id, peerId: peer.userId, peer };
  };
  /** Queues a text message the way messages.send does (message row + outbox row). */
  const queue = (chat: { chatId: string; peerId: string }, text: string) =>
    store.transaction(() => {
      const id = newMessageId();
      const localId = store.messages.insertOutgoing({ chatId: chat.chatId, id, senderId: me.userId, text, sentAt: 0 });
      store.outbox.enqueue({
        msgId: id,
        recipientId: chat.peerId,
        kind: 'message',
        messageLocalId: localId,
        plaintext: encodePlaintext({ k: 'text', text, sentAt: 0 }),
        createdAt: 0,
      });
      return { id, localId };
    });
  return { store, me, link, sender, changed, notifications, chatWith, queue };
}

/**
 * Delays the fake relay's answers to `send` until the test releases them, oldest first. Each
 * message is stored on arrival, as the relay commits it before answering: only the answer
 * is late.
 */
function holdAnswers(link: FakeLink) {
  const held: Array<() => void> = [];
  link.answerSend = (frame) => {
    const answer = link.sent(frame);
    return new Promise((resolve) => held.push(() => resolve(answer)));
  };
  return {
    get count() {
      return held.length;
    },
    release(n = held.length) {
      for (const answer of held.splice(0, n)) answer();
    },
  };
}

const statusOf = (store: Store, localId: number) => store.messages.getByLocalId(localId)?.status;

describe('outbox sender', () => {
  it('sends queued rows in order, then records seq and status sent and empties the outbox', async () => {
    const { store, link, sender, changed, chatWith, queue } = setup();
    const chat = chatWith();
    const first = queue(chat, 'one');
    const second = queue(chat, 'two');
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'outbox to drain');
    expect(link.sends.map((s) => s.msgId)).toEqual([first.id, second.id]);
    expect(store.messages.getByLocalId(first.localId)).toMatchObject({ status: 'sent', seq: 1 });
    expect(store.messages.getByLocalId(second.localId)).toMatchObject({ status: 'sent', seq: 2 });
    expect(changed).toEqual([first.localId, second.localId]);
  });

  it('keeps rows while offline and sends them under the same id when back, readable by the peer', async () => {
    const { store, me, link, sender, chatWith, queue } = setup();
    const chat = chatWith();
    const message = queue(chat, 'later');
    link.online = false;
    sender.kick();
    await sender.stop();
    expect(store.outbox.count()).toBe(1);
    expect(statusOf(store, message.localId)).toBe('sending');

    const again = new OutboxSender({
      store,
      link,
      logger: silentLogger,
      account: () => me,
      onMessagesChanged: () => {},
    });
    cleanups.push(() => again.stop());
    link.online = true;
    again.kick();
    await waitFor(() => store.outbox.count() === 0, 'outbox to drain');
    expect(link.sends).toHaveLength(1);
    expect(link.sends[0]).toMatchObject({ msgId: message.id });
    expect(chat.peer.open(me.userId, message.id, link.sends[0]!.body)).toMatchObject({ text: 'later' });
  });

  it('retries a row whose answer was lost, and the relay de-duplicates the resend', async () => {
    const { store, link, sender, chatWith, queue } = setup();
    const message = queue(chatWith(), 'once');
    let attempts = 0;
    link.answerSend = (frame) => {
      attempts++;
      if (attempts === 1) throw new RelayError('timeout', 'no answer');
      return link.sent(frame, true);
    };
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'outbox to drain');
    expect(link.sends.map((s) => s.msgId)).toEqual([message.id, message.id]);
    // Sealed once: the resend is byte for byte the first envelope (one message key, one ciphertext).
    expect(Buffer.from(link.sends[1]!.body).equals(Buffer.from(link.sends[0]!.body))).toBe(true);
    expect(statusOf(store, message.localId)).toBe('sent');
  });

  it('marks a message failed with a reason when the relay refuses it for good, and goes on', async () => {
    const { store, link, sender, chatWith, queue } = setup();
    const chat = chatWith();
    const refused = queue(chat, 'to nobody');
    const next = queue(chat, 'next');
    link.answerSend = (frame) => {
      if (frame.msgId === refused.id) throw new RelayError('not_found', 'no such user');
      return link.sent(frame);
    };
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'outbox to drain');
    expect(store.messages.getByLocalId(refused.localId)).toMatchObject({
      status: 'failed',
      error: 'The recipient no longer exists on the relay.',
    });
    expect(statusOf(store, next.localId)).toBe('sent');
  });

  it('lets other recipients pass while one queue is full, keeping that recipient in order', async () => {
    const { store, link, sender, chatWith, queue } = setup();
    const busy = chatWith();
    const idle = chatWith();
    const busyFirst = queue(busy, 'busy 1');
    const idleMsg = queue(idle, 'idle');
    const busySecond = queue(busy, 'busy 2');
    let full = true;
    const accepted: string[] = [];
    link.answerSend = (frame) => {
      if (full && frame.to === busy.peerId) throw new RelayError('queue_full', 'full');
      accepted.push(frame.msgId);
      return link.sent(frame);
    };
    sender.kick();
    await waitFor(() => statusOf(store, idleMsg.localId) === 'sent', 'the other recipient to get its message');
    // The second busy message went out pipelined, naming the first as `after`; the relay
    // (here the fake) refuses it out_of_order instead of letting it overtake.
    expect(link.sends.find((s) => s.msgId === busySecond.id)).toMatchObject({ after: busyFirst.id });
    expect(accepted).toEqual([idleMsg.id]);
    expect(statusOf(store, busyFirst.localId)).toBe('sending');
    expect(statusOf(store, busySecond.localId)).toBe('sending');
    full = false;
    await waitFor(() => store.outbox.count() === 0, 'the full queue to drain on retry');
    expect(accepted).toEqual([idleMsg.id, busyFirst.id, busySecond.id]);
  });

  it('honours rate_limited.retryAfterMs and then sends', async () => {
    const { store, link, sender, chatWith, queue } = setup();
    const message = queue(chatWith(), 'paced');
    let limited = true;
    link.answerSend = (frame) => {
      if (limited) {
        limited = false;
        throw new RelayError('rate_limited', 'slow down', 5);
      }
      return link.sent(frame);
    };
    sender.kick();
    await waitFor(() => statusOf(store, message.localId) === 'sent', 'the paced message to be sent');
    expect(link.sends).toHaveLength(2);
  });

  it('keeps up to `window` sends in flight, in outbox order, and records every answer', async () => {
    const { store, link, sender, chatWith, queue } = setup({ window: 4 });
    const chat = chatWith();
    const messages = Array.from({ length: 10 }, (_, i) => queue(chat, `m${i}`));
    const answers = holdAnswers(link);
    sender.kick();
    await waitFor(() => answers.count === 4, 'the window to fill');
    // Nothing is answered yet, so nothing more may go out.
    await new Promise((resolve) => setImmediate(resolve));
    expect(link.sends).toHaveLength(4);
    answers.release(1);
    await waitFor(() => link.sends.length === 5, 'one more send after one answer');
    while (store.outbox.count() > 0) {
      answers.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(link.sends.map((s) => s.msgId)).toEqual(messages.map((m) => m.id));
    expect(messages.map((m) => store.messages.getByLocalId(m.localId)?.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  it("names the previous unanswered send to the same recipient as `after`, and no one else's", async () => {
    const { link, sender, chatWith, queue } = setup();
    const [one, two] = [chatWith(), chatWith()];
    const first = queue(one, 'first');
    const other = queue(two, 'other');
    const second = queue(one, 'second');
    const answers = holdAnswers(link);
    sender.kick();
    await waitFor(() => answers.count === 3, 'all three in flight');
    expect(link.sends.map((s) => s.after)).toEqual([undefined, undefined, first.id]);
    answers.release();
    // Once the first is answered, a new send to that recipient names the still-unanswered second.
    await waitFor(() => link.stored.has(second.id), 'the second to be stored');
    expect(link.stored.has(other.id)).toBe(true);
  });

  it('resends a row refused as out of order, without `after`, once the row before it failed for good', async () => {
    const { store, link, sender, chatWith, queue } = setup();
    const chat = chatWith();
    const doomed = queue(chat, 'to a deleted account');
    const next = queue(chat, 'next');
    let refuseDoomed: () => void = () => {};
    link.answerSend = (frame) =>
      frame.msgId === doomed.id
        ? new Promise((_, reject) => (refuseDoomed = () => reject(new RelayError('not_found', 'no such user'))))
        : link.sent(frame);
    sender.kick();
    await waitFor(() => link.sends.length === 2, 'both in flight');
    expect(link.sends[1]).toMatchObject({ msgId: next.id, after: doomed.id });
    refuseDoomed();
    await waitFor(() => store.outbox.count() === 0, 'the outbox to drain');
    expect(store.messages.getByLocalId(doomed.localId)).toMatchObject({ status: 'failed' });
    expect(store.messages.getByLocalId(next.localId)).toMatchObject({ status: 'sent', seq: 1 });
    // `next` went out twice: refused behind `doomed`, then on its own.
    expect(link.sends.filter((s) => s.msgId === next.id).map((s) => s.after)).toEqual([doomed.id, undefined]);
  });

  it('reports answers that arrive together in one notification', async () => {
    const { link, sender, notifications, chatWith, queue } = setup();
    const chat = chatWith();
    const messages = Array.from({ length: 5 }, (_, i) => queue(chat, `m${i}`));
    const answers = holdAnswers(link);
    sender.kick();
    await waitFor(() => answers.count === 5, 'all five in flight');
    answers.release();
    await waitFor(() => notifications.length > 0, 'the answers to be recorded');
    expect(notifications).toEqual([messages.map((m) => m.localId)]);
  });

  it('sends receipts without touching any message', async () => {
    const { store, link, sender, changed, chatWith } = setup();
    const chat = chatWith();
    store.outbox.enqueue({
      msgId: newMessageId(),
      recipientId: chat.peerId,
      kind: 'receipt',
      messageLocalId: null,
      plaintext: encodePlaintext({ k: 'receipt', kind: 'read', ids: [newMessageId()] }),
      createdAt: 0,
    });
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'receipt to go out');
    expect(link.sends).toHaveLength(1);
    expect(changed).toEqual([]);
  });
});
