import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { describe, expect, it, onTestFinished } from 'vitest';
import { LIMITS, type OneTimePreKeyWire } from '../../shared/protocol';
import { signedPreKeyMessage } from './auth/signatures';
import { PAIR_INTERVAL_MS } from './limits/preKeyBudget';
import { USED_PREKEY_RETENTION_MS } from './relay';
import { openSqliteStorage } from './storage/sqlite';
import { connectForTest, relayForTest, signUpForTest, tempDirForTest } from './testSupport';
import {
  createIdentity,
  createOneTimePreKeys,
  createSignedPreKey,
  expectFrame,
  type RelayTestClient,
} from './testing/client';

/** These tests are about the stock itself: the per-requester budget is lifted (tested below). */
const NO_BUDGET = { preKeyBudget: { pairIntervalMs: 0, perTargetPerHour: Number.POSITIVE_INFINITY } };
const wires = (keys: readonly { wire: OneTimePreKeyWire }[]) => keys.map((key) => key.wire);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const codeOf = (frame: { t: string; code?: string }) => (frame.t === 'err' ? frame.code : frame.t);
/** The relay's view of this account, through an empty upload. */
const stateOf = async (client: RelayTestClient) => {
  const { signedPreKeyId, oneTimeCount } = expectFrame(await client.uploadPreKeys(), 'prekeyState');
  return { signedPreKeyId, oneTimeCount };
};
/** Cheap one-time prekeys (random bytes are as good as keys to the relay). */
const randomOneTime = (firstId: number, count: number): OneTimePreKeyWire[] =>
  Array.from({ length: count }, (_, i) => ({ id: firstId + i, publicKey: new Uint8Array(randomBytes(32)) }));

