import { beforeAll, describe, expect, it } from 'vitest';
import { channelRevocationMessage } from '../../../shared/protocol';
import { sodium, sodiumReady } from '../crypto/sodium';
import { signedAfterRevocation, verifiedRevocations } from './revocations';

beforeAll(() => sodiumReady());

const revoke = (channel: { publicKey: Uint8Array; privateKey: Uint8Array }, key: Uint8Array, after: number) => ({
  identityKey: new Uint8Array(key),
  after,
  sig: new Uint8Array(
    sodium.crypto_sign_detached(channelRevocationMessage(channel.publicKey, key), channel.privateKey),
  ),
});

describe('removed channel admins in the core', () => {
  it('keeps only revocations the channel key signed, for the key they name', () => {
    const channel = sodium.crypto_sign_keypair();
    const other = sodium.crypto_sign_keypair();
    const admin = sodium.crypto_sign_keypair().publicKey;
    const bystander = sodium.crypto_sign_keypair().publicKey;
    const genuine = revoke(channel, admin, 7);
    const kept = verifiedRevocations(channel.publicKey, [
      genuine,
      // A relay inventing a removal, or moving a real one to another admin: ignored.
      revoke(other, bystander, 1),
      { ...genuine, identityKey: new Uint8Array(bystander) },
    ]);
    expect(kept).toEqual([{ identityKey: genuine.identityKey, after: 7 }]);
    expect(verifiedRevocations(channel.publicKey, undefined)).toEqual([]);
  });

  it("refuses a removed admin's revisions numbered after the removal, and nothing else", () => {
    const admin = sodium.crypto_sign_keypair().publicKey;
    const owner = sodium.crypto_sign_keypair().publicKey;
    const revocations = [{ identityKey: admin, after: 7 }];
    expect(signedAfterRevocation(revocations, { author: admin, cseq: 7 })).toBe(false);
    expect(signedAfterRevocation(revocations, { author: admin, cseq: 8 })).toBe(true);
    // Another admin's edit of the removed admin's post is theirs, not the removed key's.
    expect(signedAfterRevocation(revocations, { author: owner, cseq: 100 })).toBe(false);
    expect(signedAfterRevocation([], { author: admin, cseq: 100 })).toBe(false);
  });
});
