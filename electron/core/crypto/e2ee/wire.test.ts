import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from './bytes';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { e2eeReady } from './sodium';
import { errorCode, establishedPair, T0 } from './testSupport';
import { encodeEnvelope, MAX_ENVELOPE_BYTES, parseEnvelope, type MessageEnvelope } from './wire';

beforeAll(e2eeReady);

const packr = new Packr({ useRecords: false, mapsAsObjects: true });
const sample = (): MessageEnvelope => ({
  v: 2,
  alg: 'dr1',
  h: { dh: new Uint8Array(32).fill(9), pn: 3, n: 7 },
  nonce: new Uint8Array(24).fill(1),
  ct: new Uint8Array(40).fill(2),
});

describe('envelope wire format', () => {
  it('round-trips and returns copies that share no memory with the input', () => {
    const bytes = encodeEnvelope(sample());
    const parsed = parseEnvelope(bytes);
    expect(parsed).toEqual(sample());
    bytes.fill(0);
    expect(parsed).toEqual(sample());
    expect(Object.getPrototypeOf(parsed.ct)).toBe(Uint8Array.prototype);
  });

  it('refuses an unknown version or algorithm as unsupported_version', () => {
    expect(errorCode(() => parseEnvelope(packr.pack({ ...sample(), v: 3 })))).toBe('unsupported_version');
    expect(errorCode(() => parseEnvelope(packr.pack({ ...sample(), v: 1, alg: 'box1' })))).toBe('unsupported_version');
    expect(errorCode(() => parseEnvelope(packr.pack({ ...sample(), alg: 'dr2' })))).toBe('unsupported_version');
  });

  it.each([
    ['no version', { ...sample(), v: undefined }],
    ['version not a number', { ...sample(), v: '2' }],
    ['no algorithm', { ...sample(), alg: 7 }],
    ['an unknown field', { ...sample(), extra: 1 }],
    ['a short ratchet key', { ...sample(), h: { ...sample().h, dh: new Uint8Array(31) } }],
    ['a long nonce', { ...sample(), nonce: new Uint8Array(25) }],
    ['a ciphertext shorter than a tag', { ...sample(), ct: new Uint8Array(15) }],
    ['a negative counter', { ...sample(), h: { ...sample().h, n: -1 } }],
    ['a counter beyond u32', { ...sample(), h: { ...sample().h, n: 2 ** 32 } }],
    ['a fractional counter', { ...sample(), h: { ...sample().h, pn: 1.5 } }],
    ['a string where bytes belong', { ...sample(), ct: 'abc' }],
    ['a list', [1, 2, 3]],
  ])('refuses an envelope with %s as bad_format', (_, value) => {
    expect(errorCode(() => parseEnvelope(packr.pack(value)))).toBe('bad_format');
  });

  it('refuses bytes that are not exactly one canonical envelope', () => {
    const bytes = encodeEnvelope(sample());
    expect(errorCode(() => parseEnvelope(Uint8Array.of(...bytes, 0)))).toBe('bad_format'); // trailing byte
    expect(errorCode(() => parseEnvelope(bytes.subarray(0, bytes.length - 1)))).toBe('bad_format'); // truncated
    expect(errorCode(() => parseEnvelope(new Uint8Array(0)))).toBe('bad_format');
    // Same values, other field order: a different encoding of the same envelope.
    const s = sample();
    expect(errorCode(() => parseEnvelope(packr.pack({ alg: s.alg, v: s.v, h: s.h, nonce: s.nonce, ct: s.ct })))).toBe(
      'bad_format',
    );
    expect(errorCode(() => parseEnvelope(new Uint8Array(MAX_ENVELOPE_BYTES + 1)))).toBe('bad_format');
  });

  it('a real message survives the wire and a decoded-then-re-encoded copy is byte-identical', () => {
    const { a, b } = establishedPair('wire-real');
    const out = ratchetEncrypt(a, utf8('over the wire'));
    expect(encodeEnvelope(parseEnvelope(out.message))).toEqual(out.message);
    expect(new TextDecoder().decode(ratchetDecrypt(b, out.message, T0).plaintext)).toBe('over the wire');
  });
});
