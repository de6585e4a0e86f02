import { IpcError, type Handlers } from '../../../shared/ipc';
import { computeSafetyNumber } from '../crypto/e2ee';
import type { Account } from '../db/account';
import type { ChatRecord } from '../db/chats';
import type { Contact } from '../db/contacts';
import { chatViewOf, userViewOf } from '../messaging/views';
import type { CoreContext } from './context';

function safetyNumberOf(account: Account, peer: Contact) {
  return computeSafetyNumber(
    { identityKey: account.keys.identityPublicKey, userId: account.userId },
    { identityKey: peer.identityKey, userId: peer.userId },
  );
}

export function securityHandlers(
  ctx: CoreContext,
): Pick<Handlers, 'security.safetyNumber' | 'security.setVerified' | 'security.acceptKeyChange' | 'session.resetKeys'> {
  const { store } = ctx;

  const requirePeer = (chatId: string): { chat: ChatRecord; peer: Contact } => {
    const chat = store.chats.get(chatId);
    if (!chat) throw new IpcError('not_found', 'no such chat');
    const peer = store.contacts.get(chat.peerId);
    if (!peer) throw new Error(`chat ${chat.id} has no contact record`);
    return { chat, peer };
  };

  /** Commits a security change and announces the chat (and the held messages, which may go now). */
  const update = (chatId: string, change: (peerId: string) => void) => {
    const { chat } = requirePeer(chatId);
    store.transaction(() => change(chat.peerId));
    const view = chatViewOf(store, store.chats.get(chatId)!);
    ctx.events.emit('chat.updated', view);
    ctx.outbox.kick();
    return view;
  };

  return {
    'security.safetyNumber': ({ chatId }) => {
      const account = ctx.session.require();
      const { peer } = requirePeer(chatId);
      const security = store.security.get(peer.userId);
      const number = safetyNumberOf(account, peer);
      return {
        chatId,
        peer: userViewOf(peer),
        digits: number.digits,
        groups: number.digits.match(/\d{5}/g) ?? [],
        qrText: number.qrText,
        verified: security.verified,
        keyChanged: security.keyChanged,
      };
    },

    'security.setVerified': ({ chatId, verified, digits }) => {
      const account = ctx.session.require();
      return update(chatId, (peerId) => {
        // Bound to the number the user compared: if the key changed since it was shown
        // (a lookup or a new session landed meanwhile), verifying would vouch for a key
        // nobody compared.
        if (verified && digits !== safetyNumberOf(account, store.contacts.get(peerId)!).digits) {
          throw new IpcError(
            'safety_number_changed',
            'the safety number changed while it was being compared; compare the new one',
          );
        }
        const security = store.security.get(peerId);
        store.security.put(
          peerId,
          verified ? { verified: true, keyChanged: false, sendingHeld: false } : { ...security, verified: false },
        );
      });
    },

    'security.acceptKeyChange': ({ chatId }) => {
      ctx.session.require();
      return update(chatId, (peerId) => {
        const security = store.security.get(peerId);
        store.security.put(peerId, { ...security, keyChanged: false, sendingHeld: false });
      });
    },

    'session.resetKeys': () => ctx.session.resetKeys(),
  };
}
