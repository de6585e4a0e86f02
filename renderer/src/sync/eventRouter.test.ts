import { describe, expect, it } from 'vitest';
import type { ChatView } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/appStore';
import { FakeBridge, message } from '../test-support/fakeBridge';
import { startEventRouter } from './eventRouter';

const bob = { userId: 'bob', username: 'bob', displayName: 'Bob' };
const chat = (overrides: Partial<ChatView> = {}): ChatView => ({
  id: 'dm:bob',
  kind: 'direct',
  peer: bob,
  unread: 0,
  updatedAt: 1,
  encrypted: true,
  timer: 0,
  draft: '',
  readReceipts: true,
  security: { verified: false, keyChanged: false, sendingHeld: false },
  ...overrides,
});

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  const stop = startEventRouter(bridge, store, () => 10_000);
  return { bridge, store, stop };
}

describe('event router', () => {
  it('applies session.changed', () => {
    const { bridge, store } = setup();
    bridge.emit('session.changed', { profile: { userId: 'me', username: 'me', displayName: 'Me' } });
    expect(store.getState().session).toMatchObject({ status: 'signedIn', profile: { userId: 'me' } });
    bridge.emit('session.changed', { profile: null });
    expect(store.getState().session.status).toBe('signedOut');
  });

  it('applies connection.changed, turning the retry delay into a deadline', () => {
    const { bridge, store } = setup();
    bridge.emit('connection.changed', { state: 'offline', retryInMs: 3_000, relayUrl: 'ws://relay' });
    expect(store.getState().connection).toMatchObject({ relay: { state: 'offline' }, retryAt: 13_000 });
    bridge.emit('connection.changed', { state: 'online', relayUrl: 'ws://relay' });
    expect(store.getState().connection.retryAt).toBeNull();
  });

  it('adds messages, de-duplicated, and replaces them on message.updated', () => {
    const { bridge, store } = setup();
    const sent = message({ id: 'm', fromMe: true, status: 'sending' });
    bridge.emit('message.added', sent);
    bridge.emit('message.added', sent);
    bridge.emit('message.updated', { ...sent, seq: 1, status: 'delivered' });
    expect(store.getState().messages['dm:bob']?.items).toEqual([{ ...sent, seq: 1, status: 'delivered' }]);
  });

  it('drops a removed (expired or deleted) message from the state and ends a reply to it', () => {
    const { bridge, store } = setup();
    const timed = message({ id: 'gone', expiresIn: 5, expiresAt: 15_000 });
    const kept = message({ id: 'kept', replyTo: { id: 'gone', senderId: 'bob', text: 'secret', missing: false } });
    bridge.emit('message.added', timed);
    bridge.emit('message.added', kept);
    store.getState().setCompose('dm:bob', { kind: 'reply', messageId: 'gone' });
    bridge.emit('message.removed', { chatId: 'dm:bob', id: 'gone' });
    expect(store.getState().messages['dm:bob']?.items.map((m) => m.id)).toEqual(['kept']);
    expect(store.getState().messages['dm:bob']?.items[0]?.replyTo).toEqual({ id: 'gone', missing: true });
    expect(store.getState().ui.compose['dm:bob']).toBeUndefined();
  });

  it('shows typing until a few seconds later, or until the peer’s message arrives', () => {
    const { bridge, store } = setup();
    bridge.emit('chat.typing', { chatId: 'dm:bob', userId: 'bob' });
    expect(store.getState().ui.typingUntil['dm:bob']).toBe(15_000);
    bridge.emit('message.added', message({ id: 'x', fromMe: false }));
    expect(store.getState().ui.typingUntil['dm:bob']).toBeUndefined();
  });

  it('upserts chats on chat.updated', () => {
    const { bridge, store } = setup();
    bridge.emit('chat.updated', chat({ unread: 1 }));
    bridge.emit('chat.updated', chat({ unread: 2, updatedAt: 5 }));
    expect(store.getState().chats.byId['dm:bob']).toMatchObject({ unread: 2, updatedAt: 5 });
  });

  it("keeps a chat's preview tick in step with its last message's status", () => {
    const { bridge, store } = setup();
    const last = message({ id: 'last', fromMe: true, status: 'sent', seq: 3 });
    bridge.emit('chat.updated', chat({ lastMessage: last }));
    bridge.emit('message.updated', { ...last, status: 'read' });
    expect(store.getState().chats.byId['dm:bob']?.lastMessage?.status).toBe('read');
    // An update to another message leaves the preview alone.
    bridge.emit('message.updated', message({ id: 'older', fromMe: true, status: 'failed' }));
    expect(store.getState().chats.byId['dm:bob']?.lastMessage?.id).toBe('last');
  });

  it('unsubscribes everything when stopped', () => {
    const { bridge, store, stop } = setup();
    expect(bridge.listenerCount()).toBeGreaterThanOrEqual(7); // one per event, channels' included
    stop();
    expect(bridge.listenerCount()).toBe(0);
    bridge.emit('chat.updated', chat());
    expect(store.getState().chats.byId).toEqual({});
  });
});
