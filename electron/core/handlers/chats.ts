import { IpcError, type Handlers } from '../../../shared/ipc';
import { userIdSchema } from '../../../shared/protocol';
import { asIpc } from '../errors';
import { chatViewOf } from '../messaging/views';
import type { CoreContext } from './context';

export function chatHandlers(ctx: CoreContext): Pick<Handlers, 'chats.list' | 'chats.openDirect'> {
  return {
    'chats.list': () => ({ chats: ctx.store.chats.list().map((chat) => chatViewOf(ctx.store, chat)) }),

    'chats.openDirect': async ({ userId }) => {
      const account = ctx.session.require();
      if (userId === account.userId) throw new IpcError('invalid_input', 'you cannot open a chat with yourself');
      if (!userIdSchema.safeParse(userId).success) throw new IpcError('not_found', 'no such user');
      // Known contacts open offline; unknown ones are looked up (and their keys pinned) first.
      const contact = await asIpc(() => ctx.directory.resolve(userId));
      const { chat, created } = ctx.store.transaction(() => ctx.store.chats.ensureDirect(contact.userId, Date.now()));
      const view = chatViewOf(ctx.store, chat);
      if (created) ctx.events.emit('chat.updated', view);
      return view;
    },
  };
}
