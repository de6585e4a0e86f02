import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeError, openEnvelope, sealEnvelope } from './envelope';
import { generateDeviceKeys, signDhKey, verifyDhKeySig, type DeviceKeys } from './keys';
import { packr } from './msgpack';
import { decodePlaintext, encodePlaintext } from './plaintext';
import { sodiumReady } from './sodium';

let alice: DeviceKeys;
let bob: DeviceKeys;
let mallory: DeviceKeys;

beforeAll(async () => {
  await sodiumReady();
  alice = generateDeviceKeys();
  bob = generateDeviceKeys();
  mallory = generateDeviceKeys();
});

const published = (keys: DeviceKeys) => ({
  identityKey: keys.identityPublicKey,
  dhKey: keys.dhPublicKey,
  dhKeySig: keys.dhKeySig,
});

describe('envelope v1 (box1)', () => {
  it('opens for the recipient with the sender key and yields the same plaintext', () => {
    const plaintext = encodePlaintext({ k: 'text', text: 'meet at 6? 🙂', sentAt: 1_700_000_000_000 });
    const envelope = sealEnvelope(plaintext, bob.dhPublicKey, alice.dhSecretKey);
    const opened = openEnvelope(envelope, alice.dhPublicKey, bob.dhSecretKey);
    expect(decodePlaintext(opened)).toEqual({ k: 'text', text: 'meet at 6? 🙂', sentAt: 1_700_000_000_000 });
  });

  it('is a versioned map whose ciphertext does not contain the plaintext', () => {
    const envelope = sealEnvelope(new TextEncoder().encode('canary-4711'), bob.dhPublicKey, alice.dhSecretKey);
    const map = packr.unpack(envelope) as Record<string, unknown>;
    expect(map.v).toBe(1);
    expect(map.alg).toBe('box1');
    expect((map.nonce as Uint8Array).byteLength).toBe(24);
    expect(Buffer.from(envelope).includes('canary-4711')).toBe(false);
  });

  it('uses a fresh nonce each time', () => {
    const plaintext = new TextEncoder().encode('same');
    const a = sealEnvelope(plaintext, bob.dhPublicKey, alice.dhSecretKey);
    const b = sealEnvelope(plaintext, bob.dhPublicKey, alice.dhSecretKey);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses a tampered ciphertext', () => {
    const envelope = sealEnvelope(new TextEncoder().encode('pay 10'), bob.dhPublicKey, alice.dhSecretKey);
    const map = packr.unpack(envelope) as { ct: Uint8Array };
    const ct = Uint8Array.from(map.ct);
    ct[ct.length - 1]! ^= 0x01;
    const tampered = packr.pack({ ...map, ct });
    expect(() => openEnvelope(tampered, alice.dhPublicKey, bob.dhSecretKey)).toThrow(EnvelopeError);
  });

  it('refuses an envelope that did not come from the claimed sender', () => {
    const fromMallory = sealEnvelope(new TextEncoder().encode('hi, it is alice'), bob.dhPublicKey, mallory.dhSecretKey);
    expect(() => openEnvelope(fromMallory, alice.dhPublicKey, bob.dhSecretKey)).toThrow(EnvelopeError);
  });

  it('refuses to open for someone other than the recipient', () => {
    const envelope = sealEnvelope(new TextEncoder().encode('for bob'), bob.dhPublicKey, alice.dhSecretKey);
    expect(() => openEnvelope(envelope, alice.dhPublicKey, mallory.dhSecretKey)).toThrow(EnvelopeError);
  });

  it('names an unsupported version and refuses garbage', () => {
    const future = packr.pack({ v: 2, alg: 'ratchet', header: new Uint8Array(8), ct: new Uint8Array(40) });
    expect(() => openEnvelope(future, alice.dhPublicKey, bob.dhSecretKey)).toThrow(/unsupported envelope version 2/);
    expect(() => openEnvelope(new Uint8Array([0xc1]), alice.dhPublicKey, bob.dhSecretKey)).toThrow(EnvelopeError);
    const short = packr.pack({ v: 1, alg: 'box1', nonce: new Uint8Array(24), ct: new Uint8Array(3) });
    expect(() => openEnvelope(short, alice.dhPublicKey, bob.dhSecretKey)).toThrow(/too short/);
  });
});

describe('DH key signature', () => {
  it('verifies for a genuine key set', () => {
    expect(verifyDhKeySig(published(alice))).toBe(true);
  });

  it('refuses a DH key substituted by someone else (e.g. the relay)', () => {
    expect(verifyDhKeySig({ ...published(alice), dhKey: mallory.dhPublicKey })).toBe(false);
  });

  it('refuses a signature made by a different identity key', () => {
    const forged = signDhKey(mallory.dhPublicKey, mallory.identitySecretKey);
    expect(verifyDhKeySig({ identityKey: alice.identityPublicKey, dhKey: mallory.dhPublicKey, dhKeySig: forged })).toBe(
      false,
    );
  });

  it('refuses malformed key material without throwing', () => {
    expect(verifyDhKeySig({ ...published(alice), dhKeySig: new Uint8Array(10) })).toBe(false);
    expect(verifyDhKeySig({ ...published(alice), identityKey: new Uint8Array(31) })).toBe(false);
  });
});
