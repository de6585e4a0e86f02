/** The IPC requests for private groups (shared/ipc/groups.ts). */
import { IpcError, type Handlers } from '../../../shared/ipc';
import type { GROUP_REQUEST_NAMES } from '../../../shared/ipc/groupNames';
import { asIpc } from '../errors';
import type { CoreContext } from '../handlers/context';

export function groupHandlers(ctx: CoreContext): Pick<Handlers, (typeof GROUP_REQUEST_NAMES)[number]> {
  const groups = ctx.groups;
  const relay = <T>(fn: () => Promise<T>): Promise<T> => {
    ctx.session.require();
    if (!ctx.relay.isOnline()) throw new IpcError('offline', 'groups need a connection to the relay');
    return asIpc(fn);
  };
  return {
    'groups.list': async () => {
      ctx.session.require();
      return { groups: groups.list() };
    },
    'groups.create': ({ name, memberIds }) => relay(() => groups.create(name, memberIds)),
    'groups.addMembers': ({ groupId, userIds }) => relay(() => groups.addMembers(groupId, userIds)),
    'groups.removeMember': ({ groupId, userId }) => relay(() => groups.removeMember(groupId, userId)),
    'groups.leave': ({ groupId }) => relay(() => groups.leave(groupId)),
    'groups.setRole': ({ groupId, userId, role }) => relay(() => groups.setRole(groupId, userId, role)),
    'groups.rename': ({ groupId, name }) => relay(() => groups.rename(groupId, name)),
    'groups.createInvite': ({ groupId, approval }) => relay(() => groups.createInvite(groupId, approval)),
    'groups.revokeInvite': ({ groupId, token }) => relay(() => groups.revokeInvite(groupId, token)),
    'groups.joinByInvite': ({ link }) => relay(() => groups.joinByInvite(link)),
    'groups.approve': ({ groupId, userId }) => relay(() => groups.approve(groupId, userId)),
    'groups.members': async ({ groupId }) => {
      ctx.session.require();
      return { members: groups.members(groupId), pending: await groups.pending(groupId) };
    },
    'groups.history': async ({ groupId, beforeLocalId }) => {
      ctx.session.require();
      return groups.history(groupId, beforeLocalId);
    },
    // Sending works offline: the sealed message waits for the connection.
    'groups.send': ({ groupId, text }) => {
      ctx.session.require();
      return asIpc(() => groups.send(groupId, text));
    },
    'groups.markRead': async ({ groupId }) => {
      ctx.session.require();
      return groups.markRead(groupId);
    },
  };
}
