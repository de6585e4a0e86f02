import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DH_KEY_SIG_CONTEXT } from '../../../../shared/protocol';
import { u32be, u64be } from './bytes';
import { preKeyBundleSchema, preKeyUploadSchema, verifyPreKeyBundle } from './bundle';
import { signWithContext } from './keys';
import { SIGNED_PREKEY_CONTEXT, generateOneTimePreKeys, oneTimePreKeyPublic } from './prekeys';
import { initiateSession } from './session';
import { e2eeReady, sodium } from './sodium';
import { bundleOf, errorCode, makeDevice, seededRng, unhex } from './testSupport';

beforeAll(e2eeReady);

const ORDER_8_POINT = unhex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800');

describe('prekey bundles', () => {
  it('verifies a genuine bundle, with or without a one-time prekey', () => {
    const bob = makeDevice(seededRng('bundle-ok'));
    expect(verifyPreKeyBundle(bundleOf(bob)).oneTimePreKey?.id).toBe(100);
    expect(verifyPreKeyBundle(bundleOf(bob, null)).oneTimePreKey).toBeNull();
    const { oneTimePreKey: _, ...withoutField } = bundleOf(bob, null);
    expect(verifyPreKeyBundle(withoutField).oneTimePreKey).toBeNull();
  });

  it('refuses low-order keys even when they are validly signed, before any DH', () => {
    const rng = seededRng('bundle-low-order');
    const alice = makeDevice(rng);
    const bob = makeDevice(rng);
    const secret = bob.identity.identitySecretKey;
    const good = bundleOf(bob);
    const lowIdentity = {
      ...good,
      identity: {
        ...good.identity,
        dhKey: ORDER_8_POINT,
        dhKeySig: signWithContext(secret, DH_KEY_SIG_CONTEXT, ORDER_8_POINT),
      },
    };
    const spk = good.signedPreKey;
    const lowSignedPreKey = {
      ...good,
      signedPreKey: {
        ...spk,
        publicKey: new Uint8Array(32),
        signature: signWithContext(
          secret,
          SIGNED_PREKEY_CONTEXT,
          u32be(spk.id),
          u64be(spk.createdAt),
          new Uint8Array(32),
        ),
      },
    };
    const lowOneTime = { ...good, oneTimePreKey: { id: 1, publicKey: Uint8Array.of(1, ...new Uint8Array(31)) } };
    const scalarmult = vi.spyOn(sodium, 'crypto_scalarmult');
    try {
      for (const bundle of [lowIdentity, lowSignedPreKey, lowOneTime]) {
        expect(errorCode(() => initiateSession({ identity: alice.identity, bundle, rng }))).toBe('low_order_key');
      }
      expect(scalarmult).not.toHaveBeenCalled();
    } finally {
      scalarmult.mockRestore();
    }
  });

  it('has exact byte lengths and u32 ids in its schema', () => {
    const bob = makeDevice(seededRng('bundle-schema'));
    const good = bundleOf(bob);
    expect(preKeyBundleSchema.safeParse(good).success).toBe(true);
    const bad = [
      { ...good, identity: { ...good.identity, dhKeySig: new Uint8Array(63) } },
      { ...good, signedPreKey: { ...good.signedPreKey, id: 2 ** 32 } },
      { ...good, signedPreKey: { ...good.signedPreKey, createdAt: -1 } },
      { ...good, oneTimePreKey: { id: 1, publicKey: new Uint8Array(33) } },
    ];
    for (const bundle of bad) {
      expect(preKeyBundleSchema.safeParse(bundle).success).toBe(false);
      expect(errorCode(() => verifyPreKeyBundle(bundle))).toBe('bad_format');
    }
  });

  it('bounds an upload of one-time prekeys', () => {
    const keys = generateOneTimePreKeys(1, 201, seededRng('upload')).map(oneTimePreKeyPublic);
    expect(preKeyUploadSchema.safeParse({ oneTimePreKeys: keys.slice(0, 200) }).success).toBe(true);
    expect(preKeyUploadSchema.safeParse({ oneTimePreKeys: keys }).success).toBe(false);
  });
});
