import { describe, expect, it } from 'vitest';
import { groupMessage } from '../test-support/fakeBridge';
import { createAppStore } from './appStore';
import { typistsAt } from './groupsSlice';

const GROUP = 'g_0000000000000000000000';

describe('groups state', () => {
  it('keeps lines in local order and replaces one by id', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [groupMessage({ id: 'a', localId: 1 })], false);
    store.getState().putGroupMessage(groupMessage({ id: 'c', localId: 3 }));
    store.getState().putGroupMessage(groupMessage({ id: 'b', localId: 2 }));
    store.getState().putGroupMessage(groupMessage({ id: 'a', localId: 1, text: 'edited', editedAt: 9 }));
    const lines = store.getState().groups.messages[GROUP]!;
    expect(lines.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]).toMatchObject({ text: 'edited', editedAt: 9 });
  });

  it('updates quotes of a line when its text is edited', () => {
    const store = createAppStore();
    const quote = { id: 'a', senderId: 'bob', senderName: 'Bob', text: 'old', missing: false };
    store
      .getState()
      .groupNewestPageLoaded(
        GROUP,
        [groupMessage({ id: 'a', localId: 1, text: 'old' }), groupMessage({ id: 'b', localId: 2, replyTo: quote })],
        false,
      );
    store.getState().putGroupMessage(groupMessage({ id: 'a', localId: 1, text: 'new', editedAt: 3 }));
    expect(store.getState().groups.messages[GROUP]?.[1]?.replyTo).toEqual({ ...quote, text: 'new' });
  });

  it('ignores lines of a group whose history is not loaded', () => {
    const store = createAppStore();
    store.getState().putGroupMessage(groupMessage({ id: 'a' }));
    expect(store.getState().groups.messages[GROUP]).toBeUndefined();
  });

  it('removes a line: it goes, quotes of it keep only that it is missing', () => {
    const store = createAppStore();
    const quote = { id: 'a', senderId: 'bob', senderName: 'Bob', text: 'the text', missing: false };
    store
      .getState()
      .groupNewestPageLoaded(
        GROUP,
        [groupMessage({ id: 'a', localId: 1 }), groupMessage({ id: 'b', localId: 2, replyTo: quote })],
        false,
      );
    store.getState().removeGroupMessage(GROUP, 'a');
    expect(store.getState().groups.messages[GROUP]).toEqual([
      expect.objectContaining({ id: 'b', replyTo: { id: 'a', missing: true } }),
    ]);
    // Unknown ids and groups change nothing.
    const before = store.getState();
    store.getState().removeGroupMessage(GROUP, 'zzz');
    store.getState().removeGroupMessage('g_other', 'a');
    expect(store.getState()).toBe(before);
  });

  it('tracks typists per group, refreshing one in place, and drops them', () => {
    const store = createAppStore();
    store.getState().setGroupTyping(GROUP, 'a', 'Alice', 100);
    store.getState().setGroupTyping(GROUP, 'b', 'Bob', 200);
    store.getState().setGroupTyping(GROUP, 'a', 'Alice', 300);
    const typists = store.getState().groups.typing[GROUP];
    expect(typists?.map((t) => [t.userId, t.until])).toEqual([
      ['a', 300],
      ['b', 200],
    ]);
    expect(typistsAt(typists, 250).map((t) => t.name)).toEqual(['Alice']);
    expect(typistsAt(undefined, 0)).toEqual([]);
    store.getState().setGroupTyping(GROUP, 'a', 'Alice', null);
    store.getState().setGroupTyping(GROUP, 'b', 'Bob', null);
    expect(store.getState().groups.typing).toEqual({});
  });
});

