import type { Handlers } from '../../../shared/ipc';
import { channelHandlers } from '../channels/handlers';
import { groupHandlers } from '../groups/handlers';
import { chatHandlers } from './chats';
import type { CoreContext } from './context';
import { lifecycleHandlers } from './lifecycle';
import { messageHandlers } from './messages';
import { securityHandlers } from './security';
import { sessionHandlers } from './session';
import { userHandlers } from './users';

/** The core's implementation of every request in the IPC contract. */
export function createHandlers(ctx: CoreContext): Handlers {
  return {
    ...sessionHandlers(ctx),
    ...userHandlers(ctx),
    ...chatHandlers(ctx),
    ...messageHandlers(ctx),
    ...lifecycleHandlers(ctx),
    ...channelHandlers(ctx),
    ...groupHandlers(ctx),
    ...securityHandlers(ctx),
  };
}
