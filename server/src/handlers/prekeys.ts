/**
 * Prekeys for X3DH: an account publishes a signed prekey and a stock of one-time prekeys
 * (`prekeys`); anyone signed in fetches a user's bundle to start a session (`bundle`), which
 * takes one one-time prekey out of the stock for good — within a budget per requester and
 * per target, so nobody can drain someone's stock.
 */
import type { ClientFrame, FrameOf } from '../../../shared/protocol';
import { verifySignedPreKeySignature } from '../auth/signatures';
import type { Account } from '../storage/storage';
import type { RequestContext } from './context';
import { RelayError } from './relayError';

export async function handlePreKeys(
  ctx: RequestContext,
  session: Account,
  frame: FrameOf<ClientFrame, 'prekeys'>,
): Promise<void> {
  const { storage, limits } = ctx.services;
  const { userId } = session.user;
  // The account's identity key as stored now (not as cached on this connection): storage
  // stores the upload only if it is still the same key when the write runs.
  const current = await storage.findUserById(userId);
  if (!current) throw new RelayError('not_found', 'this account no longer exists');
  const { signedPreKey } = frame;
  if (signedPreKey && !verifySignedPreKeySignature(current.identityKey, signedPreKey)) {
    throw new RelayError('bad_signature', "the signed prekey's signature does not verify with the identity key");
  }
  const result = await storage.storePreKeys({
    userId,
    identityKey: current.identityKey,
    ...(signedPreKey ? { signedPreKey } : {}),
    oneTimePreKeys: frame.oneTimePreKeys,
    maxOneTimePreKeys: limits.maxOneTimePreKeys,
  });
  switch (result.status) {
    case 'unknown_account':
      throw new RelayError('not_found', 'this account no longer exists');
    case 'identity_changed':
      // A rekey committed between the check above and this write.
      throw new RelayError('bad_signature', "the account's identity key changed; sign the prekey with the new key");
    case 'prekey_limit':
      throw new RelayError(
        'prekey_limit',
        `the stock holds ${result.oneTimeCount} one-time prekeys; at most ${limits.maxOneTimePreKeys} are kept`,
      );
    case 'stored':
      ctx.services.logger.debug('prekeys stored', {
        conn: ctx.connectionId,
        userId,
        signedPreKey: signedPreKey !== undefined,
        uploaded: frame.oneTimePreKeys.length,
        oneTimeCount: result.oneTimeCount,
      });
      ctx.reply({
        t: 'prekeyState',
        re: frame.id,
        signedPreKeyId: result.signedPreKeyId,
        oneTimeCount: result.oneTimeCount,
      });
      return;
  }
}

export async function handleBundle(
  ctx: RequestContext,
  session: Account,
  frame: FrameOf<ClientFrame, 'bundle'>,
): Promise<void> {
  // Over budget (limits/preKeyBudget.ts) the bundle carries the signed prekey only.
  const budget = ctx.services.preKeyBudget;
  const oneTime = budget.allow(session.user.userId, frame.userId);
  // Answered only after the one-time prekey's deletion is committed: a crash cannot hand
  // the same key out again.
  const result = await ctx.services.storage.takePreKeyBundle(frame.userId, { oneTime, now: ctx.services.now() });
  if (oneTime && !(result.status === 'bundle' && result.bundle.oneTimePreKey)) {
    budget.refund(session.user.userId, frame.userId);
  }
  switch (result.status) {
    case 'not_found':
      throw new RelayError('not_found', 'no such user');
    case 'no_prekeys':
      throw new RelayError('no_prekeys', 'this user has not published prekeys yet; try again shortly');
    case 'bundle':
      ctx.reply({ t: 'bundle', re: frame.id, userId: frame.userId, bundle: result.bundle });
      return;
  }
}
