/**
 * The OutboxSender sealing rows with X3DH + Double Ratchet against a fake relay and an
 * in-memory peer device: what the peer can read, what the relay is sent, and what waits.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKeys } from '../crypto/keys';
import { encodePlaintext } from '../crypto/plaintext';
import { sodiumReady } from '../crypto/sodium';
import { deserializeSessionState, parseEnvelope } from '../crypto/e2ee';
import type { Store } from '../db/store';
import { silentLogger } from '../logger';
import { TestPeer } from '../testing/e2eePeer';
import { FakeLink, type SendRequest } from '../testing/fakeLink';
import { contactOf, makeAccount, newMessageId, openTestStore } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { waitFor } from '../testing/waitFor';
import type { IdentityChange } from './identity';
import { OutboxSender } from './outboxSender';
import { sealRow, type SealHooks } from './sealing';

const dirs = tempDirs();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

function setup(options: { pinnedKeys?: ReturnType<typeof generateDeviceKeys>; publish?: boolean } = {}) {
  const store = openTestStore(dirs.make());
  const me = makeAccount('me');
  const link = new FakeLink({ selfId: me.userId });
  const bob = new TestPeer('bob');
  link.users.set(bob.userId, bob.user);
  if (options.publish !== false) bob.publish(link.preKeys, 3);
  // What we pinned for bob (possibly an older identity of his).
  const pinned = contactOf(options.pinnedKeys ? { ...bob.account, keys: options.pinnedKeys } : bob.account);
  store.contacts.put(pinned);
  const chatId = store.chats.ensureDirect(bob.userId, 0).chat.id;
  const changes: IdentityChange[] = [];
  const hooks: SealHooks = {};
  const sender = new OutboxSender({
    store,
    link,
    logger: silentLogger,
    account: () => me,
    onMessagesChanged: () => {},
    onIdentityChanged: (change) => changes.push(change),
    sealHooks: hooks,
    retryBackoff: { baseMs: 1, capMs: 5 },
  });
  cleanups.push(
    () => store.close(),
    () => sender.stop(),
  );
  const queue = (text: string) =>
    store.transaction(() => {
      const id = newMessageId();
      const localId = store.messages.insertOutgoing({ chatId, id, senderId: me.userId, text, sentAt: 0 });
      store.outbox.enqueue({
        msgId: id,
        recipientId: bob.userId,
        kind: 'message',
        messageLocalId: localId,
        plaintext: encodePlaintext({ k: 'text', text, sentAt: 0 }),
        createdAt: 0,
      });
      return { id, localId };
    });
  /** What bob reads of the sends he got (accepted by the relay), in order. */
  const readByBob = (peer = bob, sends: SendRequest[] = link.sends.filter((s) => link.stored.has(s.msgId))) =>
    sends.map((s) => {
      const plaintext = peer.open(me.userId, s.msgId, s.body);
      return plaintext.k === 'text' ? plaintext.text : plaintext.k;
    });
  return { store, me, link, bob, chatId, sender, changes, hooks, queue, readByBob };
}

const statusOf = (store: Store, localId: number) => store.messages.getByLocalId(localId)?.status;
const historyKinds = (store: Store, chatId: string) =>
  store.messages
    .pageNewestFirst(chatId, null, 50)
    .reverse()
    .map((m) => (m.kind === 'text' ? m.text : m.kind));

