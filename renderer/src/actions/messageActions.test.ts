import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/appStore';
import { FakeBridge, message } from '../test-support/fakeBridge';
import { createActions } from './createActions';
import { loadOlderUntil } from './loadOlderUntil';

const CHAT = 'dm:bob';

/** 120 messages, paged 50 at a time by a cursor that is the oldest id of the page. */
function setup() {
  const all: MessageView[] = Array.from({ length: 120 }, (_, i) =>
    message({ id: `m${i + 1}`, seq: i + 1, sentAt: 1_000 + i }),
  );
  const bridge = new FakeBridge();
  const store = createAppStore();
  bridge.handle('messages.history', ({ before, limit }) => {
    const end = before === undefined ? all.length : all.findIndex((m) => m.id === before);
    const start = Math.max(0, end - (limit ?? 50));
    return { ok: true, value: { messages: all.slice(start, end), cursor: start > 0 ? all[start]!.id : null } };
  });
  const requests = () => bridge.calls.filter((c) => c.name === 'messages.history');
  return { store, actions: createActions({ bridge, store }), requests };
}

describe('1:1 history paging', () => {
  it('asks once when an older page is asked for again while it is on its way', async () => {
    const { store, actions, requests } = setup();
    await actions.loadNewestPage(CHAT);
    const first = actions.loadOlderPage(CHAT);
    expect(actions.loadOlderPage(CHAT)).toBe(first);
    expect(await first).toBe(true);
    expect(requests()).toHaveLength(2);
    expect(store.getState().messages[CHAT]?.items).toHaveLength(100);
  });

  it('loads older pages until a quoted message is there, or the beginning', async () => {
    const { store, actions, requests } = setup();
    await actions.loadNewestPage(CHAT);
    expect(await actions.revealMessage(CHAT, 'm3')).toBe(true);
    expect(requests()).toHaveLength(3);
    expect(store.getState().messages[CHAT]?.items[0]?.id).toBe('m1');
    expect(await actions.revealMessage(CHAT, 'not-there')).toBe(false);
    expect(requests()).toHaveLength(3);
  });
});

describe('loadOlderUntil', () => {
  it('stops at a page that fails, or when nothing older remains', async () => {
    let pages = 0;
    const failing = await loadOlderUntil({
      holds: () => false,
      hasOlder: () => true,
      loadOlder: () => Promise.resolve(++pages < 2),
    });
    expect([failing, pages]).toEqual([false, 2]);
    const ended = await loadOlderUntil({
      holds: () => false,
      hasOlder: () => false,
      loadOlder: () => Promise.reject(),
    });
    expect(ended).toBe(false);
    const found = await loadOlderUntil({
      holds: () => pages >= 4,
      hasOlder: () => true,
      loadOlder: () => Promise.resolve(++pages > 0),
    });
    expect([found, pages]).toEqual([true, 4]);
  });
});
