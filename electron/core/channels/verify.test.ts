import { beforeAll, describe, expect, it } from 'vitest';
import { channelAdminCertMessage, channelPostMessage, type ChannelPostWire } from '../../../shared/protocol';
import { sodium, sodiumReady } from '../crypto/sodium';
import { verifyChannelPost } from './service';

beforeAll(() => sodiumReady());

function signedPost(channel: { publicKey: Uint8Array; privateKey: Uint8Array }, admin: typeof channel, text: string) {
  const body = new Uint8Array(Buffer.from(text));
  const postId = '11111111-2222-4333-8444-555555555555';
  const post: ChannelPostWire = {
    postId,
    seq: 1,
    cseq: 1,
    rev: 0,
    deleted: false,
    body,
    ts: 1,
    author: new Uint8Array(admin.publicKey),
    cert: new Uint8Array(
      sodium.crypto_sign_detached(channelAdminCertMessage(channel.publicKey, admin.publicKey), channel.privateKey),
    ),
    sig: new Uint8Array(
      sodium.crypto_sign_detached(
        channelPostMessage(channel.publicKey, { postId, rev: 0, deleted: false, body }),
        admin.privateKey,
      ),
    ),
  };
  return post;
}

describe('channel post verification in the core', () => {
  it('accepts a post signed by a certified admin and refuses forgeries', () => {
    const channel = sodium.crypto_sign_keypair();
    const admin = sodium.crypto_sign_keypair();
    const stranger = sodium.crypto_sign_keypair();
    const post = signedPost(channel, admin, 'genuine');
    expect(verifyChannelPost(channel.publicKey, post)).toBe(true);

    // The relay (or anyone) changing the text, the revision or the deletion flag.
    expect(verifyChannelPost(channel.publicKey, { ...post, body: new Uint8Array(Buffer.from('forged')) })).toBe(false);
    expect(verifyChannelPost(channel.publicKey, { ...post, rev: 1 })).toBe(false);
    expect(verifyChannelPost(channel.publicKey, { ...post, deleted: true })).toBe(false);
    // A post by someone the channel key never certified, even if self-consistent.
    expect(verifyChannelPost(channel.publicKey, signedPost(stranger, stranger, 'hi'))).toBe(false);
    // The same post presented as another channel's.
    expect(verifyChannelPost(sodium.crypto_sign_keypair().publicKey, post)).toBe(false);
  });
});
