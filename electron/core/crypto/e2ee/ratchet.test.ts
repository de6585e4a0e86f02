import { beforeAll, describe, expect, it, vi } from 'vitest';
import { utf8 } from './bytes';
import { pruneSkippedKeys, ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { MAX_SKIP, MAX_SKIPPED_KEYS, SKIPPED_KEY_TTL_MS } from './skipped';
import { e2eeReady, sodium } from './sodium';
import type { SessionState } from './state';
import { errorCode, establishedPair, snapshot, T0 } from './testSupport';
import { encodeEnvelope, parseEnvelope } from './wire';

beforeAll(e2eeReady);

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Encrypts `count` messages in a row; returns the final state and the messages. */
function sendMany(state: SessionState, count: number, prefix: string) {
  const messages: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const out = ratchetEncrypt(state, utf8(`${prefix}${i}`));
    messages.push(out.message);
    state = out.state;
  }
  return { state, messages };
}

describe('ratchetEncrypt / ratchetDecrypt', () => {
  it('never mutate their input, and return frozen states', () => {
    const { a, b } = establishedPair('immutability');
    const before = { a: snapshot(a), b: snapshot(b) };
    const out = ratchetEncrypt(a, utf8('x'));
    const got = ratchetDecrypt(b, out.message, T0);
    expect(snapshot(a)).toBe(before.a);
    expect(snapshot(b)).toBe(before.b);
    expect(snapshot(out.state)).not.toBe(before.a);
    expect(Object.isFrozen(out.state)).toBe(true);
    expect(Object.isFrozen(got.state.skippedKeys)).toBe(true);
    // Encrypting twice from the same state gives the same message key (a caller who reuses
    // a replaced state reuses a key: the reason for the one-transaction rule) but fresh nonces.
    const again = ratchetEncrypt(a, utf8('x'));
    expect(parseEnvelope(again.message).h).toEqual(parseEnvelope(out.message).h);
    expect(parseEnvelope(again.message).nonce).not.toEqual(parseEnvelope(out.message).nonce);
  });

  it('decrypts out of order within a chain and across DH ratchet steps', () => {
    let { a, b } = establishedPair('out-of-order');
    const first = sendMany(a, 3, 'a'); // chain 1: a0 a1 a2
    a = first.state;
    let r = ratchetDecrypt(b, first.messages[2]!, T0); // skips a0, a1
    b = r.state;
    expect(text(r.plaintext)).toBe('a2');
    expect(b.skippedKeys).toHaveLength(2);
    const reply = ratchetEncrypt(b, utf8('b0'));
    b = reply.state;
    a = ratchetDecrypt(a, reply.message, T0).state; // Alice steps her ratchet
    const second = sendMany(a, 2, 'c'); // chain 2, pn = 3
    r = ratchetDecrypt(b, second.messages[1]!, T0); // new chain; a0, a1 still skipped
    b = r.state;
    expect(text(r.plaintext)).toBe('c1');
    for (const [message, expected] of [
      [first.messages[0]!, 'a0'],
      [second.messages[0]!, 'c0'],
      [first.messages[1]!, 'a1'],
    ] as const) {
      r = ratchetDecrypt(b, message, T0);
      expect(text(r.plaintext)).toBe(expected);
      b = r.state;
    }
    expect(b.skippedKeys).toHaveLength(0);
  });

  it('refuses a replay with a duplicate error and no state change (current chain, skipped key, ended chain)', () => {
    let { a, b } = establishedPair('replay');
    const sent = sendMany(a, 2, 'm');
    a = sent.state;
    b = ratchetDecrypt(b, sent.messages[1]!, T0).state;
    b = ratchetDecrypt(b, sent.messages[0]!, T0).state; // from the skipped keys
    for (const message of sent.messages) {
      const before = snapshot(b);
      expect(errorCode(() => ratchetDecrypt(b, message, T0))).toBe('duplicate');
      expect(snapshot(b)).toBe(before);
    }
    // After a DH ratchet step the chain has ended; replays are still recognised.
    const reply = ratchetEncrypt(b, utf8('r'));
    b = reply.state;
    a = ratchetDecrypt(a, reply.message, T0).state;
    b = ratchetDecrypt(b, ratchetEncrypt(a, utf8('n')).message, T0).state;
    expect(errorCode(() => ratchetDecrypt(b, sent.messages[0]!, T0))).toBe('duplicate');
  });

  it(`refuses a gap of more than MAX_SKIP (${MAX_SKIP}) in the current chain, and accepts exactly MAX_SKIP`, () => {
    const { a, b } = establishedPair('gap-current');
    // b has received nothing on Alice's next chain yet; a DH step starts it.
    const sent = sendMany(a, MAX_SKIP + 3, 'g');
    const started = ratchetDecrypt(b, sent.messages[0]!, T0).state; // Nr = 1
    const before = snapshot(started);
    expect(errorCode(() => ratchetDecrypt(started, sent.messages[MAX_SKIP + 2]!, T0))).toBe('too_many_skipped');
    expect(snapshot(started)).toBe(before);
    const ok = ratchetDecrypt(started, sent.messages[MAX_SKIP + 1]!, T0); // skips messages 1..MAX_SKIP
    expect(text(ok.plaintext)).toBe(`g${MAX_SKIP + 1}`);
    expect(ok.state.skippedKeys).toHaveLength(MAX_SKIP);
  });

  it('refuses a gap of more than MAX_SKIP in a new chain before doing any DH', () => {
    const { a, b } = establishedPair('gap-new-chain');
    const sent = sendMany(a, MAX_SKIP + 2, 'g');
    const before = snapshot(b);
    const scalarmult = vi.spyOn(sodium, 'crypto_scalarmult');
    try {
      expect(errorCode(() => ratchetDecrypt(b, sent.messages[MAX_SKIP + 1]!, T0))).toBe('too_many_skipped');
      expect(scalarmult).not.toHaveBeenCalled();
    } finally {
      scalarmult.mockRestore();
    }
    expect(snapshot(b)).toBe(before);
  });

  it('refuses a gap of more than MAX_SKIP left behind in the previous chain (header pn)', () => {
    let { a, b } = establishedPair('gap-previous-chain');
    const sent = sendMany(a, MAX_SKIP + 2, 'g');
    a = sent.state;
    b = ratchetDecrypt(b, sent.messages[0]!, T0).state;
    const reply = ratchetEncrypt(b, utf8('r'));
    b = reply.state;
    a = ratchetDecrypt(a, reply.message, T0).state;
    const next = ratchetEncrypt(a, utf8('n')); // pn = MAX_SKIP + 2, Bob's Nr = 1
    expect(parseEnvelope(next.message).h.pn).toBe(MAX_SKIP + 2);
    const before = snapshot(b);
    expect(errorCode(() => ratchetDecrypt(b, next.message, T0))).toBe('too_many_skipped');
    expect(snapshot(b)).toBe(before);
  });

  it('expires skipped keys after SKIPPED_KEY_TTL_MS', () => {
    const { a, b } = establishedPair('expiry');
    const sent = sendMany(a, 2, 'e');
    const later = ratchetDecrypt(b, sent.messages[1]!, T0).state;
    expect(text(ratchetDecrypt(later, sent.messages[0]!, T0 + SKIPPED_KEY_TTL_MS - 1).plaintext)).toBe('e0');
    expect(errorCode(() => ratchetDecrypt(later, sent.messages[0]!, T0 + SKIPPED_KEY_TTL_MS))).toBe('duplicate');
    expect(pruneSkippedKeys(later, T0 + SKIPPED_KEY_TTL_MS - 1)).toBe(later);
    expect(pruneSkippedKeys(later, T0 + SKIPPED_KEY_TTL_MS).skippedKeys).toHaveLength(0);
  });

  it(`keeps at most MAX_SKIPPED_KEYS (${MAX_SKIPPED_KEYS}) skipped keys, evicting the oldest`, () => {
    let { a, b } = establishedPair('eviction');
    const chains: Uint8Array[][] = [];
    // Three chains of MAX_SKIP + 1 messages; Bob receives only each chain's last one.
    for (let c = 0; c < 3; c++) {
      const sent = sendMany(a, MAX_SKIP + 1, `c${c}-`);
      a = sent.state;
      chains.push(sent.messages);
      b = ratchetDecrypt(b, sent.messages[MAX_SKIP]!, T0 + c).state;
      const reply = ratchetEncrypt(b, utf8('r'));
      b = reply.state;
      a = ratchetDecrypt(a, reply.message, T0).state;
    }
    expect(b.skippedKeys).toHaveLength(MAX_SKIPPED_KEYS);
    expect(errorCode(() => ratchetDecrypt(b, chains[0]![0]!, T0))).toBe('duplicate'); // evicted
    expect(text(ratchetDecrypt(b, chains[1]![0]!, T0).plaintext)).toBe('c1-0');
    expect(text(ratchetDecrypt(b, chains[2]![999]!, T0).plaintext)).toBe('c2-999');
  });

  it('refuses a low-order ratchet key in a header', () => {
    const { a, b } = establishedPair('low-order-header');
    const envelope = parseEnvelope(ratchetEncrypt(a, utf8('x')).message);
    const forged = encodeEnvelope({ ...envelope, h: { ...envelope.h, dh: new Uint8Array(32) } });
    const before = snapshot(b);
    expect(errorCode(() => ratchetDecrypt(b, forged, T0))).toBe('low_order_key');
    expect(snapshot(b)).toBe(before);
  });

  it('refuses a message from a new ratchet key that does not authenticate, keeping the state', () => {
    const { a, b } = establishedPair('forged-step');
    const envelope = parseEnvelope(ratchetEncrypt(a, utf8('x')).message);
    const stranger = sodium.crypto_scalarmult_base(sodium.randombytes_buf(32));
    const forged = encodeEnvelope({ ...envelope, h: { ...envelope.h, dh: stranger } });
    const before = snapshot(b);
    expect(errorCode(() => ratchetDecrypt(b, forged, T0))).toBe('decrypt_failed');
    expect(snapshot(b)).toBe(before);
  });

  it('rejects bad arguments as invalid_state', () => {
    const { a, b } = establishedPair('arguments');
    const message = ratchetEncrypt(a, utf8('x')).message;
    expect(errorCode(() => ratchetDecrypt(b, message, -1))).toBe('invalid_state');
    expect(errorCode(() => ratchetDecrypt(b, message, 1.5))).toBe('invalid_state');
    expect(errorCode(() => ratchetEncrypt(a, utf8('x'), undefined, () => new Uint8Array(3)))).toBe('invalid_state');
  });
});
