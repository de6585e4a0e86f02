import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, LIMITS, PROTOCOL_VERSION, userIdSchema } from '../../shared/protocol';
import { connectForTest, relayForTest, signInForTest, signUpForTest } from './testSupport';
import { createIdentity, expectFrame, signChallenge } from './testing/client';

describe('relay sign-up and sign-in', () => {
  it('greets each connection with a fresh challenge and the limits it enforces', async () => {
    const { url } = await relayForTest({ limits: { rateBurst: 7 } });
    const [first, second] = [await connectForTest(url), await connectForTest(url)];
    expect(first.hello.v).toBe(PROTOCOL_VERSION);
    expect(first.hello.challenge.byteLength).toBe(32);
    expect(Buffer.from(first.hello.challenge)).not.toEqual(Buffer.from(second.hello.challenge));
    expect(first.hello.limits).toEqual({
      maxFrameBytes: LIMITS.maxFrameBytes,
      maxBodyBytes: LIMITS.maxBodyBytes,
      ratePerSecond: LIMITS.ratePerSecond,
      rateBurst: 7,
      heartbeatMs: LIMITS.heartbeatMs,
    });
  });

  it('registers an account with a valid challenge signature and logs it in on a new connection', async () => {
    const { url } = await relayForTest();
    const identity = await createIdentity();
    const client = await connectForTest(url);
    const session = expectFrame(
      await client.register(identity, { username: 'alice', displayName: ' Alice ' }),
      'session',
    );
    expect(userIdSchema.safeParse(session.user.userId).success).toBe(true);
    expect(session.user).toMatchObject({ username: 'alice', displayName: 'Alice' });
    expect(Buffer.from(session.user.dhKey)).toEqual(Buffer.from(identity.dhKey));
    await client.close();

    const { user } = await signInForTest(url, identity);
    expect(user.userId).toBe(session.user.userId);
  });

  it('rejects a signature over another challenge (no replay across connections)', async () => {
    const { url } = await relayForTest();
    const identity = await createIdentity();
    const [first, second] = [await connectForTest(url), await connectForTest(url)];
    const replayed = signChallenge(identity, first.hello.challenge);
    const answer = expectFrame(await second.register(identity, { username: 'alice' }, { sig: replayed }), 'err');
    expect(answer.code).toBe('auth_failed');
    expect(second.isOpen).toBe(true);
    expectFrame(await second.ping(), 'ok');
  });

  it('rejects a DH key not signed by the identity key', async () => {
    const { url } = await relayForTest();
    const [identity, other] = [await createIdentity(), await createIdentity()];
    const client = await connectForTest(url);
    const answer = await client.register({ ...identity, dhKeySig: other.dhKeySig }, { username: 'alice' });
    expect(answer).toMatchObject({ t: 'err', code: 'bad_signature' });
  });

  it('rejects a taken username and an identity key that already has an account', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const client = await connectForTest(url);
    expect(await client.register(await createIdentity(), { username: 'alice' })).toMatchObject({
      t: 'err',
      code: 'username_taken',
    });
    expect(await client.register(alice.identity, { username: 'alice2' })).toMatchObject({
      t: 'err',
      code: 'identity_exists',
    });
    // Neither attempt signed the connection in.
    expect(await client.search('a')).toMatchObject({ t: 'err', code: 'unauthenticated' });
  });

  it('answers a wrong protocol version with unsupported_version and closes', async () => {
    const { url } = await relayForTest();
    const client = await connectForTest(url);
    const answer = await client.register(await createIdentity(), { username: 'alice' }, { version: 99 });
    expect(answer).toMatchObject({ t: 'err', code: 'unsupported_version' });
    expect((await client.closed).code).toBe(CLOSE_CODES.unsupportedVersion);
  });

  it('rejects login with an unknown key or a key the signer does not hold', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const client = await connectForTest(url);
    expect(await client.login(await createIdentity())).toMatchObject({ t: 'err', code: 'auth_failed' });
    const impostor = await createIdentity();
    const forged = await client.request({
      t: 'login',
      v: PROTOCOL_VERSION,
      identityKey: alice.identity.identityKey,
      sig: signChallenge(impostor, client.hello.challenge),
    });
    expect(forged).toMatchObject({ t: 'err', code: 'auth_failed' });
    expect(await client.login(alice.identity)).toMatchObject({ t: 'session' });
    expect(await client.login(alice.identity)).toMatchObject({ t: 'err', code: 'already_authenticated' });
  });

  it('answers every request but register, login and ping with unauthenticated, and stays open', async () => {
    const { url } = await relayForTest();
    const client = await connectForTest(url);
    const to = 'u_AAAAAAAAAAAAAAAAAAAAAA';
    const answers = [
      await client.lookup({ username: 'alice' }),
      await client.search('al'),
      await client.updateProfile('Alice'),
      await client.send(to, new Uint8Array(8)),
      await client.sync(),
      await client.ack([1]),
    ];
    expect(answers.map((answer) => (answer.t === 'err' ? answer.code : answer.t))).toEqual(
      Array(6).fill('unauthenticated'),
    );
    expectFrame(await client.ping(), 'ok');
  });

  it('updates the display name and others see it', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const session = expectFrame(await alice.client.updateProfile('Alice Liddell'), 'session');
    expect(session.user).toMatchObject({ userId: alice.user.userId, displayName: 'Alice Liddell' });
    const seen = expectFrame(await bob.client.lookup({ userId: alice.user.userId }), 'user');
    expect(seen.user.displayName).toBe('Alice Liddell');
    expect(await alice.client.updateProfile('   ')).toMatchObject({ t: 'err', code: 'bad_frame' });
  });

  it('lets the newest connection of a device win and closes the older one', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');
    const second = await signInForTest(url, alice.identity);

    expect((await alice.client.closed).code).toBe(CLOSE_CODES.sessionReplaced);
    expectFrame(await second.client.sync(), 'ok');
    expectFrame(await bob.client.send(alice.user.userId, new Uint8Array([1, 2, 3])), 'sent');
    const [message] = await second.client.waitForMessages(1);
    expect(message?.from).toBe(bob.user.userId);
  });
});
