/**
 * Fixtures for the e2ee tests (not a test file itself): devices with prekeys, an in-memory
 * responder prekey store that really consumes one-time prekeys, and helpers for
 * comparing states.
 */
import { utf8 } from './bytes';
import { isE2eeError, type E2eeErrorCode } from './errors';
import { generateIdentityKeyPair, publicIdentity, type IdentityKeyPair } from './keys';
import {
  createSignedPreKeyRing,
  findSignedPreKey,
  generateOneTimePreKeys,
  oneTimePreKeyPublic,
  signedPreKeyPublic,
  type OneTimePreKey,
  type SignedPreKeyRing,
} from './prekeys';
import { deterministicRng, type Rng } from './rng';
import { ratchetDecrypt, ratchetEncrypt } from './ratchet';
import { acceptSession, initiateSession, type ResponderPreKeys } from './session';
import { sodium } from './sodium';
import { serializeSessionState, type SessionState } from './state';

export const T0 = 1_700_000_000_000;

export function seededRng(label: string): Rng {
  return deterministicRng(sodium.crypto_generichash(32, utf8(label), null));
}

export interface TestDevice {
  identity: IdentityKeyPair;
  ring: SignedPreKeyRing;
  oneTimePreKeys: Map<number, OneTimePreKey>;
  consumed: number[];
  preKeys: ResponderPreKeys;
}

export function makeDevice(rng: Rng, oneTimeCount = 5): TestDevice {
  const identity = generateIdentityKeyPair(rng);
  const ring = createSignedPreKeyRing(identity, T0, 1, rng);
  const oneTimePreKeys = new Map(generateOneTimePreKeys(100, oneTimeCount, rng).map((k) => [k.id, k]));
  const consumed: number[] = [];
  const device: TestDevice = {
    identity,
    ring,
    oneTimePreKeys,
    consumed,
    preKeys: {
      signedPreKey: (id) => findSignedPreKey(device.ring, id, T0)?.keyPair,
      oneTimePreKey: (id) => oneTimePreKeys.get(id)?.keyPair,
      consumeOneTimePreKey: (id) => {
        consumed.push(id);
        oneTimePreKeys.delete(id);
      },
    },
  };
  return device;
}

/** What the relay would hand out: identity, current signed prekey and (optionally) one one-time prekey. */
export function bundleOf(device: TestDevice, oneTimeId: number | null = firstOneTimeId(device)) {
  const opk = oneTimeId === null ? undefined : device.oneTimePreKeys.get(oneTimeId);
  return {
    identity: publicIdentity(device.identity),
    signedPreKey: signedPreKeyPublic(device.ring.current),
    oneTimePreKey: opk ? oneTimePreKeyPublic(opk) : null,
  };
}

function firstOneTimeId(device: TestDevice): number | null {
  const first = device.oneTimePreKeys.keys().next();
  return first.done ? null : first.value;
}

export const hex = (bytes: Uint8Array) => sodium.to_hex(bytes);
export const unhex = (text: string) => sodium.from_hex(text);

/** The state's complete content as bytes: equal bytes ⇔ equal state. */
export const snapshot = (state: SessionState) => hex(serializeSessionState(state));

/** A session in which both sides have sent and received once (no X3DH fields pending). */
export function establishedPair(label: string): { a: SessionState; b: SessionState; rng: Rng } {
  const rng = seededRng(label);
  const alice = makeDevice(rng);
  const bob = makeDevice(rng);
  const started = initiateSession({ identity: alice.identity, bundle: bundleOf(bob), rng });
  const first = ratchetEncrypt(started.state, utf8('hello'), undefined, rng);
  const accepted = acceptSession({
    identity: bob.identity,
    message: first.message,
    preKeys: bob.preKeys,
    now: T0,
    rng,
  });
  const reply = ratchetEncrypt(accepted.state, utf8('hi'), undefined, rng);
  const a = ratchetDecrypt(first.state, reply.message, T0, undefined, rng).state;
  return { a, b: reply.state, rng };
}

/** Runs `fn` and returns the E2eeError code it threw (or fails the test if it did not throw one). */
export function errorCode(fn: () => unknown): E2eeErrorCode {
  try {
    fn();
  } catch (error) {
    if (isE2eeError(error)) return error.code;
    throw error;
  }
  throw new Error('expected an E2eeError, nothing was thrown');
}
