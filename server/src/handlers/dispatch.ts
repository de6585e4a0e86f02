/**
 * Routes a validated client frame to its handler, enforcing sign-in where needed.
 */
import { isChannelClientFrame, isGroupClientFrame, type ClientFrame } from '../../../shared/protocol';
import { dispatchChannel } from '../channels/handlers';
import { dispatchGroup } from '../groups/handlers';
import { handleKeysChanged, handleLogin, handleRekey, handleRegister } from './auth';
import type { RequestContext } from './context';
import { handleLookup, handleProfile, handleSearch } from './directory';
import { handleAck, handleSend, handleSync } from './messaging';
import { handleBundle, handlePreKeys } from './prekeys';
import { RelayError } from './relayError';

export async function dispatch(ctx: RequestContext, frame: ClientFrame): Promise<void> {
  switch (frame.t) {
    case 'register':
      return handleRegister(ctx, frame);
    case 'login':
      return handleLogin(ctx, frame);
    case 'ping':
      ctx.reply({ t: 'ok', re: frame.id });
      return;
  }
  const session = ctx.session;
  if (!session) throw new RelayError('unauthenticated', `sign in (register or login) before '${frame.t}'`);
  if (isChannelClientFrame(frame)) return dispatchChannel(ctx, session, frame);
  if (isGroupClientFrame(frame)) return dispatchGroup(ctx, session, frame);
  switch (frame.t) {
    case 'lookup':
      return handleLookup(ctx, frame);
    case 'search':
      return handleSearch(ctx, frame);
    case 'profile':
      return handleProfile(ctx, session, frame);
    case 'send':
      return handleSend(ctx, session, frame);
    case 'prekeys':
      return handlePreKeys(ctx, session, frame);
    case 'bundle':
      return handleBundle(ctx, session, frame);
    case 'rekey':
      return handleRekey(ctx, session, frame);
    case 'keysChanged':
      return handleKeysChanged(ctx, session, frame);
    case 'sync':
      return handleSync(ctx, frame);
    case 'ack':
      return handleAck(ctx, session, frame);
    default:
      return assertNever(frame);
  }
}

function assertNever(frame: never): never {
  throw new Error(`unhandled frame type ${(frame as { t: string }).t}`);
}
