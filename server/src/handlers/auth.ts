/**
 * register, login and rekey: the client proves it holds its Ed25519 identity key by signing
 * this connection's challenge. No passwords, no phone numbers. keysChanged: which partners
 * reset their keys while this client was away.
 */
import {
  CLOSE_CODES,
  KEYS_CHANGED_MAX_USERS,
  PROTOCOL_VERSION,
  type FrameOf,
  type ClientFrame,
} from '../../../shared/protocol';
import { verifyDhKeySignature, verifyLoginSignature, verifyRekeyHandover } from '../auth/signatures';
import { deviceTopic } from '../bus/bus';
import type { Account } from '../storage/storage';
import type { RequestContext } from './context';
import { RelayError } from './relayError';

type RegisterFrame = FrameOf<ClientFrame, 'register'>;
type LoginFrame = FrameOf<ClientFrame, 'login'>;
type RekeyFrame = FrameOf<ClientFrame, 'rekey'>;
type KeysChangedFrame = FrameOf<ClientFrame, 'keysChanged'>;

export async function handleRegister(ctx: RequestContext, frame: RegisterFrame): Promise<void> {
  requireSupportedVersion(frame.v);
  requireSignedOut(ctx);
  requireChallengeSignature(ctx, frame.identityKey, frame.sig);
  if (!verifyDhKeySignature(frame.identityKey, frame.dhKey, frame.dhKeySig)) {
    throw new RelayError('bad_signature', 'dhKeySig does not verify with the identity key');
  }
  const result = await ctx.services.storage.createAccount(
    {
      username: frame.username,
      displayName: frame.displayName,
      identityKey: frame.identityKey,
      dhKey: frame.dhKey,
      dhKeySig: frame.dhKeySig,
    },
    ctx.services.now(),
  );
  switch (result.status) {
    case 'username_taken':
      throw new RelayError('username_taken', `@${frame.username} is already taken`);
    case 'identity_exists':
      throw new RelayError('identity_exists', 'this identity key already has an account; log in instead');
    case 'created':
      // Subscribed before answering: anything sent to the new account after the client
      // sees `session` reaches this connection.
      await ctx.signIn(result.account);
      ctx.services.logger.info('account registered', { conn: ctx.connectionId, userId: result.account.user.userId });
      ctx.reply({ t: 'session', re: frame.id, user: result.account.user });
      return;
  }
}

export async function handleLogin(ctx: RequestContext, frame: LoginFrame): Promise<void> {
  requireSupportedVersion(frame.v);
  requireSignedOut(ctx);
  requireChallengeSignature(ctx, frame.identityKey, frame.sig);
  const account = await ctx.services.storage.findAccountByIdentityKey(frame.identityKey);
  if (!account) throw new RelayError('auth_failed', 'no account has this identity key');
  await ctx.signIn(account);
  ctx.services.logger.debug('signed in', { conn: ctx.connectionId, userId: account.user.userId });
  ctx.reply({ t: 'session', re: frame.id, user: account.user });
}

/**
 * Identity reset: the signed-in account moves to a new identity key. Three proofs, checked
 * before anything changes: the new key signs this connection's challenge (`sig`), the new key
 * signs the new DH key (`dhKeySig`), and the account's current key signs the new pair
 * (`handover`). The account's prekeys are dropped with the old key; its queue stays.
 */