describe('sealing in the outbox', () => {
  it('starts a session from the bundle, seals rows in order for the pinned key, and the peer reads each once', async () => {
    const { store, link, bob, sender, queue, readByBob } = setup();
    const messages = ['one', 'two', 'three'].map(queue);
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'the outbox to drain');

    expect(link.requests.filter((r) => r.t === 'bundle')).toHaveLength(1);
    expect(link.sends.map((s) => s.msgId)).toEqual(messages.map((m) => m.id));
    for (const send of link.sends) expect(Buffer.from(send.toKey!).equals(bob.user.identityKey)).toBe(true);
    // Every envelope of the new session carries the X3DH fields until bob answers.
    expect(link.sends.map((s) => parseEnvelope(s.body).alg)).toEqual(['x3dh1', 'x3dh1', 'x3dh1']);
    expect(readByBob()).toEqual(['one', 'two', 'three']);
    expect(bob.unusedOneTimePreKeys).toBe(2);
    expect(store.sessions.list(bob.userId)).toHaveLength(1);
    for (const m of messages) expect(statusOf(store, m.localId)).toBe('sent');
  });

  it('keeps the message sending while the recipient has no prekeys, and sends once they are published', async () => {
    const { store, link, bob, sender, queue, readByBob } = setup({ publish: false });
    const message = queue('early');
    sender.kick();
    await waitFor(() => link.requests.filter((r) => r.t === 'bundle').length >= 2, 'a retried bundle request');
    expect(statusOf(store, message.localId)).toBe('sending');
    expect(link.sends).toHaveLength(0);
    bob.publish(link.preKeys, 1);
    await waitFor(() => statusOf(store, message.localId) === 'sent', 'the message to go out');
    expect(readByBob()).toEqual(['early']);
  });

  it('adds a keyChanged line when the bundle shows a new identity, and sends (contact not verified)', async () => {
    const { store, chatId, bob, sender, changes, queue, readByBob } = setup({ pinnedKeys: generateDeviceKeys() });
    const message = queue('hello new key');
    sender.kick();
    await waitFor(() => statusOf(store, message.localId) === 'sent', 'the message to go out');
    expect(readByBob()).toEqual(['hello new key']);
    expect(Buffer.from(store.contacts.get(bob.userId)!.identityKey).equals(bob.user.identityKey)).toBe(true);
    expect(store.security.get(bob.userId)).toEqual({ verified: false, keyChanged: true, sendingHeld: false });
    expect(changes).toMatchObject([{ chatId, held: false }]);
    // The line goes where the change was found: after what the relay had sequenced by then.
    expect(historyKinds(store, chatId).sort()).toEqual(['hello new key', 'keyChanged']);
  });

  it('holds messages to a verified contact whose key changed until the user accepts, then sends them', async () => {
    const { store, me, chatId, link, bob, sender, changes, queue, readByBob } = setup({
      pinnedKeys: generateDeviceKeys(),
    });
    store.security.put(bob.userId, { verified: true, keyChanged: false, sendingHeld: false });
    const first = queue('wait for me');
    sender.kick();
    await waitFor(() => changes.length === 1, 'the key change');
    const second = queue('me too');
    sender.kick();
    await sender.stop();
    expect(changes[0]).toMatchObject({ chatId, held: true });
    expect(store.security.get(bob.userId)).toEqual({ verified: false, keyChanged: true, sendingHeld: true });
    expect(link.sends).toHaveLength(0);
    expect(store.outbox.nextAfter(0)?.body).toBeNull(); // not even sealed
    expect([statusOf(store, first.localId), statusOf(store, second.localId)]).toEqual(['sending', 'sending']);

    // The user accepts the new key (security.acceptKeyChange does exactly this, then kicks).
    store.security.put(bob.userId, { verified: false, keyChanged: false, sendingHeld: false });
    const again = new OutboxSender({
      store,
      link,
      logger: silentLogger,
      account: () => me,
      onMessagesChanged: () => {},
    });
    cleanups.push(() => again.stop());
    again.kick();
    await waitFor(() => store.outbox.count() === 0, 'the held messages to go out');
    expect(readByBob()).toEqual(['wait for me', 'me too']);
  });

  it('on identity_changed looks the recipient up, adopts the new key and seals the message again', async () => {
    const { store, chatId, me, link, bob, sender, changes, queue, readByBob } = setup();
    queue('before');
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'the first message');
    expect(readByBob()).toEqual(['before']);

    // Bob resets his keys: the relay has his new identity and prekeys.
    const newBob = new TestPeer('bob', { ...bob.account, keys: generateDeviceKeys() });
    link.users.set(bob.userId, newBob.user);
    link.preKeys.byUser.delete(bob.userId);
    newBob.publish(link.preKeys, 2);
    const after = queue('after');
    sender.kick();
    await waitFor(() => statusOf(store, after.localId) === 'sent', 'the resealed message');

    const attempts = link.sends.filter((s) => s.msgId === after.id);
    expect(attempts).toHaveLength(2);
    expect(Buffer.from(attempts[0]!.toKey!).equals(bob.user.identityKey)).toBe(true);
    expect(Buffer.from(attempts[1]!.toKey!).equals(newBob.user.identityKey)).toBe(true);
    expect(newBob.open(me.userId, after.id, attempts[1]!.body)).toMatchObject({ text: 'after' });
    expect(changes).toHaveLength(1);
    expect(historyKinds(store, chatId)).toEqual(['before', 'keyChanged', 'after']);
  });

  it('starts a session from the keys as committed, even when the caller still holds keys a reset retired', () => {
    const { store, me, link, bob, queue } = setup();
    store.account.insert(me);
    const fresh = generateDeviceKeys();
    store.account.replaceKeys(fresh); // a key reset completed while a pass held `me`
    queue('after the reset');
    const row = store.outbox.nextAfter(0)!;
    const outcome = sealRow(store, me, row.id, link.preKeys.bundle(bob.user));
    expect(outcome.kind).toBe('sealed');
    const state = deserializeSessionState(store.sessions.current(bob.userId)!.state);
    expect(Buffer.from(state.localIdentity.identityKey).equals(Buffer.from(fresh.identityPublicKey))).toBe(true);
  });

  it('seals a burst on an existing session in one transaction: a failure midway seals none of it', async () => {
    const { store, link, bob, sender, hooks, queue, readByBob } = setup();
    queue('opening');
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'the session to exist');
    const stateBefore = Buffer.from(store.sessions.current(bob.userId)!.state);

    let crash = true;
    let sealedInAttempt = 0;
    let crashes = 0;
    hooks.beforeCommit = () => {
      if (!crash) return;
      if (++sealedInAttempt === 3) {
        sealedInAttempt = 0;
        crashes++;
        throw new Error('simulated crash on the third row');
      }
    };
    const burst = ['b1', 'b2', 'b3', 'b4'].map(queue);
    sender.kick();
    await waitFor(() => crashes >= 2, 'rolled back attempts');
    expect(store.outbox.nextAfter(0)).toMatchObject({ msgId: burst[0]!.id, body: null });
    expect(Buffer.from(store.sessions.current(bob.userId)!.state).equals(stateBefore)).toBe(true);
    expect(link.sends.filter((s) => burst.some((m) => m.id === s.msgId))).toHaveLength(0);

    crash = false;
    await waitFor(() => store.outbox.count() === 0, 'the burst to go out');
    expect(readByBob()).toEqual(['opening', 'b1', 'b2', 'b3', 'b4']);
  });

  it('a failure between encryption and commit leaves the state as it was; the retry is the only ciphertext sent', async () => {
    const { store, link, bob, sender, hooks, queue, readByBob } = setup();
    queue('first');
    sender.kick();
    await waitFor(() => store.outbox.count() === 0, 'the first message');
    const stateBefore = Buffer.from(store.sessions.current(bob.userId)!.state);

    let crash = true;
    let crashes = 0;
    hooks.beforeCommit = () => {
      if (!crash) return;
      crashes++;
      throw new Error('simulated crash before the commit');
    };
    const second = queue('second');
    sender.kick();
    await waitFor(() => crashes >= 2, 'failed attempts');
    // Rolled back: the old state, no envelope, nothing on the wire.
    expect(Buffer.from(store.sessions.current(bob.userId)!.state).equals(stateBefore)).toBe(true);
    expect(store.outbox.nextAfter(0)).toMatchObject({ msgId: second.id, body: null });
    expect(link.sends.filter((s) => s.msgId === second.id)).toHaveLength(0);

    crash = false;
    await waitFor(() => statusOf(store, second.localId) === 'sent', 'the retry');
    expect(link.sends.filter((s) => s.msgId === second.id)).toHaveLength(1);
    expect(Buffer.from(store.sessions.current(bob.userId)!.state).equals(stateBefore)).toBe(false);
    expect(readByBob()).toEqual(['first', 'second']);
  });
});
