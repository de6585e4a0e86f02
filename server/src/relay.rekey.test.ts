import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import sodium from 'libsodium-wrappers-sumo';
import { DH_KEY_SIG_CONTEXT, KEYS_CHANGED_MAX_USERS } from '../../shared/protocol';
import { signedMessage } from './auth/signatures';
import { connectForTest, relayForTest, signInForTest, signUpForTest } from './testSupport';
import {
  createIdentity,
  createOneTimePreKeys,
  createSignedPreKey,
  expectFrame,
  openSealed,
  rekeyProofs,
  sealFor,
  signChallenge,
  signUp,
  type RelayTestClient,
  type TestIdentity,
} from './testing/client';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const codeOf = (frame: { t: string; code?: string }) => (frame.t === 'err' ? frame.code : frame.t);

async function publishPreKeys(client: RelayTestClient, identity: TestIdentity): Promise<void> {
  expectFrame(
    await client.uploadPreKeys({
      signedPreKey: createSignedPreKey(identity, 1).wire,
      oneTimePreKeys: createOneTimePreKeys(1, 3).map((key) => key.wire),
    }),
    'prekeyState',
  );
}

describe('relay identity reset (rekey)', () => {
  it('refuses a rekey without all three proofs, changing nothing', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    await publishPreKeys(alice.client, alice.identity);
    const next = await createIdentity();
    const stranger = await createIdentity();
    const challenge = alice.client.hello.challenge;
    const good = rekeyProofs(alice.identity, next, challenge);
    const attempts = [
      // handover signed by a key that is not the account's
      { ...good, handover: rekeyProofs(stranger, next, challenge).handover },
      // a DH key (properly signed by the new key) other than the one the handover covers
      {
        ...good,
        dhKey: stranger.dhKey,
        dhKeySig: new Uint8Array(
          sodium.crypto_sign_detached(signedMessage(DH_KEY_SIG_CONTEXT, stranger.dhKey), next.identitySecretKey),
        ),
      },
      // the new key did not sign this connection's challenge
      { ...good, sig: signChallenge(next, bob.client.hello.challenge) },
      // the challenge signed by the old key, not the new one
      { ...good, sig: signChallenge(alice.identity, challenge) },
      // the DH key not signed by the new identity key
      { ...good, dhKeySig: alice.identity.dhKeySig },
    ];
    const answers = [];
    for (const attempt of attempts) answers.push(codeOf(await alice.client.request({ t: 'rekey', ...attempt })));
    expect(answers).toEqual(['bad_signature', 'bad_signature', 'auth_failed', 'auth_failed', 'bad_signature']);

    const seen = expectFrame(await bob.client.lookup({ userId: alice.user.userId }), 'user').user;
    expect(hex(seen.identityKey)).toBe(hex(alice.identity.identityKey));
    expect(expectFrame(await alice.client.uploadPreKeys(), 'prekeyState')).toMatchObject({
      signedPreKeyId: 1,
      oneTimeCount: 3,
    });
    const fresh = await connectForTest(url);
    expect(await fresh.login(next)).toMatchObject({ t: 'err', code: 'auth_failed' });
    await alice.client.close();
    expect((await signInForTest(url, alice.identity)).user.userId).toBe(alice.user.userId);
  });

  it("refuses another account's identity key with identity_exists", async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const carol = await signUpForTest(url, 'carol');
    expect(await alice.client.rekey(alice.identity, carol.identity)).toMatchObject({
      t: 'err',
      code: 'identity_exists',
    });
    const seen = expectFrame(await carol.client.lookup({ username: 'alice' }), 'user').user;
    expect(hex(seen.identityKey)).toBe(hex(alice.identity.identityKey));
  });

  it('moves the account to the new key: old key refused, new key signs in, prekeys dropped, queue kept', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUp(url, 'bob');
    await publishPreKeys(bob.client, bob.identity);
    await bob.client.close();
    // Queued while bob is offline, before the reset.
    expectFrame(await alice.client.send(bob.user.userId, sealFor(bob.user, 'before the reset')), 'sent');

    const back = await signInForTest(url, bob.identity);
    const next = await createIdentity();
    const session = expectFrame(await back.client.rekey(bob.identity, next), 'session');
    expect(session.user).toMatchObject({ userId: bob.user.userId, username: 'bob', displayName: 'bob' });
    expect(hex(session.user.identityKey)).toBe(hex(next.identityKey));
    expect(hex(session.user.dhKey)).toBe(hex(next.dhKey));
    expect(hex(session.user.dhKeySig)).toBe(hex(next.dhKeySig));

    // Still signed in as bob on this connection: the queue is delivered, nothing was lost.
    expectFrame(await back.client.sync(), 'ok');
    const [queued] = await back.client.waitForMessages(1);
    expect(text(openSealed(bob.identity, queued?.body ?? new Uint8Array()))).toBe('before the reset');
    expectFrame(await back.client.ack([queued?.eid ?? 0]), 'ok');

    // Prekeys went with the old key; the new state is empty until the client uploads again.
    expect(await alice.client.fetchBundle(bob.user.userId)).toMatchObject({ t: 'err', code: 'no_prekeys' });
    expect(expectFrame(await back.client.uploadPreKeys(), 'prekeyState')).toEqual(
      expect.objectContaining({ signedPreKeyId: null, oneTimeCount: 0 }),
    );
    // New prekeys must be signed by the new key.
    expect(await back.client.uploadPreKeys({ signedPreKey: createSignedPreKey(bob.identity, 2).wire })).toMatchObject({
      t: 'err',
      code: 'bad_signature',
    });
    expectFrame(await back.client.uploadPreKeys({ signedPreKey: createSignedPreKey(next, 2).wire }), 'prekeyState');
    const bundle = expectFrame(await alice.client.fetchBundle(bob.user.userId), 'bundle').bundle;
    expect(hex(bundle.identity.identityKey)).toBe(hex(next.identityKey));

    // Lookup and search show the new keys.
    const looked = expectFrame(await alice.client.lookup({ username: 'bob' }), 'user').user;
    expect(hex(looked.identityKey)).toBe(hex(next.identityKey));
    expect(hex(looked.dhKey)).toBe(hex(next.dhKey));
    const byId = expectFrame(await alice.client.lookup({ userId: bob.user.userId }), 'user').user;
    expect(hex(byId.identityKey)).toBe(hex(next.identityKey));
    const [found] = expectFrame(await alice.client.search('bo'), 'users').users;
    expect(hex(found?.identityKey ?? new Uint8Array())).toBe(hex(next.identityKey));
    expect(hex(found?.dhKeySig ?? new Uint8Array())).toBe(hex(next.dhKeySig));

    // The old key no longer signs in; the new one does, as the same account.
    await back.client.close();
    const withOldKey = await connectForTest(url);
    expect(await withOldKey.login(bob.identity)).toMatchObject({ t: 'err', code: 'auth_failed' });
    const withNewKey = await signInForTest(url, next);
    expect(withNewKey.user.userId).toBe(bob.user.userId);
    expect(hex(withNewKey.user.identityKey)).toBe(hex(next.identityKey));
    // The old key cannot be used to register a fresh account under bob's name either.
    expect(await withOldKey.register(bob.identity, { username: 'bob' })).toMatchObject({
      t: 'err',
      code: 'username_taken',
    });
  });

  it('rekeys twice in a row, each handover signed by the key before it', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const [second, third] = [await createIdentity(), await createIdentity()];
    expectFrame(await alice.client.rekey(alice.identity, second), 'session');
    // The first key no longer hands anything over.
    expect(await alice.client.rekey(alice.identity, third)).toMatchObject({ t: 'err', code: 'bad_signature' });
    expectFrame(await alice.client.rekey(second, third), 'session');
    await alice.client.close();
    expect((await signInForTest(url, third)).user.userId).toBe(alice.user.userId);
  });
});

