import { describe, expect, it } from 'vitest';
import { message } from '../test-support/fakeBridge';
import { createAppStore } from './appStore';
import { compareMessages, mergeMessages } from './messageOrder';

const ids = (store: ReturnType<typeof createAppStore>, chatId = 'dm:bob') =>
  store.getState().messages[chatId]?.items.map((m) => m.id);

describe('messages slice', () => {
  it('keeps a chat sorted by seq, with pending outbox messages after, by sentAt', () => {
    const store = createAppStore();
    store
      .getState()
      .addMessages([
        message({ id: 'pending-2', fromMe: true, status: 'sending', sentAt: 2000 }),
        message({ id: 'seq-5', seq: 5, sentAt: 5000 }),
        message({ id: 'pending-1', fromMe: true, status: 'sending', sentAt: 1000 }),
        message({ id: 'seq-3', seq: 3, sentAt: 9000 }),
      ]);
    expect(ids(store)).toEqual(['seq-3', 'seq-5', 'pending-1', 'pending-2']);
  });

  it('inserts a message once however often it arrives', () => {
    const store = createAppStore();
    const m = message({ id: 'x', seq: 1 });
    store.getState().addMessages([m]);
    store.getState().addMessages([m, { ...m }]);
    store.getState().newestPageLoaded('dm:bob', [m], null);
    expect(ids(store)).toEqual(['x']);
  });

  it('keeps chats apart', () => {
    const store = createAppStore();
    store.getState().addMessages([message({ id: 'a', chatId: 'dm:a' }), message({ id: 'b', chatId: 'dm:b' })]);
    expect(ids(store, 'dm:a')).toEqual(['a']);
    expect(ids(store, 'dm:b')).toEqual(['b']);
  });

  it('replaces a message by id on update, moving it when it gets its seq', () => {
    const store = createAppStore();
    const pending = message({ id: 'mine', fromMe: true, status: 'sending', sentAt: 100 });
    store.getState().addMessages([pending, message({ id: 'theirs', seq: 1, sentAt: 200 })]);
    expect(ids(store)).toEqual(['theirs', 'mine']);

    store.getState().applyMessageUpdate({ ...pending, seq: 2, status: 'sent' });
    store.getState().addMessages([message({ id: 'later', seq: 3 })]);
    expect(ids(store)).toEqual(['theirs', 'mine', 'later']);
    expect(store.getState().messages['dm:bob']?.items[1]?.status).toBe('sent');
  });

  it('ignores an update for a message it never held (history will bring it)', () => {
    const store = createAppStore();
    store.getState().addMessages([message({ id: 'held', seq: 9 })]);
    store.getState().applyMessageUpdate(message({ id: 'old', seq: 1, status: 'read', fromMe: true }));
    expect(ids(store)).toEqual(['held']);
  });

  it('does not roll a tick back when a stale snapshot arrives after an update', () => {
    const store = createAppStore();
    const sent = message({ id: 'mine', fromMe: true, seq: 4, status: 'sent' });
    store.getState().addMessages([sent]);
    store.getState().applyMessageUpdate({ ...sent, status: 'read' });
    // A history page requested before the receipt came in.
    store.getState().newestPageLoaded('dm:bob', [sent], 'cursor');
    expect(store.getState().messages['dm:bob']?.items[0]?.status).toBe('read');
  });

  it('prepends an older page and remembers its cursor', () => {
    const store = createAppStore();
    store.getState().newestPageLoaded('dm:bob', [message({ id: 's3', seq: 3 }), message({ id: 's4', seq: 4 })], 'c3');
    expect(store.getState().messages['dm:bob']?.olderCursor).toBe('c3');

    store.getState().olderPageStarted('dm:bob');
    expect(store.getState().messages['dm:bob']?.loadingOlder).toBe(true);
    store.getState().olderPageLoaded('dm:bob', [message({ id: 's1', seq: 1 }), message({ id: 's2', seq: 2 })], null);

    const chat = store.getState().messages['dm:bob'];
    expect(chat?.items.map((m) => m.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(chat?.olderCursor).toBeNull();
    expect(chat?.loadingOlder).toBe(false);
  });

  it('keeps the older-page cursor when the newest page is reloaded after a reconnect', () => {
    const store = createAppStore();
    store.getState().newestPageLoaded('dm:bob', [message({ id: 's10', seq: 10 })], 'c10');
    store.getState().olderPageLoaded('dm:bob', [message({ id: 's5', seq: 5 })], 'c5');
    store
      .getState()
      .newestPageLoaded('dm:bob', [message({ id: 's10', seq: 10 }), message({ id: 's11', seq: 11 })], 'c10');
    expect(store.getState().messages['dm:bob']?.olderCursor).toBe('c5');
    expect(ids(store)).toEqual(['s5', 's10', 's11']);
  });

  it('returns the same list when a merge changes nothing, so subscribers do not re-render', () => {
    const list = mergeMessages([], [message({ id: 'a', seq: 1 })]);
    expect(mergeMessages(list, [list[0]!])).toBe(list);
  });

  it('orders equal seqs and equal times deterministically by id', () => {
    const a = message({ id: 'a', sentAt: 1 });
    const b = message({ id: 'b', sentAt: 1 });
    expect(compareMessages(a, b)).toBeLessThan(0);
    expect(compareMessages(b, a)).toBeGreaterThan(0);
  });

  it('forgets every chat but the open one', () => {
    const store = createAppStore();
    store.getState().addMessages([message({ chatId: 'dm:a' }), message({ chatId: 'dm:b' })]);
    store.getState().forgetMessagesExcept('dm:b');
    expect(Object.keys(store.getState().messages)).toEqual(['dm:b']);
  });
});