export async function handleRekey(ctx: RequestContext, session: Account, frame: RekeyFrame): Promise<void> {
  const { storage, logger } = ctx.services;
  requireChallengeSignature(ctx, frame.identityKey, frame.sig);
  if (!verifyDhKeySignature(frame.identityKey, frame.dhKey, frame.dhKeySig)) {
    throw new RelayError('bad_signature', 'dhKeySig does not verify with the new identity key');
  }
  // The key that must sign the handover is the one stored now, not the one cached on this
  // connection; storage re-checks it inside the write.
  const current = await storage.findUserById(session.user.userId);
  if (!current) throw new RelayError('not_found', 'this account no longer exists');
  if (!verifyRekeyHandover(current.identityKey, frame.identityKey, frame.dhKey, frame.handover)) {
    throw new RelayError('bad_signature', "handover does not verify with the account's current identity key");
  }
  const result = await storage.rekeyAccount({
    userId: current.userId,
    previousIdentityKey: current.identityKey,
    identityKey: frame.identityKey,
    dhKey: frame.dhKey,
    dhKeySig: frame.dhKeySig,
    now: ctx.services.now(),
  });
  switch (result.status) {
    case 'unknown_account':
      throw new RelayError('not_found', 'this account no longer exists');
    case 'identity_changed':
      // Another rekey committed between the check above and this write.
      throw new RelayError('bad_signature', "handover does not verify with the account's current identity key");
    case 'identity_exists':
      throw new RelayError('identity_exists', 'another account already has this identity key');
    case 'rekeyed':
      ctx.updateSessionUser(result.user);
      logger.info('identity key replaced', { conn: ctx.connectionId, userId: result.user.userId });
      ctx.reply({ t: 'session', re: frame.id, user: result.user });
      await tellPartners(ctx, result.user.userId);
      return;
  }
}

/**
 * Hints the people this user talks to that its keys changed, so their apps can show the
 * safety-number notice now rather than at their next send. Best effort: a partner who is
 * offline (or misses the hint) finds out from its next lookup, bundle or send.
 */
async function tellPartners(ctx: RequestContext, userId: string): Promise<void> {
  const { storage, bus, logger } = ctx.services;
  try {
    const devices = await storage.conversationPartnerDevices(userId);
    await Promise.all(
      devices.map((deviceId) => bus.publish(deviceTopic(deviceId), { kind: 'contact_rekeyed', userId })),
    );
  } catch (err) {
    logger.warn('could not notify conversation partners of a key reset', { userId, error: String(err) });
  }
}

/**
 * The conversation partners (as for the keyChanged push) whose identity key changed after
 * `since`: a client that was offline during a partner's rekey asks at its next login. At most
 * KEYS_CHANGED_MAX_USERS per answer; `until` tells the client where to go on from.
 */
export async function handleKeysChanged(ctx: RequestContext, session: Account, frame: KeysChangedFrame): Promise<void> {
  // Taken before the read: every change stamped up to here and committed is in the answer
  // (a rekey stamped just before but committed just after is why clients keep an overlap).
  const checkedAt = ctx.services.now();
  const changes = await ctx.services.storage.partnerKeyChangesSince(
    session.user.userId,
    frame.since,
    KEYS_CHANGED_MAX_USERS + 1,
  );
  const more = changes.length > KEYS_CHANGED_MAX_USERS;
  const listed = changes.slice(0, KEYS_CHANGED_MAX_USERS);
  let until = checkedAt;
  const last = listed.at(-1);
  if (more && last) {
    // Others may share the last listed change's millisecond: the next page starts just before
    // it (repeating some users is harmless), unless the whole page shares one millisecond.
    until = last.changedAt - 1 > frame.since ? last.changedAt - 1 : last.changedAt;
  }
  ctx.reply({
    t: 'keysChangedList',
    re: frame.id,
    userIds: listed.map((change) => change.userId),
    until: Math.max(0, until),
    more,
  });
}

function requireSupportedVersion(version: number): void {
  if (version !== PROTOCOL_VERSION) {
    throw new RelayError(
      'unsupported_version',
      `protocol version ${version} is not supported; this relay speaks version ${PROTOCOL_VERSION}`,
      CLOSE_CODES.unsupportedVersion,
    );
  }
}

function requireSignedOut(ctx: RequestContext): void {
  if (ctx.session) throw new RelayError('already_authenticated', 'this connection is already signed in');
}

function requireChallengeSignature(ctx: RequestContext, identityKey: Uint8Array, sig: Uint8Array): void {
  if (!verifyLoginSignature(identityKey, ctx.challenge, sig)) {
    throw new RelayError('auth_failed', "the signature over this connection's challenge does not verify");
  }
}
