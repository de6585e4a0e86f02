import { beforeAll, describe, expect, it, vi } from 'vitest';
import { utf8 } from './bytes';
import { isE2eeError, type E2eeErrorCode } from './errors';
import { generateIdentityKeyPair, publicIdentity } from './keys';
import { generateSignedPreKey, signedPreKeyPublic } from './prekeys';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { acceptSession, initiateSession, startsNewSession } from './session';
import { sodium, e2eeReady } from './sodium';
import { deserializeSessionState, serializeSessionState } from './state';
import { bundleOf, makeDevice, seededRng, snapshot, T0 } from './testSupport';
import { ALG_PREKEY_MESSAGE, parseEnvelope } from './wire';

beforeAll(e2eeReady);

function expectCode(fn: () => unknown, code: E2eeErrorCode) {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isE2eeError(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('session set-up and conversation', () => {
  it('starts a session with X3DH and talks both ways', () => {
    const rng = seededRng('session-basic');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const started = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
    expect(started.remoteIdentity.identityKey).toEqual(bob.identity.identityPublicKey);

    const a1 = ratchetEncrypt(started.state, utf8('hello bob'), undefined, rng);
    expect(parseEnvelope(a1.message).alg).toBe(ALG_PREKEY_MESSAGE);
    expect(startsNewSession(null, a1.message)).toBe(true);

    const accepted = acceptSession({ identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng });
    expect(text(accepted.plaintext)).toBe('hello bob');
    expect(accepted.remoteIdentity.identityKey).toEqual(alice.identity.identityPublicKey);
    expect(accepted.usedOneTimePreKeyId).toBe(100);
    expect(bob.consumed).toEqual([100]);

    const b1 = ratchetEncrypt(accepted.state, utf8('hi alice'), undefined, rng);
    expect(parseEnvelope(b1.message).alg).toBe('dr1');
    const a = ratchetDecrypt(a1.state, b1.message, T0, undefined, rng);
    expect(text(a.plaintext)).toBe('hi alice');
    // Bob answered, so Alice stops sending X3DH fields.
    expect(a.state.pendingPreKey).toBeNull();
    const a2 = ratchetEncrypt(a.state, utf8('how are you'), undefined, rng);
    expect(parseEnvelope(a2.message).alg).toBe('dr1');
    expect(text(ratchetDecrypt(b1.state, a2.message, T0, undefined, rng).plaintext)).toBe('how are you');
  });

  it('works without a one-time prekey (the relay ran out)', () => {
    const rng = seededRng('no-opk');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng, 0);
    const { state } = initiateSession({ identity: alice.identity, bundle: bundleOf(bob, null), rng });
    const a1 = ratchetEncrypt(state, utf8('x'), undefined, rng);
    expect(parseEnvelope(a1.message)).toMatchObject({ pk: { opk: null } });
    const accepted = acceptSession({ identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng });
    expect(text(accepted.plaintext)).toBe('x');
    expect(accepted.usedOneTimePreKeyId).toBeNull();
  });

  it('binds user ids: a mismatch on either side fails to decrypt', () => {
    const rng = seededRng('user-ids');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const { state } = initiateSession({
      identity: alice.identity,
      bundle: bundleOf(bob),
      localUserId: 'u_alice',
      remoteUserId: 'u_bob',
      rng,
    });
    const a1 = ratchetEncrypt(state, utf8('x'), undefined, rng);
    const accept = (localUserId?: string, remoteUserId?: string) =>
      acceptSession({
        identity: bob.identity,
        message: a1.message,
        preKeys: bob.preKeys,
        now: T0,
        localUserId,
        remoteUserId,
        rng,
      });
    expectCode(() => accept('u_bob', 'u_mallory'), 'decrypt_failed');
    expectCode(() => accept(undefined, undefined), 'decrypt_failed');
    expectCode(() => accept('u_alice', 'u_bob'), 'decrypt_failed'); // swapped roles
    expect(bob.consumed).toEqual([]); // failures consume nothing
    expect(text(accept('u_bob', 'u_alice').plaintext)).toBe('x');
  });

  it('binds caller associated data', () => {
    const rng = seededRng('caller-ad');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const { state } = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
    const a1 = ratchetEncrypt(state, utf8('x'), utf8('msg-id-1'), rng);
    const base = { identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng };
    expectCode(() => acceptSession({ ...base, ad: utf8('msg-id-2') }), 'decrypt_failed');
    expectCode(() => acceptSession(base), 'decrypt_failed');
    expect(text(acceptSession({ ...base, ad: utf8('msg-id-1') }).plaintext)).toBe('x');
  });

  it('routes a later session-starting message of the same session to ratchetDecrypt', () => {
    const rng = seededRng('route');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const { state } = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
    const a1 = ratchetEncrypt(state, utf8('one'), undefined, rng);
    const a2 = ratchetEncrypt(a1.state, utf8('two'), undefined, rng);
    // The second arrives first and starts the session; the first is then a late message of it.
    const accepted = acceptSession({ identity: bob.identity, message: a2.message, preKeys: bob.preKeys, now: T0, rng });
    expect(text(accepted.plaintext)).toBe('two');
    expect(startsNewSession(accepted.state, a1.message)).toBe(false);
    expect(text(ratchetDecrypt(accepted.state, a1.message, T0, undefined, rng).plaintext)).toBe('one');
    // A session-starting message of another session is refused by ratchetDecrypt.
    const other = initiateSession({ identity: alice.identity, bundle: bundleOf(bob, null), rng });
    const o1 = ratchetEncrypt(other.state, utf8('new'), undefined, rng);
    expect(startsNewSession(accepted.state, o1.message)).toBe(true);
    expectCode(() => ratchetDecrypt(accepted.state, o1.message, T0, undefined, rng), 'session_mismatch');
    // And the initiator never accepts session-starting messages on its own session.
    expectCode(() => ratchetDecrypt(a2.state, o1.message, T0, undefined, rng), 'session_mismatch');
  });

  it('round-trips state through bytes mid-conversation', () => {
    const rng = seededRng('persist');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    let a = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng }).state;
    const m1 = ratchetEncrypt(a, utf8('1'), undefined, rng);
    const m2 = ratchetEncrypt(m1.state, utf8('2'), undefined, rng);
    a = deserializeSessionState(serializeSessionState(m2.state));
    let b = acceptSession({ identity: bob.identity, message: m2.message, preKeys: bob.preKeys, now: T0, rng }).state;
    b = deserializeSessionState(serializeSessionState(b)); // holds the skipped key of m1
    expect(b.skippedKeys).toHaveLength(1);
    expect(snapshot(deserializeSessionState(serializeSessionState(b)))).toBe(snapshot(b));
    expect(text(ratchetDecrypt(b, m1.message, T0, undefined, rng).plaintext)).toBe('1');
    const reply = ratchetEncrypt(b, utf8('3'), undefined, rng);
    expect(text(ratchetDecrypt(a, reply.message, T0, undefined, rng).plaintext)).toBe('3');
  });
});

