/** Byte helpers with fixed, unambiguous encodings (everything that is hashed or signed goes through these). */
import { InvalidStateError } from './errors';

const encoder = new TextEncoder();

export const EMPTY = new Uint8Array(0);

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Equality that does not exit early on the first differing byte, so comparing a secret (a
 * fingerprint, a key) does not leak how long the common prefix is. Lengths are public.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.byteLength; i++) acc |= bytes[i]!;
  return acc === 0;
}

export function u8(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new InvalidStateError('u8 out of range');
  return Uint8Array.of(value);
}

export function u16be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new InvalidStateError('u16 out of range');
  return Uint8Array.of(value >>> 8, value & 0xff);
}

export function u32be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new InvalidStateError('u32 out of range');
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/** 64-bit big-endian encoding of a non-negative safe integer (timestamps, counters). */
export function u64be(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidStateError('u64 out of range');
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32), false);
  view.setUint32(4, value >>> 0, false);
  return out;
}

/** `u32be(length) || bytes`: makes a concatenation of variable-length fields unambiguous. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concatBytes(u32be(bytes.byteLength), bytes);
}

/** A fresh copy that shares no memory with its source (msgpackr hands out views into its input). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
