import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from './keys';
import { compareScannedSafetyNumber, computeSafetyNumber, safetyNumbersEqual } from './safetyNumber';
import { e2eeReady } from './sodium';
import { errorCode, seededRng } from './testSupport';

beforeAll(e2eeReady);

describe('safety numbers', () => {
  const rng = seededRng('safety');
  let alice: { identityKey: Uint8Array; userId: string };
  let bob: { identityKey: Uint8Array; userId: string };
  beforeAll(() => {
    alice = { identityKey: generateIdentityKeyPair(rng).identityPublicKey, userId: 'u_AAAAAAAAAAAAAAAAAAAAAA' };
    bob = { identityKey: generateIdentityKeyPair(rng).identityPublicKey, userId: 'u_BBBBBBBBBBBBBBBBBBBBBB' };
  });

  it('is identical on both sides: 60 digits in 12 groups of 5', () => {
    const mine = computeSafetyNumber(alice, bob);
    const theirs = computeSafetyNumber(bob, alice);
    expect(mine.digits).toBe(theirs.digits);
    expect(mine.display).toBe(theirs.display);
    expect(mine.digits).toMatch(/^\d{60}$/);
    expect(mine.display).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(safetyNumbersEqual(mine.display, theirs.digits)).toBe(true);
  });

  it('changes when either identity key or user id changes', () => {
    const base = computeSafetyNumber(alice, bob).digits;
    const newKey = generateIdentityKeyPair(rng).identityPublicKey;
    expect(computeSafetyNumber({ ...alice, identityKey: newKey }, bob).digits).not.toBe(base);
    expect(computeSafetyNumber(alice, { ...bob, identityKey: newKey }).digits).not.toBe(base);
    expect(computeSafetyNumber(alice, { ...bob, userId: 'u_CCCCCCCCCCCCCCCCCCCCCC' }).digits).not.toBe(base);
    expect(safetyNumbersEqual(base, computeSafetyNumber(alice, { ...bob, identityKey: newKey }).digits)).toBe(false);
  });

  it('QR codes match across the two devices, in binary and text form, and nothing else', () => {
    const mine = computeSafetyNumber(alice, bob);
    const theirs = computeSafetyNumber(bob, alice);
    expect(compareScannedSafetyNumber(mine, theirs.qr)).toBe('match');
    expect(compareScannedSafetyNumber(theirs, mine.qr)).toBe('match');
    expect(compareScannedSafetyNumber(mine, theirs.qrText)).toBe('match');
    // Our own code (local/remote swapped) and a code with another key do not match.
    expect(compareScannedSafetyNumber(mine, mine.qr)).toBe('mismatch');
    const mallory = { ...alice, identityKey: generateIdentityKeyPair(rng).identityPublicKey };
    expect(compareScannedSafetyNumber(mine, computeSafetyNumber(bob, mallory).qr)).toBe('mismatch');
    for (let i = 4; i < theirs.qr.length; i += 7) {
      const flipped = theirs.qr.slice();
      flipped[i]! ^= 1;
      expect(compareScannedSafetyNumber(mine, flipped)).toBe('mismatch');
    }
  });

  it('refuses payloads of another format or version', () => {
    const mine = computeSafetyNumber(alice, bob);
    const theirs = computeSafetyNumber(bob, alice);
    const newer = theirs.qr.slice();
    newer[3] = 2;
    expect(compareScannedSafetyNumber(mine, newer)).toBe('unsupported_version');
    expect(compareScannedSafetyNumber(mine, theirs.qr.subarray(1))).toBe('bad_format');
    expect(compareScannedSafetyNumber(mine, 'https://example.com/')).toBe('bad_format');
    expect(compareScannedSafetyNumber(mine, '')).toBe('bad_format');
    expect(safetyNumbersEqual('123', '123')).toBe(false);
  });

  it('refuses keys of the wrong size and empty user ids', () => {
    expect(errorCode(() => computeSafetyNumber({ ...alice, identityKey: new Uint8Array(33) }, bob))).toBe(
      'invalid_state',
    );
    expect(errorCode(() => computeSafetyNumber(alice, { ...bob, userId: '' }))).toBe('invalid_state');
  });
});