describe('relay keyChanged push', () => {
  it('tells the online people a user has talked with, in either direction, and nobody else', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const carol = await signUpForTest(url, 'carol');
    const dave = await signUpForTest(url, 'dave');
    // bob wrote to alice; carol wrote to bob; dave never talked to bob.
    expectFrame(await bob.client.send(alice.user.userId, sealFor(alice.identity, 'hi alice')), 'sent');
    expectFrame(await carol.client.send(bob.user.userId, sealFor(bob.identity, 'hi bob')), 'sent');
    expectFrame(await dave.client.send(alice.user.userId, sealFor(alice.identity, 'hi alice')), 'sent');

    expectFrame(await bob.client.rekey(bob.identity, await createIdentity()), 'session');

    const pushedTo = (client: RelayTestClient) => () =>
      client.frames.find((frame) => frame.t === 'keyChanged' && frame.userId === bob.user.userId);
    await alice.client.waitUntil(pushedTo(alice.client));
    await carol.client.waitUntil(pushedTo(carol.client));
    // A round trip on dave's and bob's own connections: any push would have arrived before the answer.
    expectFrame(await dave.client.ping(), 'ok');
    expectFrame(await bob.client.ping(), 'ok');
    expect(dave.client.frames.some((frame) => frame.t === 'keyChanged')).toBe(false);
    expect(bob.client.frames.some((frame) => frame.t === 'keyChanged')).toBe(false);
  });
});

