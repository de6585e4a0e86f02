import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GroupMessageView } from '../../../shared/ipc';
import { createAppStore } from '../store/appStore';
import { startEventRouter } from '../sync/eventRouter';
import { FakeBridge, groupMessage, groupView } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const GROUP = 'g_0000000000000000000000';

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  store.getState().setProfile({ userId: 'me', username: 'me', displayName: 'Me' });
  store.getState().upsertGroup(groupView());
  store.getState().groupNewestPageLoaded(GROUP, [groupMessage({ id: 'a', localId: 1, text: 'hello' })], false);
  return { bridge, store, actions: createActions({ bridge, store }) };
}

describe('group lifecycle actions', () => {
  it('sends the draft as a reply, clearing the composer at once', async () => {
    const { bridge, store, actions } = setup();
    const sent = groupMessage({ id: 'b', localId: 2, fromMe: true, text: 'answer', status: 'sending' });
    bridge.handle('groups.send', () => ({ ok: true, value: sent }));
    store.getState().setDraft(GROUP, 'answer');
    store.getState().setCompose(GROUP, { kind: 'reply', messageId: 'a' });
    const sending = actions.sendGroupDraft(GROUP);
    expect(store.getState().ui.drafts[GROUP]).toBeUndefined();
    expect(store.getState().ui.compose[GROUP]).toBeUndefined();
    await sending;
    expect(bridge.calls).toEqual([{ name: 'groups.send', input: { groupId: GROUP, text: 'answer', replyTo: 'a' } }]);
    expect(store.getState().groups.messages[GROUP]?.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('sends an edit as groups.edit and replaces the line', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('groups.edit', ({ messageId, text }) => ({
      ok: true,
      value: groupMessage({ id: messageId, localId: 1, fromMe: true, text, editedAt: 5 }),
    }));
    store.getState().setDraft(GROUP, 'hello, edited');
    store.getState().setCompose(GROUP, { kind: 'edit', messageId: 'a' });
    await actions.sendGroupDraft(GROUP);
    expect(bridge.calls[0]).toEqual({
      name: 'groups.edit',
      input: { groupId: GROUP, messageId: 'a', text: 'hello, edited' },
    });
    expect(store.getState().groups.messages[GROUP]).toEqual([expect.objectContaining({ text: 'hello, edited' })]);
  });

  it('puts the text and the reply back when the send fails', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('groups.send', () => ({ ok: false, code: 'not_group_member', message: 'removed' }));
    store.getState().setDraft(GROUP, 'answer');
    store.getState().setCompose(GROUP, { kind: 'reply', messageId: 'a' });
    const result = await actions.sendGroupDraft(GROUP);
    expect(result?.ok).toBe(false);
    expect(store.getState().ui.drafts[GROUP]).toBe('answer');
    expect(store.getState().ui.compose[GROUP]).toEqual({ kind: 'reply', messageId: 'a' });
  });

  it('restores drafts the core kept, without overwriting one being written', async () => {
    const { bridge, store, actions } = setup();
    const other = 'g_1111111111111111111111';
    bridge.handle('groups.list', () => ({
      ok: true,
      value: { groups: [groupView({ draft: 'kept' }), groupView({ id: other, draft: 'also kept' })] },
    }));
    store.getState().setDraft(other, 'typing now');
    await actions.loadGroups();
    expect(store.getState().ui.drafts[GROUP]).toBe('kept');
    expect(store.getState().ui.drafts[other]).toBe('typing now');
  });

  it('deletes for everyone or for me, dropping the line either way', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('groups.deleteForEveryone', () => ({ ok: true, value: {} }));
    await actions.deleteGroupMessage(GROUP, 'a', true);
    expect(bridge.calls[0]).toEqual({ name: 'groups.deleteForEveryone', input: { groupId: GROUP, messageId: 'a' } });
    expect(store.getState().groups.messages[GROUP]).toEqual([]);
  });

  it('marks read up to a line and takes the core’s new unread count', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('groups.markRead', () => ({ ok: true, value: groupView({ unread: 0 }) }));
    store.getState().upsertGroup(groupView({ unread: 4 }));
    expect(await actions.markGroupRead(GROUP, 'a')).toBe(true);
    expect(bridge.calls[0]).toEqual({ name: 'groups.markRead', input: { groupId: GROUP, upToId: 'a' } });
    expect(store.getState().groups.byId[GROUP]?.unread).toBe(0);
  });

  it('reports a refused timer change (members are not admins)', async () => {
    const { bridge, actions } = setup();
    bridge.handle('groups.setTimer', () => ({ ok: false, code: 'not_group_admin', message: 'no' }));
    const result = await actions.setGroupTimer(GROUP, 5);
    expect(result).toMatchObject({ ok: false, code: 'not_group_admin' });
  });

  it('forwards through groups.forward when a group is involved (the copy comes as an event)', async () => {
    const { bridge, actions } = setup();
    bridge.handle('groups.forward', () => ({ ok: true, value: {} }));
    await actions.forwardMessage({ groupId: GROUP }, 'a', { chatId: 'dm:bob' });
    expect(bridge.calls[0]).toEqual({
      name: 'groups.forward',
      input: { fromGroupId: GROUP, messageId: 'a', toChatId: 'dm:bob' },
    });
  });
});

