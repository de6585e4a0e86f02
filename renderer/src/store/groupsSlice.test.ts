import { describe, expect, it } from 'vitest';
import { groupMessage } from '../test-support/fakeBridge';
import { createAppStore } from './appStore';
import { typistsAt } from './groupsSlice';

const GROUP = 'g_0000000000000000000000';

describe('groups state', () => {
  it('keeps lines in local order and replaces one by id', () => {
    const store = createAppStore();
    store.getState().setGroupMessages(GROUP, [groupMessage({ id: 'a', localId: 1 })]);
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
      .setGroupMessages(GROUP, [
        groupMessage({ id: 'a', localId: 1, text: 'old' }),
        groupMessage({ id: 'b', localId: 2, replyTo: quote }),
      ]);
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
      .setGroupMessages(GROUP, [
        groupMessage({ id: 'a', localId: 1 }),
        groupMessage({ id: 'b', localId: 2, replyTo: quote }),
      ]);
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
