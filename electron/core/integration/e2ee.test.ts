/**
 * End-to-end encryption between real cores through a real relay: X3DH + Double Ratchet
 * both ways (also to a recipient that is offline), prekey stock, key resets, verified
 * contacts, a crash between encryption and commit, and what the relay keeps on disk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type MessageView } from '../../../shared/ipc';
import { loginOnSocket } from '../account/login';
import { registerOnRelay } from '../account/signUp';
import { silentLogger } from '../logger';
import { KEYS_CHECKED_SETTING } from '../messaging/keyCheck';
import { RelaySocket } from '../relay/socket';
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

async function twoPeople() {
  const alice = await h.client('alice');
  const bob = await h.client('bob');
  const aliceProfile = await signUp(alice, 'alice', 'Alice');
  const bobProfile = await signUp(bob, 'bob', 'Bob');
  return { alice, bob, aliceProfile, bobProfile };
}

const addedCount = (client: TestClient, id: string) =>
  client.events.filter((e) => e.name === 'message.added' && (e.payload as MessageView).id === id).length;

const kinds = async (client: TestClient, chatId: string) =>
  (await history(client, chatId)).map((m) => (m.kind === 'text' ? m.text : m.kind));

/** Every private key this device holds right now (identity, DH, signed and one-time prekey secrets). */
function secretsOf(client: TestClient): Buffer[] {
  const { store } = client;
  const keys = store.account.get()!.keys;
  const secrets = [keys.identitySecretKey.subarray(0, 32), keys.dhSecretKey];
  for (const key of store.preKeys.signedPreKeys()) secrets.push(key.secretKey);
  const oneTime = store.db.prepare('SELECT secret_key FROM one_time_prekeys').pluck().all() as Uint8Array[];
  secrets.push(...oneTime);
  return secrets.map((s) => Buffer.from(s));
}

