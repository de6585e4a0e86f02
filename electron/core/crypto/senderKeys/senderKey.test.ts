import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../e2ee/bytes';
import { e2eeReady, sodium } from '../e2ee/sodium';
import {
  createSenderKey,
  groupDecrypt,
  groupEncrypt,
  groupMessageHeader,
  processSenderKeyDistribution,
  pruneReceiverKeyState,
  rotateSenderKey,
  senderKeyDistribution,
} from './senderKey';
import {
  deserializeReceiverKeyState,
  deserializeSenderKeyState,
  MAX_GROUP_SKIP,
  serializeReceiverKeyState,
  serializeSenderKeyState,
  SKIPPED_GROUP_KEY_TTL_MS,
} from './state';
import { errorCode, GROUP, senderAndReceiver, snapshotReceiver, snapshotSender, T0, text } from './testSupport';
import { encodeGroupMessage, groupMessageAssociatedData, parseGroupMessage, signedBytes } from './wire';

beforeAll(e2eeReady);

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const expected = { groupId: GROUP, senderId: 'u_alice' };

describe('encrypt and decrypt', () => {
  it('one ciphertext is read by every member holding the distribution', () => {
    const { sender, rng } = senderAndReceiver('fanout');
    const dist = senderKeyDistribution(sender);
    const receivers = [1, 2, 3].map(() => processSenderKeyDistribution(null, dist, expected));
    const out = groupEncrypt(sender, utf8('hello group'), undefined, rng);
    for (const r of receivers) expect(text(groupDecrypt(r, out.message, T0).plaintext)).toBe('hello group');
    expect(out.state.chain.n).toBe(1);
    expect(sender.chain.n).toBe(0); // input untouched
    expect(Object.isFrozen(out.state)).toBe(true);
  });

  it('binds the caller AD: a different AD is refused (by the signature, which covers it)', () => {
    const { sender, receiver, rng } = senderAndReceiver('ad');
    const out = groupEncrypt(sender, utf8('x'), utf8('msg-1'), rng);
    // The AD is inside the signed bytes, so a wrong AD is caught by the signature first.
    expect(errorCode(() => groupDecrypt(receiver, out.message, T0, utf8('msg-2')))).toBe('bad_signature');
    expect(text(groupDecrypt(receiver, out.message, T0, utf8('msg-1')).plaintext)).toBe('x');
  });

  it('binds group and sender: the same bytes do not verify as another sender or group', () => {
    const { sender, rng } = senderAndReceiver('binding');
    const dist = senderKeyDistribution(sender);
    const out = groupEncrypt(sender, utf8('x'), undefined, rng);
    // A receiver state that claims the same chain for someone else (e.g. a relay re-attributing it).
    const asBob = { ...processSenderKeyDistribution(null, dist, expected), senderId: 'u_bob' };
    const otherGroup = { ...processSenderKeyDistribution(null, dist, expected), groupId: 'g_other' };
    expect(errorCode(() => groupDecrypt(asBob, out.message, T0))).toBe('bad_signature');
    expect(errorCode(() => groupDecrypt(otherGroup, out.message, T0))).toBe('bad_signature');
  });

  it('a member forging a message under the shared chain key with its own signing key is refused', () => {
    const { sender, receiver, rng } = senderAndReceiver('forgery');
    // Mallory holds Alice's chain key (every member does) but not her signing key.
    const mallory = { ...sender, signingSecretKey: createSenderKey({ ...expected, rng }).signingSecretKey };
    const forged = groupEncrypt(mallory, utf8('send me your password'), undefined, rng);
    const before = snapshotReceiver(receiver);
    expect(errorCode(() => groupDecrypt(receiver, forged.message, T0))).toBe('bad_signature');
    expect(snapshotReceiver(receiver)).toBe(before);
  });

  it('a correctly signed message whose ciphertext was made under another key fails decrypt_failed', () => {
    const { sender, receiver, rng } = senderAndReceiver('wrongkey');
    const other = { ...sender, chain: { key: new Uint8Array(32).fill(7), n: 0 } };
    const out = groupEncrypt(other, utf8('x'), undefined, rng);
    expect(errorCode(() => groupDecrypt(receiver, out.message, T0))).toBe('decrypt_failed');
  });

  it('out-of-order delivery uses skipped keys once; replays are duplicates', () => {
    const { sender, receiver, rng } = senderAndReceiver('order');
    const m0 = groupEncrypt(sender, utf8('0'), undefined, rng);
    const m1 = groupEncrypt(m0.state, utf8('1'), undefined, rng);
    const m2 = groupEncrypt(m1.state, utf8('2'), undefined, rng);
    let r = groupDecrypt(receiver, m2.message, T0);
    expect(text(r.plaintext)).toBe('2');
    expect(r.state.skippedKeys.map((k) => k.n)).toEqual([0, 1]);
    r = groupDecrypt(r.state, m0.message, T0);
    expect(text(r.plaintext)).toBe('0');
    expect(errorCode(() => groupDecrypt(r.state, m0.message, T0))).toBe('duplicate');
    expect(errorCode(() => groupDecrypt(r.state, m2.message, T0))).toBe('duplicate');
    r = groupDecrypt(r.state, m1.message, T0);
    expect(r.state.skippedKeys).toHaveLength(0);
  });

  it('refuses a gap beyond MAX_GROUP_SKIP without deriving anything', () => {
    const { sender, receiver, rng } = senderAndReceiver('gap');
    const far = { ...sender, chain: { ...sender.chain } };
    let s = far;
    for (let i = 0; i <= MAX_GROUP_SKIP; i++) s = groupEncrypt(s, utf8('.'), undefined, rng).state;
    const tooFar = groupEncrypt(s, utf8('far'), undefined, rng);
    expect(groupMessageHeader(tooFar.message).n).toBe(MAX_GROUP_SKIP + 1);
    expect(errorCode(() => groupDecrypt(receiver, tooFar.message, T0))).toBe('too_many_skipped');
    // Exactly MAX_GROUP_SKIP is fine.
    let t = sender;
    for (let i = 0; i < MAX_GROUP_SKIP; i++) t = groupEncrypt(t, utf8('.'), undefined, rng).state;
    const edge = groupEncrypt(t, utf8('edge'), undefined, rng);
    expect(text(groupDecrypt(receiver, edge.message, T0).plaintext)).toBe('edge');
  });

  it('skipped keys expire after SKIPPED_GROUP_KEY_TTL_MS', () => {
    const { sender, receiver, rng } = senderAndReceiver('ttl');
    const m0 = groupEncrypt(sender, utf8('0'), undefined, rng);
    const m1 = groupEncrypt(m0.state, utf8('1'), undefined, rng);
    const r = groupDecrypt(receiver, m1.message, T0).state;
    const later = T0 + SKIPPED_GROUP_KEY_TTL_MS;
    expect(errorCode(() => groupDecrypt(r, m0.message, later))).toBe('duplicate');
    expect(pruneReceiverKeyState(r, later).skippedKeys).toHaveLength(0);
    expect(pruneReceiverKeyState(r, T0)).toBe(r);
    expect(text(groupDecrypt(r, m0.message, later - 1).plaintext)).toBe('0');
  });
});

