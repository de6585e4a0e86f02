import { describe, expect, it } from 'vitest';
import { packr } from './msgpack';
import {
  decodePlaintext,
  encodePlaintext,
  MAX_RECEIPT_IDS,
  MAX_TEXT_LENGTH,
  PlaintextError,
  type Plaintext,
} from './plaintext';

const ID = '0b8e5f3c-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

describe('plaintext codec', () => {
  it('round-trips text and receipts', () => {
    const text: Plaintext = { k: 'text', text: 'hello', sentAt: 1 };
    const receipt: Plaintext = { k: 'receipt', kind: 'read', ids: [ID] };
    expect(decodePlaintext(encodePlaintext(text))).toEqual(text);
    expect(decodePlaintext(encodePlaintext(receipt))).toEqual(receipt);
  });

  it('drops unknown fields from a newer peer instead of refusing the message', () => {
    const fromNewerPeer = packr.pack({ k: 'text', text: 'hi', sentAt: 5, pollId: ID });
    expect(decodePlaintext(fromNewerPeer)).toEqual({ k: 'text', text: 'hi', sentAt: 5 });
  });

  it.each([
    ['an unknown kind', { k: 'sticker', id: 1 }],
    ['empty text', { k: 'text', text: '', sentAt: 1 }],
    ['overlong text', { k: 'text', text: 'x'.repeat(MAX_TEXT_LENGTH + 1), sentAt: 1 }],
    ['a non-integer time', { k: 'text', text: 'x', sentAt: 1.5 }],
    ['a receipt for nothing', { k: 'receipt', kind: 'read', ids: [] }],
    ['a receipt with a bad id', { k: 'receipt', kind: 'read', ids: ['../etc'] }],
    ['a receipt of an unknown kind', { k: 'receipt', kind: 'typing', ids: [ID] }],
    ['too many receipt ids', { k: 'receipt', kind: 'read', ids: Array(MAX_RECEIPT_IDS + 1).fill(ID) }],
    ['a non-map', ['text', 'hi']],
  ])('refuses %s', (_, value) => {
    expect(() => decodePlaintext(packr.pack(value))).toThrow(PlaintextError);
  });

  it('refuses bytes that are not MessagePack', () => {
    expect(() => decodePlaintext(new Uint8Array([0xc1, 0xff]))).toThrow(PlaintextError);
  });

  it('does not put the text into the error message', () => {
    const secret = 'my-secret-words';
    try {
      decodePlaintext(packr.pack({ k: 'text', text: secret, sentAt: -1 }));
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain(secret);
    }
  });

  it('refuses to encode an invalid plaintext of our own', () => {
    expect(() => encodePlaintext({ k: 'text', text: '', sentAt: 1 })).toThrow();
  });
});