describe('group history paging state', () => {
  const line = (id: string, localId: number, overrides: Parameters<typeof groupMessage>[0] = {}) =>
    groupMessage({ id, localId, ...overrides });
  const ids = (store: ReturnType<typeof createAppStore>) => store.getState().groups.messages[GROUP]?.map((m) => m.id);
  const history = (store: ReturnType<typeof createAppStore>) => store.getState().groups.history[GROUP];

  it('merges an older page by id before what is held, in local order', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [line('c', 30), line('d', 40)], true);
    expect(history(store)).toEqual({ newestLoaded: true, hasMore: true, loadingOlder: false });
    store.getState().groupOlderPageStarted(GROUP);
    expect(history(store)?.loadingOlder).toBe(true);
    // Overlapping the held lines ('c' again) and out of order: one copy each, ordered.
    store.getState().groupOlderPageLoaded(GROUP, [line('b', 20), line('a', 10), line('c', 30)], false);
    expect(ids(store)).toEqual(['a', 'b', 'c', 'd']);
    expect(history(store)).toEqual({ newestLoaded: true, hasMore: false, loadingOlder: false });
  });

  it('ends the history at an empty older page, and a failed one can be asked for again', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [line('c', 30)], true);
    store.getState().groupOlderPageStarted(GROUP);
    store.getState().groupOlderPageFailed(GROUP);
    expect(history(store)).toEqual({ newestLoaded: true, hasMore: true, loadingOlder: false });
    store.getState().groupOlderPageStarted(GROUP);
    store.getState().groupOlderPageLoaded(GROUP, [], true);
    expect(history(store)?.hasMore).toBe(false);
  });

  it('keeps lines that arrived by event while the newest page was on its way', () => {
    const store = createAppStore();
    store.getState().groupNewestPageStarted(GROUP);
    store.getState().putGroupMessage(line('late', 50, { text: 'arrived meanwhile' }));
    store.getState().groupNewestPageLoaded(GROUP, [line('a', 10), line('b', 20)], false);
    expect(ids(store)).toEqual(['a', 'b', 'late']);
  });

  it('does not roll a line back to an older copy from a page asked for before its update', () => {
    const store = createAppStore();
    store.getState().groupNewestPageStarted(GROUP);
    store.getState().putGroupMessage(line('mine', 10, { fromMe: true, status: 'read', readCount: 2 }));
    store.getState().groupNewestPageLoaded(GROUP, [line('mine', 10, { fromMe: true, status: 'sent' })], false);
    expect(store.getState().groups.messages[GROUP]?.[0]).toMatchObject({ status: 'read', readCount: 2 });
    // A newer copy from the page does win.
    store
      .getState()
      .groupNewestPageLoaded(GROUP, [line('mine', 10, { fromMe: true, status: 'read', readCount: 3 })], false);
    expect(store.getState().groups.messages[GROUP]?.[0]).toMatchObject({ readCount: 3 });
  });

  it('keeps older pages held, and whether more exist, when the newest page is loaded again', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [line('c', 30), line('d', 40)], true);
    store.getState().groupOlderPageStarted(GROUP);
    store.getState().groupOlderPageLoaded(GROUP, [line('b', 20)], true);
    // Reloaded (a membership change): overlaps what we hold, says "more" only about itself.
    store.getState().groupNewestPageLoaded(GROUP, [line('d', 40), line('e', 50)], true);
    expect(ids(store)).toEqual(['b', 'c', 'd', 'e']);
    expect(history(store)?.hasMore).toBe(true);
    store.getState().groupOlderPageStarted(GROUP);
    store.getState().groupOlderPageLoaded(GROUP, [line('a', 10)], false);
    store.getState().groupNewestPageLoaded(GROUP, [line('e', 50)], true);
    expect(ids(store)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(history(store)?.hasMore).toBe(false);
  });

  it('starts paging again from a newest page that does not join up with the lines held', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [line('a', 10), line('b', 20)], false);
    // Many lines came while events were lost: the page shares none of ours.
    store.getState().groupNewestPageLoaded(GROUP, [line('y', 90), line('z', 100)], true);
    expect(ids(store)).toEqual(['y', 'z']);
    expect(history(store)?.hasMore).toBe(true);
  });

  it('leaves a new line older than the oldest held to the older pages still to come', () => {
    const store = createAppStore();
    store.getState().groupNewestPageLoaded(GROUP, [line('c', 30)], true);
    store.getState().putGroupMessage(line('opened late', 5));
    expect(ids(store)).toEqual(['c']);
    // Once the whole history is held, it takes its place.
    store.getState().groupOlderPageStarted(GROUP);
    store.getState().groupOlderPageLoaded(GROUP, [line('a', 10)], false);
    store.getState().putGroupMessage(line('opened late', 5));
    expect(ids(store)).toEqual(['opened late', 'a', 'c']);
  });
});