describe('rotation and generations', () => {
  it('after a rotation, old-generation messages are stale and new ones need the new distribution', () => {
    const { sender, receiver, rng } = senderAndReceiver('rotation');
    const old = groupEncrypt(sender, utf8('old'), undefined, rng);
    const rotated = rotateSenderKey(old.state, rng);
    expect(rotated.generation).toBe(1);
    expect(rotated.chain.n).toBe(0);
    const fresh = groupEncrypt(rotated, utf8('new'), undefined, rng);
    const before = snapshotReceiver(receiver);
    expect(errorCode(() => groupDecrypt(receiver, fresh.message, T0))).toBe('unknown_generation');
    expect(snapshotReceiver(receiver)).toBe(before);
    const r1 = processSenderKeyDistribution(receiver, senderKeyDistribution(rotated), expected);
    expect(text(groupDecrypt(r1, fresh.message, T0).plaintext)).toBe('new');
    expect(errorCode(() => groupDecrypt(r1, old.message, T0))).toBe('stale_generation');
    // An old distribution cannot roll the receiver back.
    expect(errorCode(() => processSenderKeyDistribution(r1, senderKeyDistribution(sender), expected))).toBe(
      'stale_generation',
    );
  });

  it('a repeated distribution keeps the state; a different chain for the same generation is refused', () => {
    const { sender, receiver, rng } = senderAndReceiver('repeat');
    const out = groupEncrypt(sender, utf8('x'), undefined, rng);
    const r = groupDecrypt(receiver, out.message, T0).state;
    expect(processSenderKeyDistribution(r, senderKeyDistribution(sender), expected)).toBe(r);
    const impostor = createSenderKey({ ...expected, rng });
    expect(errorCode(() => processSenderKeyDistribution(r, senderKeyDistribution(impostor), expected))).toBe(
      'sender_mismatch',
    );
  });

  it('refuses a distribution naming another group or sender', () => {
    const { sender } = senderAndReceiver('mismatch');
    const dist = senderKeyDistribution(sender);
    expect(errorCode(() => processSenderKeyDistribution(null, dist, { ...expected, senderId: 'u_bob' }))).toBe(
      'sender_mismatch',
    );
    expect(errorCode(() => processSenderKeyDistribution(null, dist, { ...expected, groupId: 'g_x' }))).toBe(
      'sender_mismatch',
    );
  });

  it('a late joiner reads from the distributed number on, not before', () => {
    const { sender, rng } = senderAndReceiver('late');
    const early = groupEncrypt(sender, utf8('early'), undefined, rng);
    const joiner = processSenderKeyDistribution(null, senderKeyDistribution(early.state), expected);
    const late = groupEncrypt(early.state, utf8('late'), undefined, rng);
    expect(errorCode(() => groupDecrypt(joiner, early.message, T0))).toBe('duplicate');
    expect(text(groupDecrypt(joiner, late.message, T0).plaintext)).toBe('late');
  });

  it('refuses bad arguments as invalid_state', () => {
    const { sender, receiver } = senderAndReceiver('args');
    expect(errorCode(() => createSenderKey({ groupId: '', senderId: 'u' }))).toBe('invalid_state');
    expect(errorCode(() => createSenderKey({ groupId: 'g', senderId: 'u', generation: -1 }))).toBe('invalid_state');
    expect(errorCode(() => rotateSenderKey({ ...sender, generation: 0xffffffff }))).toBe('invalid_state');
    const m = groupEncrypt(sender, utf8('x')).message;
    expect(errorCode(() => groupDecrypt(receiver, m, -1))).toBe('invalid_state');
  });
});

