/**
 * Frozen Sender Keys vectors: fixed "random" bytes in, exact bytes out. If one of these fails,
 * the wire format, the state format or the key schedule changed — which breaks every group
 * message in flight and every stored chain. If that is intended, bump the version and
 * regenerate the constants (and say so in the change).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../e2ee/bytes';
import type { Rng } from '../e2ee/rng';
import { e2eeReady, sodium } from '../e2ee/sodium';
import {
  createSenderKey,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistribution,
  rotateSenderKey,
  senderKeyDistribution,
} from './senderKey';
import { serializeReceiverKeyState, serializeSenderKeyState } from './state';
import { GROUP, hex, T0, text } from './testSupport';

beforeAll(e2eeReady);

/** Call i (from `first`) returns `length` bytes all equal to `first + i`. */
function scriptedRng(first: number): Rng {
  let next = first;
  return (length) => new Uint8Array(length).fill(next++);
}

function run() {
  const rng = scriptedRng(0x20);
  const alice = createSenderKey({ groupId: GROUP, senderId: 'u_alice', rng });
  const distribution = senderKeyDistribution(alice);
  const m0 = groupEncrypt(alice, utf8('Hello, group!'), undefined, rng);
  const m1 = groupEncrypt(m0.state, utf8('Second'), utf8('msg-2'), rng);
  const rotated = rotateSenderKey(m1.state, rng);
  const m2 = groupEncrypt(rotated, utf8('After rotation'), undefined, rng);
  const bob = processSenderKeyDistribution(null, distribution, { groupId: GROUP, senderId: 'u_alice' });
  const r1 = groupDecrypt(bob, m1.message, T0, utf8('msg-2')); // out of order: m0's key is skipped
  const r0 = groupDecrypt(r1.state, m0.message, T0);
  const sha256 = (bytes: Uint8Array) => hex(sodium.crypto_hash_sha256(bytes));
  return {
    distribution: hex(distribution),
    first: hex(m0.message),
    second: hex(m1.message),
    rotatedSha256: sha256(m2.message),
    senderStateSha256: sha256(serializeSenderKeyState(m1.state)),
    receiverStateSha256: sha256(serializeReceiverKeyState(r1.state)),
    plaintexts: [r0.plaintext, r1.plaintext].map(text),
  };
}

// Generated once from run() above; see the header before changing any of them.
const FROZEN = {
  distribution:
    'de0008a17601a3616c67a4736b6431a167b8675f41414141414141414141414141414141414141414141a173a7755f616c696365a367656e' +
    '00a16e00a2636bc4202020202020202020202020202020202020202020202020202020202020202020a373706bc420884b8857f4eaa1613c' +
    '61504db34d4beaf346517a0e31de3cddd4d9b4201d9d0b',
  first:
    'de0007a17601a3616c67a3736b31a367656e00a16e00a56e6f6e6365c418222222222222222222222222222222222222222222222222a263' +
    '74c41dfe95b3e3f395ca519ae05d92ab2bce357fafcea519ec727c32faa8bd92a3736967c4409ac07dd64918b4d5d8a6839a9ee92a246d9c' +
    '5aea482e3871f911f187722652445885674c4e3877086e56b0cfefbdb7d50f71ece126dbb18149c3d99adb07d904',
  second:
    'de0007a17601a3616c67a3736b31a367656e00a16e01a56e6f6e6365c418232323232323232323232323232323232323232323232323a263' +
    '74c416dac017009319fff3eae1908453dc0863093f83c555eaa3736967c44053fff1c3f8faff02ce1b13cfc2b63259279cbba6e71db6ff40' +
    '7253abb4f95a5f4616c4f1f24f9ac07152ea5c861685a0e3e7aa81618e52c10e871de370e6310e',
  rotatedSha256: '8fd0b3cf77cdba750ce3afe59585889cd852d8ad2098ed5c427f31674e2c4f8b',
  senderStateSha256: '3d9ec7242ee9593ec1135ae1085832157cd4d41984781797961faab9e96deaa3',
  receiverStateSha256: '1363d735499f9eb22a6130702be6a5f8f4a31430f521fe93a1c4cc6dc8d820e4',
};

describe('frozen Sender Keys vectors', () => {
  it('the distribution message', () => {
    expect(run().distribution).toBe(FROZEN.distribution);
  });

  it('group messages, in and out of order, with caller AD', () => {
    const r = run();
    expect(r.plaintexts).toEqual(['Hello, group!', 'Second']);
    expect(r.first).toBe(FROZEN.first);
    expect(r.second).toBe(FROZEN.second);
    expect(r.rotatedSha256).toBe(FROZEN.rotatedSha256);
  });

  it('the serialized states', () => {
    const r = run();
    expect(r.senderStateSha256).toBe(FROZEN.senderStateSha256);
    expect(r.receiverStateSha256).toBe(FROZEN.receiverStateSha256);
  });
});
