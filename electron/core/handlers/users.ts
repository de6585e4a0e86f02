import { IpcError, type Handlers } from '../../../shared/ipc';
import { asIpc } from '../errors';
import { userViewOf } from '../messaging/views';
import type { CoreContext } from './context';

/** Longest username the relay allows; no longer prefix can match anyone. */
const MAX_USERNAME_LENGTH = 32;

export function userHandlers(ctx: CoreContext): Pick<Handlers, 'users.search'> {
  return {
    'users.search': async ({ query }) => {
      const account = ctx.session.require();
      const prefix = query.trim().replace(/^@/, '').toLowerCase();
      if (prefix.length === 0 || prefix.length > MAX_USERNAME_LENGTH) return { users: [] };
      if (!ctx.relay.isOnline()) throw new IpcError('offline', 'search needs a connection to the relay');
      const users = await asIpc(() => ctx.directory.search(prefix, account.userId));
      return { users: users.map(userViewOf) };
    },
  };
}
