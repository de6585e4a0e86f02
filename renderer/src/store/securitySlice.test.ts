import { describe, expect, it } from 'vitest';
import type { SafetyNumberView } from '../../../shared/ipc/contract';
import { directChat, FakeBridge } from '../test-support/fakeBridge';
import { startEventRouter } from '../sync/eventRouter';
import { createAppStore } from './appStore';
import { peerKeyChanged, securityNotice } from './securitySlice';

const calm = { verified: false, keyChanged: false, sendingHeld: false };
const safetyNumber = (chatId = 'dm:bob'): SafetyNumberView => ({
  chatId,
  peer: { userId: 'bob', username: 'bob', displayName: 'Bob' },
  digits: '2'.repeat(60),
  groups: Array.from({ length: 12 }, () => '22222'),
  qrText: 'qr',
  verified: true,
  keyChanged: false,
});

describe('security state', () => {
  it('says what the chat should show about the peer key', () => {
    expect(securityNotice(calm)).toBe('none');
    expect(securityNotice({ ...calm, verified: true })).toBe('none');
    expect(securityNotice({ ...calm, keyChanged: true })).toBe('changed');
    expect(securityNotice({ verified: false, keyChanged: true, sendingHeld: true })).toBe('held');
  });

  it('sees a key change only when the notice appears', () => {
    expect(peerKeyChanged(undefined, calm)).toBe(false);
    expect(peerKeyChanged(undefined, { ...calm, keyChanged: true })).toBe(true);
    expect(peerKeyChanged(calm, { ...calm, keyChanged: true })).toBe(true);
    expect(peerKeyChanged({ ...calm, keyChanged: true }, { ...calm, keyChanged: true, sendingHeld: true })).toBe(false);
    expect(peerKeyChanged({ ...calm, keyChanged: true }, calm)).toBe(false);
  });

  it("drops a chat's held safety number when the peer's key changes, and only that chat's", () => {
    const store = createAppStore();
    const bridge = new FakeBridge();
    startEventRouter(bridge, store);
    bridge.emit('chat.updated', directChat({ security: { ...calm, verified: true } }));
    bridge.emit('chat.updated', directChat({ id: 'dm:carol' }));
    store.getState().safetyNumberLoaded(safetyNumber('dm:bob'));
    store.getState().safetyNumberLoaded(safetyNumber('dm:carol'));

    // An unrelated update (a new message) keeps it.
    bridge.emit('chat.updated', directChat({ unread: 1, security: { ...calm, verified: true } }));
    expect(store.getState().security.safetyNumbers['dm:bob']).toBeDefined();

    // The verified contact's key changed: unverified, held, and the old number is gone.
    bridge.emit('chat.updated', directChat({ security: { verified: false, keyChanged: true, sendingHeld: true } }));
    expect(store.getState().chats.byId['dm:bob']?.security.sendingHeld).toBe(true);
    expect(store.getState().security.safetyNumbers['dm:bob']).toBeUndefined();
    expect(store.getState().security.safetyNumbers['dm:carol']).toBeDefined();
  });

  it('forgets every safety number when our own keys change', () => {
    const store = createAppStore();
    store.getState().safetyNumberLoaded(safetyNumber('dm:bob'));
    store.getState().safetyNumberLoaded(safetyNumber('dm:carol'));
    store.getState().forgetSafetyNumbers();
    expect(store.getState().security.safetyNumbers).toEqual({});
  });
});