describe('prekey checks', () => {
  it('refuses a forged signed prekey before any DH', () => {
    const rng = seededRng('forged-spk');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const mallory = generateIdentityKeyPair(rng);
    // Mallory's key, signed by Mallory, presented as Bob's.
    const forged = { ...bundleOf(bob), signedPreKey: signedPreKeyPublic(generateSignedPreKey(mallory, 1, T0, rng)) };
    // A valid signature over a relabelled id or time does not verify either.
    const relabelled = { ...bundleOf(bob), signedPreKey: { ...bundleOf(bob).signedPreKey, id: 2 } };
    const backdated = { ...bundleOf(bob), signedPreKey: { ...bundleOf(bob).signedPreKey, createdAt: T0 + 1 } };
    const flippedSig = bundleOf(bob);
    flippedSig.signedPreKey.signature[0]! ^= 1;

    const scalarmult = vi.spyOn(sodium, 'crypto_scalarmult');
    try {
      for (const bundle of [forged, relabelled, backdated, flippedSig]) {
        expectCode(() => initiateSession({ identity: alice.identity, bundle, rng }), 'bad_signature');
      }
      expect(scalarmult).not.toHaveBeenCalled();
      // Control: the spy does see the DHs of a genuine bundle.
      initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
      expect(scalarmult).toHaveBeenCalled();
    } finally {
      scalarmult.mockRestore();
    }
  });

  it('refuses a forged identity binding and malformed bundles', () => {
    const rng = seededRng('forged-identity');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const mallory = generateIdentityKeyPair(rng);
    const swapped = { ...bundleOf(bob), identity: { ...publicIdentity(bob.identity), dhKey: mallory.dhPublicKey } };
    expectCode(() => initiateSession({ identity: alice.identity, bundle: swapped, rng }), 'bad_signature');
    const short = { ...bundleOf(bob), signedPreKey: { ...bundleOf(bob).signedPreKey, publicKey: new Uint8Array(31) } };
    expectCode(() => initiateSession({ identity: alice.identity, bundle: short, rng }), 'bad_format');
    expectCode(() => initiateSession({ identity: alice.identity, bundle: 'nope', rng }), 'bad_format');
  });

  it('refuses a used or unknown one-time prekey, and an unknown signed prekey', () => {
    const rng = seededRng('used-opk');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const { state } = initiateSession({ identity: alice.identity, bundle: bundleOf(bob, 101), rng });
    const a1 = ratchetEncrypt(state, utf8('x'), undefined, rng);
    acceptSession({ identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng });
    expect(bob.consumed).toEqual([101]);
    // Replaying the initial message: its one-time prekey is gone.
    expectCode(
      () => acceptSession({ identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng }),
      'unknown_prekey',
    );
    const noSpk = { ...bob.preKeys, signedPreKey: () => undefined };
    const s2 = initiateSession({ identity: alice.identity, bundle: bundleOf(bob, 102), rng }).state;
    const m2 = ratchetEncrypt(s2, utf8('y'), undefined, rng);
    expectCode(
      () => acceptSession({ identity: bob.identity, message: m2.message, preKeys: noSpk, now: T0, rng }),
      'unknown_prekey',
    );
    expect(bob.consumed).toEqual([101]);
  });

  it('refuses a normal message where a session-starting one is needed', () => {
    const rng = seededRng('not-initial');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const { state } = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
    const a1 = ratchetEncrypt(state, utf8('x'), undefined, rng);
    const accepted = acceptSession({ identity: bob.identity, message: a1.message, preKeys: bob.preKeys, now: T0, rng });
    const b1 = ratchetEncrypt(accepted.state, utf8('y'), undefined, rng);
    expectCode(
      () => acceptSession({ identity: alice.identity, message: b1.message, preKeys: alice.preKeys, now: T0, rng }),
      'session_mismatch',
    );
  });
});