describe('wire format', () => {
  it('a message is one strict, canonical map; any malformation is bad_format', () => {
    const { sender, receiver } = senderAndReceiver('wire');
    const out = groupEncrypt(sender, utf8('x'));
    const raw = packr.unpack(out.message) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['v', 'alg', 'gen', 'n', 'nonce', 'ct', 'sig']);
    expect(errorCode(() => parseGroupMessage(packr.pack({ ...raw, v: 2 })))).toBe('unsupported_version');
    expect(errorCode(() => parseGroupMessage(packr.pack({ ...raw, alg: 'sk2' })))).toBe('unsupported_version');
    for (const bad of [
      { ...raw, v: undefined },
      { ...raw, alg: 3 },
      { ...raw, extra: 1 },
      { ...raw, sig: new Uint8Array(63) },
      { ...raw, nonce: new Uint8Array(25) },
      { ...raw, ct: new Uint8Array(15) },
      { ...raw, n: -1 },
      { ...raw, gen: 2 ** 32 },
      [1, 2],
    ]) {
      expect(errorCode(() => groupDecrypt(receiver, packr.pack(bad), T0))).toBe('bad_format');
    }
    expect(errorCode(() => parseGroupMessage(utf8('not msgpack')))).toBe('bad_format');
    // Same values, different (non-canonical) key order.
    const { sig, ...rest } = raw;
    expect(errorCode(() => parseGroupMessage(packr.pack({ sig, ...rest })))).toBe('bad_format');
  });

  it('the signature covers every envelope field (through the AD) and the ciphertext', () => {
    const { sender, rng } = senderAndReceiver('sigscope');
    const out = groupEncrypt(sender, utf8('x'), undefined, rng);
    const m = parseGroupMessage(out.message);
    const ad = groupMessageAssociatedData(GROUP, 'u_alice', m.gen, m.n, new Uint8Array(0));
    expect(sodium.crypto_sign_verify_detached(m.sig, signedBytes(ad, m.nonce, m.ct), sender.signingPublicKey)).toBe(
      true,
    );
    expect(encodeGroupMessage(m)).toEqual(out.message);
  });

  it('a distribution with the wrong algorithm or shape is refused', () => {
    const { sender } = senderAndReceiver('distwire');
    const raw = packr.unpack(senderKeyDistribution(sender)) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['v', 'alg', 'g', 's', 'gen', 'n', 'ck', 'spk']);
    const apply = (value: unknown) => processSenderKeyDistribution(null, packr.pack(value), expected);
    expect(errorCode(() => apply({ ...raw, alg: 'sk1' }))).toBe('unsupported_version');
    expect(errorCode(() => apply({ ...raw, ck: new Uint8Array(31) }))).toBe('bad_format');
    expect(errorCode(() => apply({ ...raw, g: '' }))).toBe('bad_format');
    expect(errorCode(() => apply({ ...raw, s: 'x'.repeat(129) }))).toBe('bad_format');
  });
});