describe('relay keysChanged', () => {
  it('lists the partners who reset keys after `since`, to partners only, with the relay time', async () => {
    let clock = 10_000;
    const { url } = await relayForTest({ now: () => clock });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const carol = await signUpForTest(url, 'carol');
    const dave = await signUpForTest(url, 'dave');
    // bob wrote to alice; carol wrote to bob; dave never talked to bob.
    expectFrame(await bob.client.send(alice.user.userId, sealFor(alice.identity, 'hi alice')), 'sent');
    expectFrame(await carol.client.send(bob.user.userId, sealFor(bob.identity, 'hi bob')), 'sent');
    expectFrame(await dave.client.send(alice.user.userId, sealFor(alice.identity, 'hi alice')), 'sent');
    // Alice is offline while bob resets his keys.
    await alice.client.close();
    clock = 20_000;
    expectFrame(await bob.client.rekey(bob.identity, await createIdentity()), 'session');

    clock = 30_000;
    const back = await signInForTest(url, alice.identity);
    const answer = (client: RelayTestClient, since: number) =>
      client.keysChanged(since).then((frame) => expectFrame(frame, 'keysChangedList'));
    expect(await answer(back.client, 0)).toMatchObject({ userIds: [bob.user.userId], until: 30_000, more: false });
    expect(await answer(back.client, 19_999)).toMatchObject({ userIds: [bob.user.userId] });
    expect(await answer(back.client, 20_000)).toMatchObject({ userIds: [], until: 30_000, more: false });
    expect((await answer(carol.client, 0)).userIds).toEqual([bob.user.userId]);
    expect((await answer(dave.client, 0)).userIds).toEqual([]);
    expect((await answer(bob.client, 0)).userIds).toEqual([]);

    const anonymous = await connectForTest(url);
    expect(await anonymous.request({ t: 'keysChanged', since: 0 })).toMatchObject({
      t: 'err',
      code: 'unauthenticated',
    });
  });

  it('pages a long list without losing partners who changed keys in the same millisecond', async () => {
    const { url, storage } = await relayForTest({ now: () => 50_000 });
    const alice = await signUpForTest(url, 'alice');
    const expected: string[] = [];
    // 99 partners changed at 1..99 ms, three more together at 100 ms: the first page (100) cuts
    // inside that millisecond.
    for (let i = 1; i <= KEYS_CHANGED_MAX_USERS + 2; i++) {
      const identity = await createIdentity();
      const created = await storage.createAccount(
        {
          username: `partner${i}`,
          displayName: `Partner ${i}`,
          identityKey: identity.identityKey,
          dhKey: identity.dhKey,
          dhKeySig: identity.dhKeySig,
        },
        1,
      );
      if (created.status !== 'created') throw new Error(created.status);
      const { userId } = created.account.user;
      const queued = await storage.enqueueEnvelope({
        senderId: userId,
        recipientId: alice.user.userId,
        msgId: randomUUID(),
        body: new Uint8Array(8),
        now: 1,
        maxQueueDepth: 1_000,
      });
      expect(queued.status).toBe('stored');
      const next = await createIdentity();
      const rekeyed = await storage.rekeyAccount({
        userId,
        previousIdentityKey: identity.identityKey,
        identityKey: next.identityKey,
        dhKey: next.dhKey,
        dhKeySig: next.dhKeySig,
        now: Math.min(i, KEYS_CHANGED_MAX_USERS),
      });
      expect(rekeyed.status).toBe('rekeyed');
      expected.push(userId);
    }

    const first = expectFrame(await alice.client.keysChanged(0), 'keysChangedList');
    expect(first.userIds).toHaveLength(KEYS_CHANGED_MAX_USERS);
    expect(first).toMatchObject({ more: true, until: KEYS_CHANGED_MAX_USERS - 1 });
    const second = expectFrame(await alice.client.keysChanged(first.until), 'keysChangedList');
    expect(second).toMatchObject({ more: false, until: 50_000 });
    expect(second.userIds).toHaveLength(3);
    expect(new Set([...first.userIds, ...second.userIds])).toEqual(new Set(expected));
  });
});

