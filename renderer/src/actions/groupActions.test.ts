import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/appStore';
import { FakeBridge, groupMessage, groupView } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const GROUP = 'g_0000000000000000000000';

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  store.getState().setProfile({ userId: 'me', username: 'me', displayName: 'Me' });
  store.getState().upsertGroup(groupView());
  store.getState().setGroupMessages(GROUP, [groupMessage({ id: 'a', localId: 1, text: 'hello' })]);
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