describe('state serialization', () => {
  it('round-trips sender and receiver states, skipped keys included', () => {
    const { sender, receiver, rng } = senderAndReceiver('serialize');
    const m0 = groupEncrypt(sender, utf8('0'), undefined, rng);
    const m1 = groupEncrypt(m0.state, utf8('1'), undefined, rng);
    const r = groupDecrypt(receiver, m1.message, T0).state;
    const restoredR = deserializeReceiverKeyState(serializeReceiverKeyState(r));
    expect(restoredR).toEqual(r);
    expect(Object.isFrozen(restoredR)).toBe(true);
    expect(text(groupDecrypt(restoredR, m0.message, T0).plaintext)).toBe('0');
    const restoredS = deserializeSenderKeyState(serializeSenderKeyState(m1.state));
    expect(restoredS).toEqual(m1.state);
    expect(snapshotSender(restoredS)).toBe(snapshotSender(m1.state));
  });

  it('refuses unknown versions, the wrong kind and malformed states', () => {
    const { sender, receiver } = senderAndReceiver('state-versions');
    const rawS = packr.unpack(serializeSenderKeyState(sender)) as Record<string, unknown>;
    const rawR = packr.unpack(serializeReceiverKeyState(receiver)) as Record<string, unknown>;
    expect(errorCode(() => deserializeSenderKeyState(packr.pack({ ...rawS, v: 2 })))).toBe('unsupported_version');
    expect(errorCode(() => deserializeSenderKeyState(serializeReceiverKeyState(receiver)))).toBe('bad_format');
    expect(errorCode(() => deserializeReceiverKeyState(serializeSenderKeyState(sender)))).toBe('bad_format');
    expect(errorCode(() => deserializeReceiverKeyState(packr.pack({ ...rawR, spk: new Uint8Array(31) })))).toBe(
      'bad_format',
    );
    expect(errorCode(() => deserializeSenderKeyState(packr.pack({ ...rawS, extra: 1 })))).toBe('bad_format');
    expect(errorCode(() => deserializeReceiverKeyState(utf8('nope')))).toBe('bad_format');
  });
});
