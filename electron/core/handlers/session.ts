import type { Handlers } from '../../../shared/ipc';
import { profileViewOf } from '../messaging/views';
import type { CoreContext } from './context';

export function sessionHandlers(
  ctx: CoreContext,
): Pick<Handlers, 'session.status' | 'session.signUp' | 'session.updateProfile' | 'connection.status'> {
  return {
    'session.status': () => {
      const account = ctx.session.current();
      return { profile: account ? profileViewOf(account) : null };
    },
    'session.signUp': (input) => ctx.session.signUp(input),
    'session.updateProfile': (input) => ctx.session.updateProfile(input.displayName),
    'connection.status': () => ctx.relay.view(),
  };
}
