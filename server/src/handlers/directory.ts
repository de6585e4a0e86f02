/**
 * Finding people and managing one's own profile: lookup, search, profile.
 */
import type { ClientFrame, FrameOf } from '../../../shared/protocol';
import type { Account } from '../storage/storage';
import type { RequestContext } from './context';
import { RelayError } from './relayError';

/** The protocol's `users` frame carries at most this many users. */
const USERS_FRAME_MAX = 50;

export async function handleLookup(ctx: RequestContext, frame: FrameOf<ClientFrame, 'lookup'>): Promise<void> {
  const { storage } = ctx.services;
  if ((frame.username === undefined) === (frame.userId === undefined)) {
    throw new RelayError('bad_frame', 'lookup needs exactly one of username or userId');
  }
  const user =
    frame.username !== undefined
      ? await storage.findUserByUsername(frame.username)
      : await storage.findUserById(frame.userId ?? '');
  if (!user) throw new RelayError('not_found', 'no such user');
  ctx.reply({ t: 'user', re: frame.id, user });
}

export async function handleSearch(ctx: RequestContext, frame: FrameOf<ClientFrame, 'search'>): Promise<void> {
  const limit = Math.min(ctx.services.limits.maxSearchResults, USERS_FRAME_MAX);
  // Usernames are lower-case; the storage matches the prefix literally (no wildcards).
  const users = await ctx.services.storage.searchUsersByUsernamePrefix(frame.prefix.toLowerCase(), limit);
  ctx.reply({ t: 'users', re: frame.id, users });
}

export async function handleProfile(
  ctx: RequestContext,
  session: Account,
  frame: FrameOf<ClientFrame, 'profile'>,
): Promise<void> {
  const user = await ctx.services.storage.updateDisplayName(session.user.userId, frame.displayName);
  if (!user) throw new RelayError('not_found', 'this account no longer exists');
  ctx.updateSessionUser(user);
  ctx.reply({ t: 'session', re: frame.id, user });
}