describe('relay send.toKey', () => {
  it('stores a send only when toKey is the recipient identity key; a stale one gets identity_changed', async () => {
    const { url, storage } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expectFrame(await bob.client.sync(), 'ok');

    const current = expectFrame(
      await alice.client.sendToKey(bob.user.userId, bob.identity.identityKey, sealFor(bob.user, 'for the old key')),
      'sent',
    );
    expect(current.seq).toBe(1);
    const [first] = await bob.client.waitForMessages(1);
    expectFrame(await bob.client.ack([first?.eid ?? 0]), 'ok');

    const next = await createIdentity();
    const rekeyed = expectFrame(await bob.client.rekey(bob.identity, next), 'session').user;

    // Alice still encrypts for the old key: refused, nothing stored, no seq used.
    const stale = randomUUID();
    const refused = await alice.client.sendToKey(
      bob.user.userId,
      bob.identity.identityKey,
      sealFor(bob.user, 'x'),
      stale,
    );
    expect(refused).toMatchObject({ t: 'err', code: 'identity_changed' });
    const bobAccount = await storage.findAccountByIdentityKey(next.identityKey);
    expect(await storage.queueDepth(bobAccount?.deviceId ?? '')).toBe(0);

    // She re-fetches bob and re-encrypts; the same msgId is not a duplicate (it was never stored).
    const again = expectFrame(
      await alice.client.sendToKey(bob.user.userId, rekeyed.identityKey, sealFor(rekeyed, 'for the new key'), stale),
      'sent',
    );
    expect(again).toMatchObject({ seq: 2, duplicate: false });
    // A send without toKey is not checked (clients that do not know the recipient's key yet).
    expectFrame(await alice.client.send(bob.user.userId, sealFor(rekeyed, 'unchecked')), 'sent');

    const messages = await bob.client.waitForMessages(3);
    expect(messages.slice(1).map((m) => text(openSealed(next, m.body)))).toEqual(['for the new key', 'unchecked']);
    expect(messages.map((m) => m.msgId)).toEqual([current.msgId, stale, messages[2]?.msgId]);
  });

  it('answers out_of_order for a pipelined send whose `after` was refused with identity_changed', async () => {
    const { url, storage } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const next = await createIdentity();
    const rekeyed = expectFrame(await bob.client.rekey(bob.identity, next), 'session').user;

    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    const stale = bob.identity.identityKey;
    const answers = await Promise.all([
      alice.client.sendToKey(bob.user.userId, stale, sealFor(bob.user, 'first'), first),
      alice.client.sendToKey(bob.user.userId, stale, sealFor(bob.user, 'second'), second, first),
      // Even encrypted for the right key, it must wait for the refused one before it.
      alice.client.sendToKey(bob.user.userId, rekeyed.identityKey, sealFor(rekeyed, 'third'), third, second),
    ]);
    expect(answers.map(codeOf)).toEqual(['identity_changed', 'out_of_order', 'out_of_order']);
    const bobAccount = await storage.findAccountByIdentityKey(next.identityKey);
    expect(await storage.queueDepth(bobAccount?.deviceId ?? '')).toBe(0);

    // Retried in order for the new key, all three are stored with consecutive seqs.
    const retried = await Promise.all([
      alice.client.sendToKey(bob.user.userId, rekeyed.identityKey, sealFor(rekeyed, 'first'), first),
      alice.client.sendToKey(bob.user.userId, rekeyed.identityKey, sealFor(rekeyed, 'second'), second, first),
      alice.client.sendToKey(bob.user.userId, rekeyed.identityKey, sealFor(rekeyed, 'third'), third, second),
    ]);
    expect(retried.map((answer) => expectFrame(answer, 'sent').seq)).toEqual([1, 2, 3]);
    expectFrame(await bob.client.sync(), 'ok');
    const delivered = await bob.client.waitForMessages(3);
    expect(delivered.map((m) => text(openSealed(next, m.body)))).toEqual(['first', 'second', 'third']);
  });

  it('refuses a toKey that is not 32 bytes as a bad frame', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const answer = await alice.client.request({
      t: 'send',
      to: bob.user.userId,
      msgId: randomUUID(),
      body: new Uint8Array(8),
      toKey: new Uint8Array(31),
    });
    expect(answer).toMatchObject({ t: 'err', code: 'bad_frame' });
  });
});
