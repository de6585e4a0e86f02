/**
 * Randomness injection. Every function that draws randomness takes an optional `rng`
 * (default: the OS CSPRNG), so tests can pin every random byte and check frozen
 * vectors. Production code never passes one.
 */
import { u64be } from './bytes';
import { InvalidStateError } from './errors';
import { sodium } from './sodium';

/** randombytes_SEEDBYTES (not exported by the JS wrapper). */
const SEED_BYTES = 32;

export type Rng = (length: number) => Uint8Array;

/** getRandomValues fills at most this many bytes per call (the Web Crypto quota). */
const MAX_RANDOM_CHUNK = 65_536;

/**
 * The OS CSPRNG through Web Crypto (`crypto.getRandomValues`, global in Node and browsers).
 * The same source as libsodium's `randombytes_buf`, which in libsodium-wrappers reaches it
 * through a JavaScript callback per call and costs ~10× more per message (bench/ratchet.ts).
 */
export const systemRng: Rng = (length) => {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + MAX_RANDOM_CHUNK)));
  }
  return out;
};

/**
 * Draws `length` bytes and checks the rng kept its contract: a wrong-sized answer would
 * otherwise silently produce a short nonce or key. The copy keeps state from aliasing a
 * buffer the rng might reuse.
 */
export function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = rng(length);
  if (!(out instanceof Uint8Array) || out.byteLength !== length) {
    throw new InvalidStateError('rng returned the wrong number of bytes');
  }
  return new Uint8Array(out);
}

/**
 * A reproducible byte stream for tests and frozen vectors ONLY: call i returns ChaCha20
 * output under the seed BLAKE2b-keyed with i. Anyone who knows the seed knows every key.
 */
export function deterministicRng(seed: Uint8Array): Rng {
  if (seed.byteLength !== SEED_BYTES) throw new InvalidStateError('rng seed must be 32 bytes');
  const key = new Uint8Array(seed);
  let counter = 0;
  return (length) => {
    const callSeed = sodium.crypto_generichash(SEED_BYTES, u64be(counter++), key);
    return sodium.randombytes_buf_deterministic(length, callSeed);
  };
}
