/** The IPC requests for private groups (shared/ipc/groups.ts). */
import { IpcError, type Handlers } from '../../../shared/ipc';
import type { GROUP_REQUEST_NAMES } from '../../../shared/ipc/groupNames';
import { asIpc } from '../errors';
import type { CoreContext } from '../handlers/context';
import { sendDirectText } from '../handlers/directSend';

export function groupHandlers(ctx: CoreContext): Pick<Handlers, (typeof GROUP_REQUEST_NAMES)[number]> {
  const groups = ctx.groups;
  const relay = <T>(fn: () => Promise<T>): Promise<T> => {
    ctx.session.require();
    if (!ctx.relay.isOnline()) throw new IpcError('offline', 'groups need a connection to the relay');
    return asIpc(fn);
  };
  const local = <T>(fn: () => Promise<T>): Promise<T> => {
    ctx.session.require();
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
    'groups.send': ({ groupId, text, replyTo }) =>
      local(() => groups.send(groupId, text, replyTo !== undefined ? { replyTo } : {})),
    'groups.markRead': async ({ groupId, upToId }) => {
      ctx.session.require();
      return groups.markRead(groupId, upToId);
    },
    // Lifecycle actions work offline too: they are sealed and wait for the connection.
    'groups.edit': ({ groupId, messageId, text }) => local(() => groups.edit(groupId, messageId, text)),
    'groups.deleteForMe': ({ groupId, messageId }) =>
      local(async () => {
        groups.deleteForMe(groupId, messageId);
        return {};
      }),
    'groups.deleteForEveryone': ({ groupId, messageId }) =>
      local(async () => {
        await groups.deleteForEveryone(groupId, messageId);
        return {};
      }),
    'groups.react': ({ groupId, messageId, emoji }) => local(() => groups.react(groupId, messageId, emoji)),
    'groups.setTimer': ({ groupId, seconds }) => local(() => groups.setTimer(groupId, seconds)),
    'groups.saveDraft': ({ groupId, draft }) =>
      local(async () => {
        groups.saveDraft(groupId, draft);
        return {};
      }),
    'groups.typing': ({ groupId }) => local(async () => ({ sent: await groups.typing(groupId) })),
    'groups.forward': ({ fromChatId, fromGroupId, messageId, toChatId, toGroupId }) =>
      local(async () => {
        const text = forwardableText(ctx, fromChatId, fromGroupId, messageId);
        if (toGroupId !== undefined) await groups.send(toGroupId, text, { forwarded: true });
        else sendDirectText(ctx, toChatId!, text, { forwarded: true });
        return {};
      }),
  };
}

/** The text of a message that may be forwarded: a text, not a self-destructing one. */
function forwardableText(
  ctx: CoreContext,
  fromChatId: string | undefined,
  fromGroupId: string | undefined,
  messageId: string,
): string {
  let kind: string;
  let text: string;
  let timed: boolean;
  if (fromGroupId !== undefined) {
    const line = ctx.groups.requireText(fromGroupId, messageId);
    ({ kind, text } = line);
    timed = line.expires_in > 0;
  } else {
    const message = ctx.store.messages.get(fromChatId!, messageId);
    if (!message) throw new IpcError('not_found', 'no such message in this chat');
    ({ kind, text } = message);
    timed = message.expiresIn > 0;
  }
  if (kind !== 'text') throw new IpcError('invalid_input', 'only messages can be forwarded');
  if (timed) throw new IpcError('invalid_input', 'self-destructing messages cannot be forwarded');
  return text;
}