describe('relay prekeys', () => {
  it('publishes prekeys and hands each one-time prekey out once, then the signed prekey alone', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: 0 });

    const signed = createSignedPreKey(alice.identity, 1);
    const oneTime = createOneTimePreKeys(100, 3);
    const state = expectFrame(
      await alice.client.uploadPreKeys({ signedPreKey: signed.wire, oneTimePreKeys: wires(oneTime) }),
      'prekeyState',
    );
    expect(state).toMatchObject({ signedPreKeyId: 1, oneTimeCount: 3 });

    const fetched = [];
    for (let i = 0; i < 4; i++) fetched.push(expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle'));
    const first = fetched[0]?.bundle;
    if (!first) throw new Error('no bundle');
    expect(fetched[0]?.userId).toBe(alice.user.userId);
    expect(hex(first.identity.identityKey)).toBe(hex(alice.identity.identityKey));
    expect(hex(first.identity.dhKey)).toBe(hex(alice.identity.dhKey));
    expect(hex(first.identity.dhKeySig)).toBe(hex(alice.identity.dhKeySig));
    expect(first.signedPreKey).toEqual(signed.wire);
    // The initiator can check the signed prekey against the identity key it got.
    expect(
      sodium.crypto_sign_verify_detached(
        first.signedPreKey.signature,
        signedPreKeyMessage(first.signedPreKey),
        first.identity.identityKey,
      ),
    ).toBe(true);

    const handedOut = fetched.map((answer) => answer.bundle.oneTimePreKey);
    expect(handedOut.slice(0, 3).map((key) => key?.id)).toEqual([100, 101, 102]);
    expect(handedOut.slice(0, 3).map((key) => hex(key?.publicKey ?? new Uint8Array()))).toEqual(
      oneTime.map((key) => hex(key.wire.publicKey)),
    );
    expect(handedOut[3]).toBeNull();
    expect(fetched[3]?.bundle.signedPreKey).toEqual(signed.wire);
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: 1, oneTimeCount: 0 });
  });

  it('gives one requester one one-time prekey of a user per interval; others still get theirs', async () => {
    let now = 1_000_000;
    const { url } = await relayForTest({ now: () => now });
    const alice = await signUpForTest(url, 'alice');
    const mallory = await signUpForTest(url, 'mallory');
    const bob = await signUpForTest(url, 'bob');
    const signed = createSignedPreKey(alice.identity, 1);
    await alice.client.uploadPreKeys({ signedPreKey: signed.wire, oneTimePreKeys: randomOneTime(1, 10) });

    // Mallory asks again and again: one one-time prekey, then the signed prekey alone.
    const taken = [];
    for (let i = 0; i < 5; i++) {
      taken.push(expectFrame(await mallory.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey);
    }
    expect(taken.filter((key) => key !== null)).toHaveLength(1);
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: 1, oneTimeCount: 9 });
    // Bob, starting his own session, is not affected.
    expect(expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey).not.toBeNull();
    // After the interval Mallory may have one more.
    now += PAIR_INTERVAL_MS;
    expect(
      expectFrame(await mallory.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey,
    ).not.toBeNull();
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: 1, oneTimeCount: 7 });
  });

  it('never hands the same one-time prekey to concurrent requests from several connections', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const stock = 60;
    expectFrame(
      await alice.client.uploadPreKeys({
        signedPreKey: createSignedPreKey(alice.identity, 1).wire,
        oneTimePreKeys: randomOneTime(1, stock),
      }),
      'prekeyState',
    );
    const fetchers = await Promise.all(['bob', 'carol', 'dave', 'erin'].map((name) => signUpForTest(url, name)));
    const perConnection = 20; // 80 requests for 60 keys
    const answers = await Promise.all(
      fetchers.flatMap(({ client }) =>
        Array.from({ length: perConnection }, () => client.fetchBundle(alice.user.userId)),
      ),
    );
    const ids = answers.map((answer) => expectFrame(answer, 'bundle').bundle.oneTimePreKey?.id ?? null);
    const handedOut = ids.filter((id): id is number => id !== null);
    expect(handedOut).toHaveLength(stock);
    expect(new Set(handedOut).size).toBe(stock);
    expect(ids.filter((id) => id === null)).toHaveLength(fetchers.length * perConnection - stock);
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: 1, oneTimeCount: 0 });
  });

  it('never hands the same one-time prekey out twice from two relay nodes sharing one database', async () => {
    const file = join(tempDirForTest(), 'relay.sqlite');
    const [storageA, storageB] = [openSqliteStorage(file), openSqliteStorage(file)];
    onTestFinished(() => storageB.close());
    onTestFinished(() => storageA.close());
    const [nodeA, nodeB] = [
      await relayForTest({ ...NO_BUDGET, storage: storageA }),
      await relayForTest({ ...NO_BUDGET, storage: storageB }),
    ];
    const alice = await signUpForTest(nodeA.url, 'alice');
    const stock = 40;
    expectFrame(
      await alice.client.uploadPreKeys({
        signedPreKey: createSignedPreKey(alice.identity, 1).wire,
        oneTimePreKeys: randomOneTime(1, stock),
      }),
      'prekeyState',
    );
    const fetchers = [await signUpForTest(nodeA.url, 'bob'), await signUpForTest(nodeB.url, 'carol')];
    const answers = await Promise.all(
      fetchers.flatMap(({ client }) => Array.from({ length: 30 }, () => client.fetchBundle(alice.user.userId))),
    );
    const handedOut = answers
      .map((answer) => expectFrame(answer, 'bundle').bundle.oneTimePreKey?.id)
      .filter((id): id is number => id !== undefined);
    expect(handedOut).toHaveLength(stock);
    expect(new Set(handedOut).size).toBe(stock);
  });

  it('answers no_prekeys before the first upload and not_found for an unknown user', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expect(await bob.client.fetchBundle(alice.user.userId)).toMatchObject({ t: 'err', code: 'no_prekeys' });
    // One-time prekeys alone are not a bundle: X3DH needs the signed prekey.
    expectFrame(await alice.client.uploadPreKeys({ oneTimePreKeys: randomOneTime(1, 2) }), 'prekeyState');
    expect(await bob.client.fetchBundle(alice.user.userId)).toMatchObject({ t: 'err', code: 'no_prekeys' });
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: 2 });
    expect(await bob.client.fetchBundle('u_AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ t: 'err', code: 'not_found' });
  });

  it('refuses prekeys, bundle and rekey before sign-in', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const client = await connectForTest(url);
    const answers = [
      await client.uploadPreKeys({ signedPreKey: createSignedPreKey(alice.identity, 1).wire }),
      await client.uploadPreKeys(),
      await client.fetchBundle(alice.user.userId),
      await client.rekey(alice.identity, await createIdentity()),
    ];
    expect(answers.map(codeOf)).toEqual(Array(4).fill('unauthenticated'));
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: 0 });
  });

  it('refuses a signed prekey not signed by the identity key, or altered after signing, storing nothing', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const mallory = await createIdentity();
    const genuine = createSignedPreKey(alice.identity, 5, 1_700_000_000_000).wire;
    const forgeries = [
      createSignedPreKey(mallory, 5, 1_700_000_000_000).wire, // signed by another key
      { ...genuine, id: 6 },
      { ...genuine, createdAt: genuine.createdAt + 1 },
      { ...genuine, publicKey: createSignedPreKey(alice.identity, 5).wire.publicKey },
      { ...genuine, signature: new Uint8Array(64) },
    ];
    for (const signedPreKey of forgeries) {
      const answer = await alice.client.uploadPreKeys({ signedPreKey, oneTimePreKeys: randomOneTime(1, 3) });
      expect(answer).toMatchObject({ t: 'err', code: 'bad_signature' });
    }
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: 0 });
    expectFrame(await alice.client.uploadPreKeys({ signedPreKey: genuine }), 'prekeyState');
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: 5, oneTimeCount: 0 });
  });

  it('replaces the signed prekey with a newer upload', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    expectFrame(
      await alice.client.uploadPreKeys({ signedPreKey: createSignedPreKey(alice.identity, 1).wire }),
      'prekeyState',
    );
    const next = createSignedPreKey(alice.identity, 2);
    expect(await alice.client.uploadPreKeys({ signedPreKey: next.wire })).toMatchObject({ signedPreKeyId: 2 });
    expect(expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle').bundle.signedPreKey).toEqual(
      next.wire,
    );
  });

  it('ignores ids already in stock or handed out, repeated ids of one upload among them', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const original = randomOneTime(1, 3);
    expectFrame(
      await alice.client.uploadPreKeys({
        signedPreKey: createSignedPreKey(alice.identity, 1).wire,
        oneTimePreKeys: original,
      }),
      'prekeyState',
    );
    // 2 and 3 are in stock (with other keys now): ignored; 4 twice counts once.
    const again = [...randomOneTime(2, 3), ...randomOneTime(4, 1)];
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: again })).toMatchObject({ oneTimeCount: 4 });
    const taken = expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey;
    expect(taken).toEqual(original[0]);
    // A retried upload (its answer lost) must not put the key that was handed out back.
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: original })).toMatchObject({ oneTimeCount: 3 });
    const next = expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey;
    expect(next).toEqual(original[1]); // id 2 as first uploaded, not as re-uploaded
  });

  it('remembers a handed-out id for months, then forgets it (the list of used ids does not grow forever)', async () => {
    const storage = openSqliteStorage(join(tempDirForTest(), 'relay.sqlite'));
    onTestFinished(() => storage.close());
    const { url } = await relayForTest({ ...NO_BUDGET, storage });
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const keys = randomOneTime(1, 2);
    await alice.client.uploadPreKeys({
      signedPreKey: createSignedPreKey(alice.identity, 1).wire,
      oneTimePreKeys: keys,
    });
    expect(expectFrame(await bob.client.fetchBundle(alice.user.userId), 'bundle').bundle.oneTimePreKey?.id).toBe(1);
    // Within the retention a retried upload cannot re-stock id 1.
    expect(await storage.pruneUsedOneTimePreKeys(Date.now() - USED_PREKEY_RETENTION_MS)).toBe(0);
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: keys })).toMatchObject({ oneTimeCount: 1 });
    // Once the retention has passed, the id is forgotten.
    expect(await storage.pruneUsedOneTimePreKeys(Date.now() + 1)).toBe(1);
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: keys })).toMatchObject({ oneTimeCount: 2 });
  });

  it('refuses an upload that would take the stock above maxOneTimePreKeys, storing nothing', async () => {
    const { url } = await relayForTest(NO_BUDGET);
    const alice = await signUpForTest(url, 'alice');
    const perUpload = LIMITS.maxOneTimePreKeysPerUpload;
    let nextId = 1;
    while (nextId <= LIMITS.maxOneTimePreKeys) {
      const count = Math.min(perUpload, LIMITS.maxOneTimePreKeys - nextId + 1);
      expectFrame(await alice.client.uploadPreKeys({ oneTimePreKeys: randomOneTime(nextId, count) }), 'prekeyState');
      nextId += count;
    }
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: LIMITS.maxOneTimePreKeys });

    const over = await alice.client.uploadPreKeys({
      signedPreKey: createSignedPreKey(alice.identity, 9).wire,
      oneTimePreKeys: randomOneTime(nextId, 1),
    });
    expect(over).toMatchObject({ t: 'err', code: 'prekey_limit' });
    expect(await stateOf(alice.client)).toEqual({ signedPreKeyId: null, oneTimeCount: LIMITS.maxOneTimePreKeys });
    // Known ids add nothing, so they fit; and more than one upload's worth is a bad frame.
    expectFrame(await alice.client.uploadPreKeys({ oneTimePreKeys: randomOneTime(1, 5) }), 'prekeyState');
    expect(
      await alice.client.request({ t: 'prekeys', oneTimePreKeys: randomOneTime(5_000, perUpload + 1) }),
    ).toMatchObject({ t: 'err', code: 'bad_frame' });
  });

  it('applies a lowered per-relay stock limit', async () => {
    const { url } = await relayForTest({ limits: { maxOneTimePreKeys: 4 } });
    const alice = await signUpForTest(url, 'alice');
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: randomOneTime(1, 5) })).toMatchObject({
      t: 'err',
      code: 'prekey_limit',
    });
    expect(await alice.client.uploadPreKeys({ oneTimePreKeys: randomOneTime(1, 4) })).toMatchObject({
      oneTimeCount: 4,
    });
  });
});
