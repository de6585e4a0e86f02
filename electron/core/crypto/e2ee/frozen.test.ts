/**
 * Frozen protocol vectors: fixed keys and fixed "random" bytes in, exact bytes out. If one of
 * these fails, the wire format, the state format or the key schedule changed — which breaks
 * every existing session and every message in flight. If that is intended, bump the
 * envelope or state version and regenerate the constants (and say so in the change).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from './bytes';
import { identityKeyPairFromSeeds, publicIdentity } from './keys';
import { generateOneTimePreKeys, generateSignedPreKey, oneTimePreKeyPublic, signedPreKeyPublic } from './prekeys';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import type { Rng } from './rng';
import { computeSafetyNumber } from './safetyNumber';
import { acceptSession, initiateSession } from './session';
import { e2eeReady, sodium } from './sodium';
import { serializeSessionState } from './state';
import { hex } from './testSupport';

beforeAll(e2eeReady);

/** Call i (from `first`) returns `length` bytes all equal to `first + i`: transparent and reproducible anywhere. */
function scriptedRng(first: number): Rng {
  let next = first;
  return (length) => new Uint8Array(length).fill(next++);
}

const fill = (byte: number) => new Uint8Array(32).fill(byte);
const CREATED_AT = 1_700_000_000_000;

function run() {
  const alice = identityKeyPairFromSeeds(fill(0xa1), fill(0xa2));
  const bob = identityKeyPairFromSeeds(fill(0xb1), fill(0xb2));
  const spk = generateSignedPreKey(bob, 7, CREATED_AT, scriptedRng(0xb3));
  const [opk] = generateOneTimePreKeys(42, 1, scriptedRng(0xb4));
  const bundle = {
    identity: publicIdentity(bob),
    signedPreKey: signedPreKeyPublic(spk),
    oneTimePreKey: oneTimePreKeyPublic(opk!),
  };
  const rngA = scriptedRng(0x10);
  const rngB = scriptedRng(0x40);

  const started = initiateSession({
    identity: alice,
    bundle,
    localUserId: 'u_alice',
    remoteUserId: 'u_bob',
    rng: rngA,
  });
  const a1 = ratchetEncrypt(started.state, utf8('Hello, Bob!'), undefined, rngA);
  const accepted = acceptSession({
    identity: bob,
    message: a1.message,
    preKeys: {
      signedPreKey: (id) => (id === 7 ? spk.keyPair : undefined),
      oneTimePreKey: (id) => (id === 42 ? opk!.keyPair : undefined),
      consumeOneTimePreKey: () => {},
    },
    now: CREATED_AT,
    localUserId: 'u_bob',
    remoteUserId: 'u_alice',
    rng: rngB,
  });
  const b1 = ratchetEncrypt(accepted.state, utf8('Hello, Alice!'), undefined, rngB);
  const a = ratchetDecrypt(a1.state, b1.message, CREATED_AT, undefined, rngA);
  const a2 = ratchetEncrypt(a.state, utf8('Bye'), utf8('msg-3'), rngA);
  const sha256 = (bytes: Uint8Array) => hex(sodium.crypto_hash_sha256(bytes));
  return {
    initialMessage: hex(a1.message),
    bobReply: hex(b1.message),
    aliceSecond: hex(a2.message),
    aliceStateSha256: sha256(serializeSessionState(a2.state)),
    bobStateSha256: sha256(serializeSessionState(b1.state)),
    safetyNumber: computeSafetyNumber(
      { identityKey: alice.identityPublicKey, userId: 'u_alice' },
      { identityKey: bob.identityPublicKey, userId: 'u_bob' },
    ).display,
    plaintexts: [accepted.plaintext, a.plaintext].map((p) => new TextDecoder().decode(p)),
  };
}

// Generated once from run() above; see the header before changing any of them.
const FROZEN = {
  initialMessage:
    'de0006a17602a3616c67a57833646831a2706bde0006a2696bc420bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce1' +
    '2205a5a4696b4468c4203c5c6ce2dd99e10d2c3de05d773aa15e3e6d971ed4e41389c93b4bbdda177212a5696b536967c4406651f915696d' +
    'a5bc950470a0fc3bd8af190075013538a0e71c9d2d7f55361c9c811072205f7351e2bee91e5c45394a5ee5426649469155ce778a9008cc1b' +
    '080fa2656bc420781faab908430150daccdd6f9d6c5086e34f73a93ebbaa271765e5036edfc519a373706b07a36f706b2aa168de0003a264' +
    '68c4207b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13a2706e00a16e00a56e6f6e6365c418121212121212' +
    '121212121212121212121212121212121212a26374c41b7ec52bc26f474bfc2441c22f31074e2e41e469af28fc81a08f11cd',
  bobReply:
    'de0005a17602a3616c67a3647231a168de0003a26468c420d7b5e81d336e578b13b8d706e82d061e3038c96bce66cdcf50d566b96ddbba10' +
    'a2706e00a16e00a56e6f6e6365c418414141414141414141414141414141414141414141414141a26374c41d77420d05302ce9d80edd3523' +
    'c5782bc4f5ac4e521e5589eba2f021eeec',
  aliceSecond:
    'de0005a17602a3616c67a3647231a168de0003a26468c420197fc2c567dc03ee2aadf0ed86681dac24daa76e83ca555875dd3be7376e5306' +
    'a2706e01a16e00a56e6f6e6365c418141414141414141414141414141414141414141414141414a26374c413d3e3d7b9ac08a47beb521dc4' +
    '9516b9e3402095',
  aliceStateSha256: '0de75bbcc804035306eec63ab1f711cea9f58d43da8c5c2e5b527739cdcce834',
  bobStateSha256: '9585b4da41e6be096cd2882a72deff9df9afee8657788f8cc797dd993d707534',
  safetyNumber: '20864 86937 16612 16344 39880 50677 45580 30907 83092 90941 31800 90780',
};

describe('frozen protocol vectors', () => {
  const result = () => run();

  it('the X3DH session-starting message', () => {
    expect(result().initialMessage).toBe(FROZEN.initialMessage);
  });

  it('the first ratchet messages in both directions (with a DH step each) and caller AD', () => {
    const r = result();
    expect(r.plaintexts).toEqual(['Hello, Bob!', 'Hello, Alice!']);
    expect(r.bobReply).toBe(FROZEN.bobReply);
    expect(r.aliceSecond).toBe(FROZEN.aliceSecond);
  });

  it('the serialized session states', () => {
    const r = result();
    expect(r.aliceStateSha256).toBe(FROZEN.aliceStateSha256);
    expect(r.bobStateSha256).toBe(FROZEN.bobStateSha256);
  });

  it('the safety number', () => {
    expect(result().safetyNumber).toBe(FROZEN.safetyNumber);
  });
});
