import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/appStore';
import { FakeBridge, groupMessage, groupView } from '../test-support/fakeBridge';
import { startEventRouter } from './eventRouter';

const GROUP = 'g_0000000000000000000000';

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  startEventRouter(bridge, store, () => 10_000);
  store.getState().upsertGroup(groupView());
  return { bridge, store };
}

describe('group events', () => {
  it('adds lines and replaces an edited, reacted or counting-down line in place (same id)', () => {
    const { bridge, store } = setup();
    const first = groupMessage({ id: 'a', localId: 1, text: 'hello' });
    const second = groupMessage({ id: 'b', localId: 2 });
    store.getState().groupNewestPageLoaded(GROUP, [first, second], false);
    bridge.emit('group.message', { ...first, text: 'hello, edited', editedAt: 5, expiresIn: 5, expiresAt: 15_000 });
    bridge.emit('group.message', {
      ...first,
      text: 'hello, edited',
      reactions: [{ emoji: '👍', count: 1, mine: false }],
    });
    const lines = store.getState().groups.messages[GROUP]!;
    expect(lines.map((m) => m.id)).toEqual(['a', 'b']);
    expect(lines[0]).toMatchObject({ text: 'hello, edited', reactions: [{ emoji: '👍', count: 1 }] });
  });

  it('drops a removed line, shows quotes of it as missing and ends a reply to it', () => {
    const { bridge, store } = setup();
    const gone = groupMessage({ id: 'gone', localId: 1, text: 'secret' });
    const reply = groupMessage({
      id: 'reply',
      localId: 2,
      replyTo: { id: 'gone', senderId: 'bob', senderName: 'Bob', text: 'secret', missing: false },
    });
    store.getState().groupNewestPageLoaded(GROUP, [gone, reply], false);
    store.getState().setCompose(GROUP, { kind: 'reply', messageId: 'gone' });
    bridge.emit('group.messageRemoved', { groupId: GROUP, id: 'gone' });
    const lines = store.getState().groups.messages[GROUP]!;
    expect(lines.map((m) => m.id)).toEqual(['reply']);
    expect(lines[0]!.replyTo).toEqual({ id: 'gone', missing: true });
    expect(store.getState().ui.compose[GROUP]).toBeUndefined();
  });

  it('leaves another line being replied to alone when a line is removed', () => {
    const { bridge, store } = setup();
    store
      .getState()
      .groupNewestPageLoaded(
        GROUP,
        [groupMessage({ id: 'x', localId: 1 }), groupMessage({ id: 'y', localId: 2 })],
        false,
      );
    store.getState().setCompose(GROUP, { kind: 'edit', messageId: 'y' });
    bridge.emit('group.messageRemoved', { groupId: GROUP, id: 'x' });
    expect(store.getState().ui.compose[GROUP]).toEqual({ kind: 'edit', messageId: 'y' });
  });

  it('shows a member typing for a few seconds, until their message arrives', () => {
    const { bridge, store } = setup();
    store.getState().groupNewestPageLoaded(GROUP, [], false);
    bridge.emit('group.typing', { groupId: GROUP, userId: 'alice', name: 'Alice' });
    bridge.emit('group.typing', { groupId: GROUP, userId: 'bob', name: 'Bob' });
    bridge.emit('group.typing', { groupId: GROUP, userId: 'alice', name: 'Alice' });
    expect(store.getState().groups.typing[GROUP]).toEqual([
      { userId: 'alice', name: 'Alice', until: 15_000 },
      { userId: 'bob', name: 'Bob', until: 15_000 },
    ]);
    bridge.emit('group.message', groupMessage({ senderId: 'alice', senderName: 'Alice' }));
    expect(store.getState().groups.typing[GROUP]?.map((t) => t.userId)).toEqual(['bob']);
    bridge.emit('group.message', groupMessage({ senderId: 'bob', senderName: 'Bob' }));
    expect(store.getState().groups.typing[GROUP]).toBeUndefined();
  });

  it('ignores a typing event about ourselves', () => {
    const { bridge, store } = setup();
    store.getState().setProfile({ userId: 'me', username: 'me', displayName: 'Me' });
    bridge.emit('group.typing', { groupId: GROUP, userId: 'me', name: 'Me' });
    expect(store.getState().groups.typing[GROUP]).toBeUndefined();
  });

  it('no longer marks the open group read on its own (the visible pane does, up to a line)', () => {
    const { bridge, store } = setup();
    store.getState().selectGroup(GROUP);
    bridge.emit('group.updated', groupView({ unread: 2 }));
    expect(bridge.calls.filter((c) => c.name === 'groups.markRead')).toEqual([]);
    expect(store.getState().groups.byId[GROUP]?.unread).toBe(2);
  });
});
