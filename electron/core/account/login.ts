/**
 * Signing in on a fresh connection: sign the hello challenge with the identity key. The
 * relay answers with our public record, which must carry our own keys.
 */
import { PROTOCOL_VERSION, type PublicUser } from '../../../shared/protocol';
import { bytesEqual } from '../crypto/bytes';
import { signLoginChallenge } from '../crypto/keys';
import type { Account } from '../db/account';
import { RelayError } from '../relay/relayError';
import type { RelaySocket } from '../relay/socket';

export async function loginOnSocket(socket: RelaySocket, account: Account): Promise<PublicUser> {
  const { user } = await socket.request({
    t: 'login',
    v: PROTOCOL_VERSION,
    identityKey: account.keys.identityPublicKey,
    sig: signLoginChallenge(socket.hello.challenge, account.keys.identitySecretKey),
  });
  if (user.userId !== account.userId || !bytesEqual(user.identityKey, account.keys.identityPublicKey)) {
    throw new RelayError('protocol', 'the relay signed us in as someone else');
  }
  return user;
}