describe('end-to-end encryption between two cores', () => {
  it('talks both ways over the ratchet, starting with a message to an offline recipient', async () => {
    const { alice, bob, bobProfile, aliceProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    await bob.close();
    const first = await alice.call('messages.send', { chatId: chat.id, text: 'while you were away' });
    await alice.event('message.updated', (m) => m.id === first.id && m.status === 'sent');

    await bob.reopen();
    const atBob = await bob.event('message.added', (m) => m.id === first.id);
    expect(atBob).toMatchObject({ kind: 'text', text: 'while you were away', fromMe: false });
    await alice.event('message.updated', (m) => m.id === first.id && m.status === 'delivered');

    const bobChat = `dm:${aliceProfile.userId}`;
    for (const text of ['reply 1', 'reply 2']) {
      const sent = await bob.call('messages.send', { chatId: bobChat, text });
      expect((await alice.event('message.added', (m) => m.id === sent.id)).text).toBe(text);
    }
    const again = await alice.call('messages.send', { chatId: chat.id, text: 'and back' });
    await bob.event('message.added', (m) => m.id === again.id);
    expect(await kinds(bob, bobChat)).toEqual(['while you were away', 'reply 1', 'reply 2', 'and back']);
    expect(await kinds(alice, chat.id)).toEqual(['while you were away', 'reply 1', 'reply 2', 'and back']);
    expect((await alice.call('chats.list', {})).chats[0]?.security).toEqual({
      verified: false,
      keyChanged: false,
      sendingHeld: false,
    });
  });

  it('opens every message when both sides start a session at the same moment', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const aliceChat = (await alice.call('chats.openDirect', { userId: bobProfile.userId })).id;
    const bobChat = (await bob.call('chats.openDirect', { userId: aliceProfile.userId })).id;
    const [fromAlice, fromBob] = await Promise.all([
      alice.call('messages.send', { chatId: aliceChat, text: 'alice first' }),
      bob.call('messages.send', { chatId: bobChat, text: 'bob first' }),
    ]);
    await bob.event('message.added', (m) => m.id === fromAlice.id);
    await alice.event('message.added', (m) => m.id === fromBob.id);
    for (let round = 1; round <= 2; round++) {
      const a = await alice.call('messages.send', { chatId: aliceChat, text: `alice ${round}` });
      const b = await bob.call('messages.send', { chatId: bobChat, text: `bob ${round}` });
      await bob.event('message.added', (m) => m.id === a.id);
      await alice.event('message.added', (m) => m.id === b.id);
    }
    for (const [client, chatId] of [
      [alice, aliceChat],
      [bob, bobChat],
    ] as const) {
      const messages = await history(client, chatId);
      expect(messages.filter((m) => m.kind !== 'text')).toEqual([]);
      expect(messages).toHaveLength(6);
    }
  });

  it('hands out one-time prekeys once and replenishes the stock after a session used one', async () => {
    const { bobProfile } = await twoPeople();
    expect(await h.relay.oneTimePreKeyCount(bobProfile.userId)).toBe(100);

    // Someone fetches bob's bundles in a loop: the relay's budget gives them one one-time prekey.
    const mallory = await registerOnRelay(h.relay.url, { username: 'mallory', displayName: 'M' }, silentLogger);
    const fetchBundles = async (count: number) => {
      const socket = await RelaySocket.open(h.relay.url, { logger: silentLogger });
      await loginOnSocket(socket, mallory);
      const seen: (number | undefined)[] = [];
      for (let i = 0; i < count; i++) {
        const { bundle } = await socket.request({ t: 'bundle', userId: bobProfile.userId });
        seen.push(bundle.oneTimePreKey?.id);
      }
      socket.close();
      return seen;
    };
    expect((await fetchBundles(5)).filter((id) => id !== undefined)).toHaveLength(1);
    expect(await h.relay.oneTimePreKeyCount(bobProfile.userId)).toBe(99);

    // Without the budget (as if many accounts did it), the stock runs low.
    await h.relay.stop();
    h.relay.preKeyBudget = { pairIntervalMs: 0, perTargetPerHour: Number.POSITIVE_INFINITY };
    await h.relay.start();
    const seen = await fetchBundles(74);
    expect(new Set(seen).size).toBe(74);
    expect(seen).not.toContain(undefined);
    expect(await h.relay.oneTimePreKeyCount(bobProfile.userId)).toBe(25);

    // carol's first message uses one of the last ones; bob then tops the stock up.
    const carol = await h.client('carol');
    await signUp(carol, 'carol', 'Carol');
    const chat = await carol.call('chats.openDirect', { userId: bobProfile.userId });
    const hello = await carol.call('messages.send', { chatId: chat.id, text: 'hi bob' });
    await carol.event('message.updated', (m) => m.id === hello.id && m.status === 'delivered');
    await waitFor(async () => (await h.relay.oneTimePreKeyCount(bobProfile.userId)) === 100, 'the stock refilled');
  });

  it('tops the stock up while online even when the bundles taken start no session', async () => {
    h.relay.preKeyBudget = { pairIntervalMs: 0, perTargetPerHour: Number.POSITIVE_INFINITY };
    await h.relay.stop();
    await h.relay.start();
    // The hourly check, here every 300 ms.
    const bob = await h.client('bob', undefined, { preKeyCheckIntervalMs: 300 });
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    await waitFor(async () => (await h.relay.oneTimePreKeyCount(bobProfile.userId)) === 100, 'the first stock');
    const mallory = await registerOnRelay(h.relay.url, { username: 'mallory', displayName: 'M' }, silentLogger);
    const socket = await RelaySocket.open(h.relay.url, { logger: silentLogger });
    await loginOnSocket(socket, mallory);
    for (let i = 0; i < 80; i++) await socket.request({ t: 'bundle', userId: bobProfile.userId });
    socket.close();
    await waitFor(async () => (await h.relay.oneTimePreKeyCount(bobProfile.userId)) === 100, 'the stock topped up');
  });

  it('after a peer resets keys the other side sees a keyChanged line and the conversation goes on', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const bobChat = `dm:${aliceProfile.userId}`;
    const before = await alice.call('messages.send', { chatId: chat.id, text: 'before' });
    await bob.event('message.added', (m) => m.id === before.id);
    const numberBefore = await alice.call('security.safetyNumber', { chatId: chat.id });

    await bob.call('session.resetKeys', {});
    const after = await alice.call('messages.send', { chatId: chat.id, text: 'after the reset' });
    expect((await bob.event('message.added', (m) => m.id === after.id)).text).toBe('after the reset');
    await alice.event('message.added', (m) => m.kind === 'keyChanged' && m.chatId === chat.id);
    await alice.event('chat.updated', (c) => c.id === chat.id && c.security.keyChanged);
    expect(await kinds(alice, chat.id)).toEqual(['before', 'keyChanged', 'after the reset']);

    const reply = await bob.call('messages.send', { chatId: bobChat, text: 'new keys, same bob' });
    expect((await alice.event('message.added', (m) => m.id === reply.id)).text).toBe('new keys, same bob');

    const numberAfter = await alice.call('security.safetyNumber', { chatId: chat.id });
    expect(numberAfter.digits).not.toBe(numberBefore.digits);
    expect(numberAfter.keyChanged).toBe(true);
    expect((await bob.call('security.safetyNumber', { chatId: bobChat })).digits).toBe(numberAfter.digits);
    const accepted = await alice.call('security.acceptKeyChange', { chatId: chat.id });
    expect(accepted.security).toEqual({ verified: false, keyChanged: false, sendingHeld: false });
  });

  it('shows the keyChanged line as soon as an online peer resets keys, before anyone writes again', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const bobChat = await bob.call('chats.openDirect', { userId: aliceProfile.userId });
    const hello = await bob.call('messages.send', { chatId: bobChat.id, text: 'hello' });
    await alice.event('message.added', (m) => m.id === hello.id);
    const { digits } = await alice.call('security.safetyNumber', { chatId: chat.id });
    await alice.call('security.setVerified', { chatId: chat.id, verified: true, digits });

    await bob.call('session.resetKeys', {});
    // Nobody sends anything: the relay's hint alone makes alice look bob up again.
    await alice.event('message.added', (m) => m.kind === 'keyChanged' && m.chatId === chat.id);
    const updated = await alice.event('chat.updated', (c) => c.id === chat.id && c.security.keyChanged);
    expect(updated.security).toEqual({ verified: false, keyChanged: true, sendingHeld: true });
    expect(await kinds(alice, chat.id)).toEqual(['hello', 'keyChanged']);
  });

  it('shows the keyChanged line at the next login when the peer reset keys while the app was closed', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const bobChat = await bob.call('chats.openDirect', { userId: aliceProfile.userId });
    const hello = await bob.call('messages.send', { chatId: bobChat.id, text: 'hello' });
    await alice.event('message.added', (m) => m.id === hello.id);
    const { digits } = await alice.call('security.safetyNumber', { chatId: chat.id });
    await alice.call('security.setVerified', { chatId: chat.id, verified: true, digits });
    // Her first login's check set the mark (relay clock).
    await waitFor(() => alice.store.lifecycle.getSetting(KEYS_CHECKED_SETTING), 'the first key check');
    const firstMark = Number(alice.store.lifecycle.getSetting(KEYS_CHECKED_SETTING));
    await alice.close();

    // Alice misses the relay's push: she is offline while bob resets his keys.
    await bob.call('session.resetKeys', {});
    await alice.reopen();
    // Nobody writes: the check at her login finds the reset.
    await alice.event('message.added', (m) => m.kind === 'keyChanged' && m.chatId === chat.id);
    const updated = await alice.event('chat.updated', (c) => c.id === chat.id && c.security.keyChanged);
    expect(updated.security).toEqual({ verified: false, keyChanged: true, sendingHeld: true });
    expect(await kinds(alice, chat.id)).toEqual(['hello', 'keyChanged']);
    const number = await alice.call('security.safetyNumber', { chatId: chat.id });
    expect(number.digits).not.toBe(digits);
    expect(number.digits).toBe((await bob.call('security.safetyNumber', { chatId: bobChat.id })).digits);
    await waitFor(
      () => Number(alice.store.lifecycle.getSetting(KEYS_CHECKED_SETTING)) > firstMark,
      'the mark to move on',
    );

    // Sending to the verified contact is held until alice accepts the new key.
    const held = await alice.call('messages.send', { chatId: chat.id, text: 'waits for alice' });
    expect((await history(alice, chat.id)).find((m) => m.id === held.id)?.status).toBe('sending');
    expect(addedCount(bob, held.id)).toBe(0);

    // The next login checks again (reaching back over bob's reset) and adds nothing.
    const mark = alice.store.lifecycle.getSetting(KEYS_CHECKED_SETTING);
    await alice.close();
    await alice.reopen();
    await waitFor(() => alice.store.lifecycle.getSetting(KEYS_CHECKED_SETTING) !== mark, 'the second check');
    expect(await kinds(alice, chat.id)).toEqual(['hello', 'keyChanged', 'waits for alice']);

    await alice.call('security.acceptKeyChange', { chatId: chat.id });
    expect((await bob.event('message.added', (m) => m.id === held.id)).text).toBe('waits for alice');
  });

  it('completes a key reset whose answer was lost, on the next login, and the conversation goes on', async () => {
    proxy = await FrameProxy.start(h.relay.url);
    const alice = await h.client('alice');
    const bob = await h.client('bob', proxy.url);
    const aliceProfile = await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const oldKey = Buffer.from(bob.store.account.get()!.keys.identityPublicKey);
    // The relay switches bob's keys, but its answer never reaches him.
    let cut = false;
    proxy.inspect = (frame) => {
      if (cut || frame.t !== 'session' || oldKey.equals(frame.user.identityKey)) return 'forward';
      cut = true;
      return 'cut';
    };
    await expect(bob.call('session.resetKeys', {})).rejects.toThrow(/offline/);

    await waitFor(() => bob.store.account.pendingKeys() === null, 'the reset to be settled on reconnect');
    const newKey = Buffer.from(bob.store.account.get()!.keys.identityPublicKey);
    expect(newKey.equals(oldKey)).toBe(false);
    await waitFor(async () => (await bob.call('connection.status', {})).state === 'online', 'bob online again');

    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const hello = await alice.call('messages.send', { chatId: chat.id, text: 'still there?' });
    expect((await bob.event('message.added', (m) => m.id === hello.id)).text).toBe('still there?');
    const reply = await bob.call('messages.send', { chatId: `dm:${aliceProfile.userId}`, text: 'yes' });
    expect((await alice.event('message.added', (m) => m.id === reply.id)).text).toBe('yes');
  });

  it('holds messages to a verified contact whose key changed until the user accepts it', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const bobChat = (await bob.call('chats.openDirect', { userId: aliceProfile.userId })).id;
    const aliceNumber = await alice.call('security.safetyNumber', { chatId: chat.id });
    const bobNumber = await bob.call('security.safetyNumber', { chatId: bobChat });
    expect(aliceNumber.digits).toBe(bobNumber.digits);
    expect(aliceNumber.groups.join('')).toBe(aliceNumber.digits);
    const verified = await alice.call('security.setVerified', {
      chatId: chat.id,
      verified: true,
      digits: aliceNumber.digits,
    });
    expect(verified.security).toEqual({ verified: true, keyChanged: false, sendingHeld: false });

    await bob.call('session.resetKeys', {});
    const held = await alice.call('messages.send', { chatId: chat.id, text: 'waits for alice' });
    await alice.event('chat.updated', (c) => c.id === chat.id && c.security.sendingHeld);
    expect((await alice.call('chats.list', {})).chats[0]?.security).toEqual({
      verified: false,
      keyChanged: true,
      sendingHeld: true,
    });
    expect((await history(alice, chat.id)).find((m) => m.id === held.id)?.status).toBe('sending');
    expect(addedCount(bob, held.id)).toBe(0);

    await alice.call('security.acceptKeyChange', { chatId: chat.id });
    expect((await bob.event('message.added', (m) => m.id === held.id)).text).toBe('waits for alice');
    await alice.event('message.updated', (m) => m.id === held.id && m.status === 'delivered');
  });

  it("refuses to verify a safety number the peer's key no longer matches", async () => {
    const { alice, bob, bobProfile } = await twoPeople();
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const hi = await alice.call('messages.send', { chatId: chat.id, text: 'hi' });
    await bob.event('message.added', (m) => m.id === hi.id);
    const shown = await alice.call('security.safetyNumber', { chatId: chat.id });
    // Bob resets while alice is still comparing the old number.
    await bob.call('session.resetKeys', {});
    await alice.event('chat.updated', (c) => c.id === chat.id && c.security.keyChanged);

    const refused = await dispatch(alice.core.handlers, 'security.setVerified', {
      chatId: chat.id,
      verified: true,
      digits: shown.digits,
    });
    expect(refused).toMatchObject({ ok: false, code: 'safety_number_changed' });
    expect((await alice.call('chats.list', {})).chats[0]?.security.verified).toBe(false);
    const missing = await dispatch(alice.core.handlers, 'security.setVerified', { chatId: chat.id, verified: true });
    expect(missing).toMatchObject({ ok: false, code: 'invalid_input' });

    const current = await alice.call('security.safetyNumber', { chatId: chat.id });
    expect(current.digits).not.toBe(shown.digits);
    const verified = await alice.call('security.setVerified', {
      chatId: chat.id,
      verified: true,
      digits: current.digits,
    });
    expect(verified.security).toEqual({ verified: true, keyChanged: false, sendingHeld: false });
  });

  it('a crash between encryption and commit: after reopening, the message arrives once and decrypts', async () => {
    let armed = true;
    let crashed = false;
    const alice = await h.client('alice', undefined, {
      sealHooks: {
        beforeCommit: () => {
          if (!armed) return;
          armed = false;
          crashed = true;
          throw new Error('simulated crash between encryption and commit');
        },
      },
    });
    const bob = await h.client('bob');
    await signUp(alice, 'alice', 'Alice');
    const bobProfile = await signUp(bob, 'bob', 'Bob');
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    const message = await alice.call('messages.send', { chatId: chat.id, text: 'sealed twice, sent once' });
    await waitFor(() => crashed, 'the simulated crash');
    await alice.close();
    await alice.reopen();

    const atBob = await bob.event('message.added', (m) => m.id === message.id);
    expect(atBob).toMatchObject({ kind: 'text', text: 'sealed twice, sent once' });
    await alice.event('message.updated', (m) => m.id === message.id && m.status === 'delivered');
    expect(addedCount(bob, message.id)).toBe(1);
    expect((await history(bob, atBob.chatId)).filter((m) => m.kind === 'undecryptable')).toEqual([]);
  });

  it('the relay keeps neither message plaintext nor any private key of the clients on disk', async () => {
    const { alice, bob, aliceProfile, bobProfile } = await twoPeople();
    const secrets = [...secretsOf(alice), ...secretsOf(bob)];
    const chat = await alice.call('chats.openDirect', { userId: bobProfile.userId });
    await bob.close();
    const canary = `canary-${Math.random().toString(36).slice(2)}`;
    const queued = await alice.call('messages.send', { chatId: chat.id, text: `${canary} queued` });
    await alice.event('message.updated', (m) => m.id === queued.id && m.status === 'sent');

    const disk = h.relay.filesOnDisk();
    expect(disk.includes(canary)).toBe(false);
    for (const secret of [...secrets, ...secretsOf(alice)]) expect(disk.includes(secret)).toBe(false);

    await bob.reopen();
    await bob.event('message.added', (m) => m.id === queued.id);
    const reply = await bob.call('messages.send', { chatId: `dm:${aliceProfile.userId}`, text: `${canary} reply` });
    await alice.event('message.added', (m) => m.id === reply.id);
    const after = h.relay.filesOnDisk();
    expect(after.includes(canary)).toBe(false);
    for (const secret of [...secrets, ...secretsOf(alice), ...secretsOf(bob)]) {
      expect(after.includes(secret)).toBe(false);
    }
  });
});
