import { describe, expect, it } from 'vitest';
import type { ChatView } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/appStore';
import { FakeBridge, message } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const me = { userId: 'me', username: 'me', displayName: 'Me' };
const bob = { userId: 'bob', username: 'bob', displayName: 'Bob' };
const bobChat: ChatView = {
  id: 'dm:bob',
  kind: 'direct',
  peer: bob,
  unread: 2,
  updatedAt: 1,
  encrypted: true,
  timer: 0,
  draft: '',
  readReceipts: true,
  security: { verified: false, keyChanged: false, sendingHeld: false },
};

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  store.getState().setProfile(me);
  return { bridge, store, actions: createActions({ bridge, store }) };
}

describe('actions', () => {
  it('sends the draft, clearing it at once and adding the queued message', async () => {
    const { bridge, store, actions } = setup();
    const queued = message({ id: 'q', fromMe: true, status: 'sending', text: 'hello' });
    bridge.handle('messages.send', () => ({ ok: true, value: queued }));
    store.getState().setDraft('dm:bob', 'hello');

    const sending = actions.sendDraft('dm:bob');
    expect(store.getState().ui.drafts['dm:bob']).toBeUndefined();
    await sending;
    expect(bridge.calls).toEqual([{ name: 'messages.send', input: { chatId: 'dm:bob', text: 'hello' } }]);
    expect(store.getState().messages['dm:bob']?.items).toEqual([queued]);
  });

  it('puts the text back when the send fails, ahead of anything typed since', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('messages.send', () => {
      store.getState().setDraft('dm:bob', 'typed meanwhile');
      return { ok: false, code: 'offline', message: 'lost connection' };
    });
    store.getState().setDraft('dm:bob', 'important');
    const result = await actions.sendDraft('dm:bob');
    expect(result).toMatchObject({ ok: false, code: 'offline' });
    expect(store.getState().ui.drafts['dm:bob']).toBe('important\ntyped meanwhile');
  });

  it('does not send a blank draft', async () => {
    const { bridge, store, actions } = setup();
    store.getState().setDraft('dm:bob', '  \n ');
    expect(await actions.sendDraft('dm:bob')).toBeNull();
    expect(bridge.calls).toEqual([]);
  });

  it('leaves ourselves out of search results', async () => {
    const { bridge, actions } = setup();
    bridge.handle('users.search', () => ({ ok: true, value: { users: [me, bob] } }));
    expect(await actions.searchUsers('@b')).toEqual({ ok: true, value: [bob] });
  });

  it('opens a direct chat: stores it, selects it and loads its newest page', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('chats.openDirect', () => ({ ok: true, value: bobChat }));
    bridge.handle('messages.history', () => ({ ok: true, value: { messages: [message({ seq: 1 })], cursor: null } }));
    await actions.openDirectChat('bob');
    // The page load it starts is not awaited by openDirectChat; let its promise chain finish.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().ui.selectedChatId).toBe('dm:bob');
    expect(store.getState().chats.byId['dm:bob']).toEqual(bobChat);
    expect(bridge.calls.map((c) => c.name)).toEqual(['chats.openDirect', 'messages.history']);
    expect(store.getState().messages['dm:bob']?.newestLoaded).toBe(true);
  });

  it('pages back with the cursor, and stops at the beginning', async () => {
    const { bridge, store, actions } = setup();
    store.getState().newestPageLoaded('dm:bob', [message({ id: 's2', seq: 2 })], 'c2');
    bridge.handle('messages.history', () => ({ ok: true, value: { messages: [message({ seq: 1 })], cursor: null } }));
    await actions.loadOlderPage('dm:bob');
    await actions.loadOlderPage('dm:bob');
    expect(bridge.calls).toEqual([{ name: 'messages.history', input: { chatId: 'dm:bob', before: 'c2', limit: 50 } }]);
    expect(store.getState().messages['dm:bob']?.items).toHaveLength(2);
  });

  it('clears the unread badge from the answer to markRead', async () => {
    const { bridge, store, actions } = setup();
    store.getState().upsertChat(bobChat);
    bridge.handle('messages.markRead', () => ({ ok: true, value: { unread: 0 } }));
    expect(await actions.markRead('dm:bob', 'm1')).toBe(true);
    expect(store.getState().chats.byId['dm:bob']?.unread).toBe(0);
  });

  it('records why the session could not be loaded', async () => {
    const { store, actions } = setup();
    await actions.loadSession();
    expect(store.getState().session.loadError).toBe('unknown_request');
  });
});
