import { describe, expect, it } from 'vitest';
import type { SafetyNumberView } from '../../../shared/ipc/contract';
import { createAppStore } from '../store/appStore';
import { directChat, FakeBridge } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const me = { userId: 'me', username: 'me', displayName: 'Me' };
const digits = '1'.repeat(60);
const safetyNumber: SafetyNumberView = {
  chatId: 'dm:bob',
  peer: { userId: 'bob', username: 'bob', displayName: 'Bob' },
  digits,
  groups: Array.from({ length: 12 }, () => '11111'),
  qrText: 'qr',
  verified: false,
  keyChanged: false,
};

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  store.getState().setProfile(me);
  store.getState().upsertChat(directChat());
  return { bridge, store, actions: createActions({ bridge, store }) };
}

describe('security actions', () => {
  it('loads a safety number into the store', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('security.safetyNumber', () => ({ ok: true, value: safetyNumber }));
    expect(await actions.loadSafetyNumber('dm:bob')).toEqual({ ok: true, value: safetyNumber });
    expect(bridge.calls).toEqual([{ name: 'security.safetyNumber', input: { chatId: 'dm:bob' } }]);
    expect(store.getState().security.safetyNumbers['dm:bob']).toEqual(safetyNumber);
  });

  it("marks a contact verified and takes the chat's new security state from the answer", async () => {
    const { bridge, store, actions } = setup();
    const verified = directChat({ security: { verified: true, keyChanged: false, sendingHeld: false } });
    bridge.handle('security.setVerified', () => ({ ok: true, value: verified }));
    await actions.setVerified('dm:bob', true, '1'.repeat(60));
    expect(bridge.calls).toEqual([
      { name: 'security.setVerified', input: { chatId: 'dm:bob', verified: true, digits: '1'.repeat(60) } },
    ]);
    expect(store.getState().chats.byId['dm:bob']?.security.verified).toBe(true);
  });

  it('leaves the chat as it was when the core refuses', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('security.setVerified', () => ({ ok: false, code: 'not_found', message: 'no chat' }));
    expect(await actions.setVerified('dm:bob', true)).toMatchObject({ ok: false, code: 'not_found' });
    expect(store.getState().chats.byId['dm:bob']?.security.verified).toBe(false);
  });

  it('loads the new safety number when the compared one went out of date', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('security.setVerified', () => ({ ok: false, code: 'safety_number_changed', message: 'changed' }));
    bridge.handle('security.safetyNumber', () => ({ ok: true, value: safetyNumber }));
    expect(await actions.setVerified('dm:bob', true, '2'.repeat(60))).toMatchObject({ ok: false });
    expect(bridge.calls.map((c) => c.name)).toEqual(['security.setVerified', 'security.safetyNumber']);
    expect(store.getState().security.safetyNumbers['dm:bob']).toEqual(safetyNumber);
  });

  it('releases held messages with "send anyway"', async () => {
    const { bridge, store, actions } = setup();
    store.getState().upsertChat(directChat({ security: { verified: false, keyChanged: true, sendingHeld: true } }));
    bridge.handle('security.acceptKeyChange', () => ({ ok: true, value: directChat() }));
    await actions.acceptKeyChange('dm:bob');
    expect(bridge.calls).toEqual([{ name: 'security.acceptKeyChange', input: { chatId: 'dm:bob' } }]);
    expect(store.getState().chats.byId['dm:bob']?.security).toEqual({
      verified: false,
      keyChanged: false,
      sendingHeld: false,
    });
  });

  it('resets our keys: the profile follows the answer and every safety number we held is dropped', async () => {
    const { bridge, store, actions } = setup();
    store.getState().safetyNumberLoaded(safetyNumber);
    bridge.handle('session.resetKeys', () => ({ ok: true, value: { ...me, displayName: 'Me again' } }));
    const result = await actions.resetKeys();
    expect(result.ok).toBe(true);
    expect(store.getState().session.profile?.displayName).toBe('Me again');
    expect(store.getState().security.safetyNumbers).toEqual({});
  });

  it('keeps everything when resetting keys fails', async () => {
    const { bridge, store, actions } = setup();
    store.getState().safetyNumberLoaded(safetyNumber);
    bridge.handle('session.resetKeys', () => ({ ok: false, code: 'offline', message: 'down' }));
    expect(await actions.resetKeys()).toMatchObject({ ok: false, code: 'offline' });
    expect(store.getState().security.safetyNumbers['dm:bob']).toEqual(safetyNumber);
    expect(store.getState().session.profile).toEqual(me);
  });

  it('opens and closes the safety number dialog', () => {
    const { store, actions } = setup();
    actions.openSafetyNumber('dm:bob');
    expect(store.getState().security.dialogChatId).toBe('dm:bob');
    actions.closeSafetyNumber();
    expect(store.getState().security.dialogChatId).toBeNull();
  });
});
