/**
 * Turns "this changed in the store" into contract events carrying fresh views. Services
 * call these after their transaction committed, so an event never announces something a
 * crash could still undo.
 */
import type { Account } from '../db/account';
import type { Store } from '../db/store';
import type { CoreEvents } from '../events';
import { chatViewOf, fullMessageViewOf, profileViewOf } from './views';

export class ViewEvents {
  constructor(
    private readonly store: Store,
    private readonly events: CoreEvents,
  ) {}

  messageAdded(localId: number): void {
    const message = this.store.messages.getByLocalId(localId);
    if (message) this.events.emit('message.added', fullMessageViewOf(this.store, message));
  }

  messageUpdated(localId: number): void {
    const message = this.store.messages.getByLocalId(localId);
    if (message) this.events.emit('message.updated', fullMessageViewOf(this.store, message));
  }

  chatUpdated(chatId: string): void {
    const chat = this.store.chats.get(chatId);
    if (chat) this.events.emit('chat.updated', chatViewOf(this.store, chat));
  }

  messageRemoved(chatId: string, id: string): void {
    this.events.emit('message.removed', { chatId, id });
  }

  typing(chatId: string, userId: string): void {
    this.events.emit('chat.typing', { chatId, userId });
  }

  sessionChanged(account: Account | null): void {
    this.events.emit('session.changed', { profile: account ? profileViewOf(account) : null });
  }
}
