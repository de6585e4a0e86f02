/**
 * Channel keys and signatures for tests and benchmarks, made as a client core makes them.
 */
import { randomUUID } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  channelAdminCertMessage,
  channelPostMessage,
  channelRevocationMessage,
  type ChannelPostSigned,
} from '../../../shared/protocol';
import type { TestIdentity } from './identity';

export interface TestChannelKeys {
  readonly publicKey: Uint8Array<ArrayBuffer>;
  readonly secretKey: Uint8Array;
}

export async function createChannelKeys(): Promise<TestChannelKeys> {
  await sodium.ready;
  const pair = sodium.crypto_sign_keypair();
  return { publicKey: new Uint8Array(pair.publicKey), secretKey: pair.privateKey };
}

/** The channel key's certificate of an admin's identity key. */
export function adminCert(channel: TestChannelKeys, admin: Pick<TestIdentity, 'identityKey'>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    sodium.crypto_sign_detached(channelAdminCertMessage(channel.publicKey, admin.identityKey), channel.secretKey),
  );
}

/** The channel key's removal (revocation) of the admin certified for `identityKey`. */
export function revocationSig(channel: TestChannelKeys, identityKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    sodium.crypto_sign_detached(channelRevocationMessage(channel.publicKey, identityKey), channel.secretKey),
  );
}

/** An admin's signature of one revision of a post. */
export function signPost(
  admin: Pick<TestIdentity, 'identitySecretKey'>,
  channelKey: Uint8Array,
  post: ChannelPostSigned,
): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sodium.crypto_sign_detached(channelPostMessage(channelKey, post), admin.identitySecretKey));
}

/** A `chanEdit` request (without id): revision `rev` of a post as `text`, or its deletion (null). */
export function editRequest(
  admin: Pick<TestIdentity, 'identitySecretKey'>,
  channelKey: Uint8Array,
  channelId: string,
  postId: string,
  rev: number,
  text: string | null,
) {
  const body = new Uint8Array(Buffer.from(text ?? '', 'utf8'));
  const deleted = text === null;
  return {
    t: 'chanEdit' as const,
    channelId,
    postId,
    rev,
    deleted,
    body,
    sig: signPost(admin, channelKey, { postId, rev, deleted, body }),
  };
}

/** A `chanPost` request (without id) for `text`, signed by `admin`. */
export function postRequest(
  admin: Pick<TestIdentity, 'identitySecretKey'>,
  channelKey: Uint8Array,
  channelId: string,
  text: string,
  postId: string = randomUUID(),
) {
  const body = new Uint8Array(Buffer.from(text, 'utf8'));
  return {
    t: 'chanPost' as const,
    channelId,
    postId,
    body,
    sig: signPost(admin, channelKey, { postId, rev: 0, deleted: false, body }),
  };
}

export function verifyPost(
  channelKey: Uint8Array,
  post: {
    postId: string;
    rev: number;
    deleted: boolean;
    body: Uint8Array;
    author: Uint8Array;
    cert: Uint8Array;
    sig: Uint8Array;
  },
): boolean {
  return (
    sodium.crypto_sign_verify_detached(post.cert, channelAdminCertMessage(channelKey, post.author), channelKey) &&
    sodium.crypto_sign_verify_detached(post.sig, channelPostMessage(channelKey, post), post.author)
  );
}