describe('group history paging', () => {
  afterEach(() => vi.restoreAllMocks());

  const line = (id: string, localId: number) => groupMessage({ id, localId, text: id });
  /** 250 lines, localIds 1…250; the core pages them 100 at a time, oldest first. */
  const all = Array.from({ length: 250 }, (_, i) => line(`l${i + 1}`, i + 1));
  function page(beforeLocalId: number | undefined): { messages: GroupMessageView[]; hasMore: boolean } {
    const older = all.filter((m) => beforeLocalId === undefined || m.localId < beforeLocalId);
    return { messages: older.slice(-100), hasMore: older.length > 100 };
  }
  function paged() {
    const bridge = new FakeBridge();
    const store = createAppStore();
    startEventRouter(bridge, store, () => 0);
    store.getState().upsertGroup(groupView());
    bridge.handle('groups.history', ({ beforeLocalId }) => ({ ok: true, value: page(beforeLocalId) }));
    bridge.handle('groups.members', () => ({ ok: true, value: { members: [], pending: [] } }));
    const history = () => bridge.calls.filter((c) => c.name === 'groups.history').map((c) => c.input);
    const ids = () => store.getState().groups.messages[GROUP]?.map((m) => m.id) ?? [];
    return { bridge, store, actions: createActions({ bridge, store }), history, ids };
  }

  it('pages back from the oldest line held until the beginning, in local order', async () => {
    const { store, actions, history, ids } = paged();
    actions.openGroup(GROUP);
    await vi.waitFor(() => expect(store.getState().groups.history[GROUP]?.newestLoaded).toBe(true));
    expect(ids()).toHaveLength(100);
    expect(ids()[0]).toBe('l151');
    expect(await actions.loadOlderGroupPage(GROUP)).toBe(true);
    expect(await actions.loadOlderGroupPage(GROUP)).toBe(true);
    expect(ids()).toEqual(all.map((m) => m.id));
    expect(store.getState().groups.history[GROUP]).toMatchObject({ hasMore: false, loadingOlder: false });
    // At the beginning nothing more is asked for.
    expect(await actions.loadOlderGroupPage(GROUP)).toBe(false);
    expect(history()).toEqual([
      { groupId: GROUP },
      { groupId: GROUP, beforeLocalId: 151 },
      { groupId: GROUP, beforeLocalId: 51 },
    ]);
  });

  it('asks once when an older page is asked for again while it is on its way', async () => {
    const { store, actions, history } = paged();
    store.getState().groupNewestPageLoaded(GROUP, page(undefined).messages, true);
    const first = actions.loadOlderGroupPage(GROUP);
    expect(store.getState().groups.history[GROUP]?.loadingOlder).toBe(true);
    const second = actions.loadOlderGroupPage(GROUP);
    expect(second).toBe(first);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(history()).toEqual([{ groupId: GROUP, beforeLocalId: 151 }]);
  });

  it('reports a failed older page and asks again next time', async () => {
    const { bridge, store, actions, history, ids } = paged();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    store.getState().groupNewestPageLoaded(GROUP, page(undefined).messages, true);
    bridge.handle('groups.history', () => ({ ok: false, code: 'internal', message: 'disk busy' }));
    expect(await actions.loadOlderGroupPage(GROUP)).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('loading older group messages failed'));
    expect(store.getState().groups.history[GROUP]).toMatchObject({ hasMore: true, loadingOlder: false });
    bridge.handle('groups.history', ({ beforeLocalId }) => ({ ok: true, value: page(beforeLocalId) }));
    expect(await actions.loadOlderGroupPage(GROUP)).toBe(true);
    expect(ids()[0]).toBe('l51');
    expect(history()).toHaveLength(2);
  });

  it('keeps a line that arrives by event while the newest page loads, and a double open asks once', async () => {
    const { bridge, store, actions, history, ids } = paged();
    const late = line('late', 251);
    bridge.handle('groups.history', ({ beforeLocalId }) => {
      // The core answered with what it had; the new line comes as an event before the answer lands.
      bridge.emit('group.message', late);
      return { ok: true, value: page(beforeLocalId) };
    });
    actions.openGroup(GROUP);
    actions.openGroup(GROUP);
    await vi.waitFor(() => expect(store.getState().groups.history[GROUP]?.newestLoaded).toBe(true));
    expect(ids()).toHaveLength(101);
    expect(ids().at(-1)).toBe('late');
    expect(history()).toHaveLength(1);
  });

  it('loads older pages until a quoted line is there, or the history ends', async () => {
    const { store, actions, history } = paged();
    store.getState().groupNewestPageLoaded(GROUP, page(undefined).messages, true);
    expect(await actions.revealGroupMessage(GROUP, 'l200')).toBe(true);
    expect(history()).toEqual([]);
    expect(await actions.revealGroupMessage(GROUP, 'l120')).toBe(true);
    expect(history()).toHaveLength(1);
    expect(await actions.revealGroupMessage(GROUP, 'gone')).toBe(false);
    expect(history()).toHaveLength(2);
    expect(store.getState().groups.messages[GROUP]).toHaveLength(250);
  });
});
