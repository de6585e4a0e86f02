/** The IPC requests for channels (shared/ipc/channels.ts). */
import { IpcError, type Handlers } from '../../../shared/ipc';
import type { CHANNEL_REQUEST_NAMES } from '../../../shared/ipc/channelNames';
import { asIpc } from '../errors';
import type { CoreContext } from '../handlers/context';
import { RelayError } from '../relay/relayError';

/** Relay refusals worded for people (the rest keep asIpc's generic wording). */
const CHANNEL_ERRORS: Partial<Record<string, string>> = {
  handle_taken: 'that handle is taken',
  unknown_channel: 'no such channel',
  invalid_invite: 'this invite link is not valid or was revoked',
  not_admin: 'only admins of this channel can do that',
  not_owner: "only the channel's owner can do that",
  post_too_large: 'the post is too long',
  admin_limit: 'the channel has as many admins (or removed admins) as it can keep',
  identity_changed: 'that person reset their keys meanwhile; try again',
};

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RelayError && CHANNEL_ERRORS[err.code] !== undefined) {
      throw new IpcError(err.code === 'unknown_channel' ? 'not_found' : 'relay_error', CHANNEL_ERRORS[err.code]!);
    }
    throw err;
  }
}

export function channelHandlers(ctx: CoreContext): Pick<Handlers, (typeof CHANNEL_REQUEST_NAMES)[number]> {
  const channels = ctx.channels;
  const online = () => {
    ctx.session.require();
    if (!ctx.relay.isOnline()) throw new IpcError('offline', 'channels need a connection to the relay');
  };
  const relay = <T>(fn: () => Promise<T>): Promise<T> => {
    online();
    return asIpc(() => call(fn));
  };
  return {
    'channels.list': async () => ({ channels: channels.list() }),
    'channels.create': (input) => relay(() => channels.create(input)),
    'channels.search': async ({ query }) => ({ channels: await relay(() => channels.search(query)) }),
    'channels.preview': ({ channelId }) => relay(() => channels.preview(channelId)),
    'channels.avatar': async ({ channelId }) => {
      ctx.session.require();
      // A local channel's avatar is served offline too; others need the relay.
      if (channels.repo.get(channelId)) return { avatar: await channels.avatar(channelId) };
      return { avatar: await relay(() => channels.avatar(channelId)) };
    },
    'channels.subscribe': ({ channelId }) => relay(() => channels.subscribe(channelId)),
    'channels.unsubscribe': async ({ channelId }) => {
      await relay(() => channels.unsubscribe(channelId));
      return {};
    },
    'channels.setMuted': async ({ channelId, muted }) => channels.setMuted(channelId, muted),
    'channels.history': ({ channelId, beforeSeq, limit }) =>
      asIpc(() => call(() => channels.history(channelId, beforeSeq, limit))),
    'channels.markRead': async ({ channelId, seqs }) => channels.markRead(channelId, seqs),
    'channels.stats': ({ channelId, seqs }) => relay(() => channels.stats(channelId, seqs)),
    'channels.post': ({ channelId, text }) => relay(() => channels.post(channelId, text)),
    'channels.editPost': async ({ channelId, postId, text }) => {
      const view = await relay(() => channels.editPost(channelId, postId, text));
      if (!view) throw new IpcError('internal', 'the edit was stored as a deletion');
      return view;
    },
    'channels.deletePost': async ({ channelId, postId }) => {
      await relay(() => channels.editPost(channelId, postId, null));
      return {};
    },
    'channels.pin': ({ channelId, postId }) => relay(() => channels.pin(channelId, postId)),
    'channels.addAdmin': ({ channelId, username }) => relay(() => channels.addAdmin(channelId, username)),
    'channels.admins': async ({ channelId }) => ({ admins: await relay(() => channels.owner.admins(channelId)) }),
    'channels.removeAdmin': ({ channelId, userId }) => relay(() => channels.owner.removeAdmin(channelId, userId)),
    'channels.setAvatar': ({ channelId, avatar }) => relay(() => channels.owner.setAvatar(channelId, avatar)),
    'channels.createInvite': ({ channelId }) => relay(() => channels.createInvite(channelId)),
    'channels.revokeInvite': async ({ channelId, token }) => {
      await relay(() => channels.revokeInvite(channelId, token));
      return {};
    },
    'channels.joinByInvite': ({ link }) => relay(() => channels.joinByInvite(link)),
  };
}
