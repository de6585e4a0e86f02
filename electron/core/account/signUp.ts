/**
 * Creating an account: fresh device keys, then `register` on a connection of its own (a
 * fresh hello challenge for every attempt, so a retry after "username taken" never reuses
 * one). The caller persists the account only when this resolves.
 */
import { PROTOCOL_VERSION } from '../../../shared/protocol';
import type { Logger } from '../api';
import { bytesEqual } from '../crypto/bytes';
import { generateDeviceKeys, signLoginChallenge } from '../crypto/keys';
import type { Account } from '../db/account';
import { RelayError } from '../relay/relayError';
import { RelaySocket } from '../relay/socket';

export interface SignUpInput {
  username: string;
  displayName: string;
}

/** Throws RelayError (username_taken, disconnected when the relay is unreachable, …). */
export async function registerOnRelay(
  relayUrl: string,
  input: SignUpInput,
  logger: Logger,
  handshakeTimeoutMs?: number,
): Promise<Account> {
  const keys = generateDeviceKeys();
  const socket = await RelaySocket.open(relayUrl, { logger, handshakeTimeoutMs });
  try {
    const { user } = await socket.request({
      t: 'register',
      v: PROTOCOL_VERSION,
      username: input.username,
      displayName: input.displayName,
      identityKey: keys.identityPublicKey,
      dhKey: keys.dhPublicKey,
      dhKeySig: keys.dhKeySig,
      sig: signLoginChallenge(socket.hello.challenge, keys.identitySecretKey),
    });
    if (!bytesEqual(user.identityKey, keys.identityPublicKey) || !bytesEqual(user.dhKey, keys.dhPublicKey)) {
      throw new RelayError('protocol', 'the relay registered different keys than ours');
    }
    return {
      userId: user.userId,
      username: user.username,
      displayName: user.displayName,
      keys,
      createdAt: Date.now(),
    };
  } finally {
    socket.close();
  }
}
