import { describe, expect, it } from 'vitest';
import type { ChannelView } from '../../../shared/ipc';
import { createAppStore } from '../store/appStore';
import { FakeBridge } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const CHANNEL = 'c_AAAAAAAAAAAAAAAAAAAAAA';
const HELPER = 'u_HHHHHHHHHHHHHHHHHHHHHH';

const view = (patch: Partial<ChannelView> = {}): ChannelView => ({
  id: CHANNEL,
  kind: 'channel',
  title: 'Pictures',
  description: '',
  handle: 'pics',
  isPublic: true,
  role: 'owner',
  canPost: true,
  subscribers: 2,
  subscribed: true,
  muted: false,
  unread: 0,
  pinnedPostId: null,
  updatedAt: 1,
  encrypted: false,
  ...patch,
});

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  store.getState().upsertChannel(view({ avatarId: 'old' }));
  return { bridge, store, actions: createActions({ bridge, store }) };
}

describe('channel owner actions', () => {
  it('sends a new picture as base64 (null removes it) and shows the answered view', async () => {
    const { bridge, store, actions } = setup();
    let next: ChannelView = view({ avatarId: 'new' });
    bridge.handle('channels.setAvatar', () => ({ ok: true, value: next }));
    await actions.setChannelAvatar(CHANNEL, Uint8Array.of(0x89, 0x50, 0x4e, 0x47));
    expect(store.getState().channels.byId[CHANNEL]?.avatarId).toBe('new');
    next = view();
    await actions.setChannelAvatar(CHANNEL, null);
    expect(store.getState().channels.byId[CHANNEL]?.avatarId).toBeUndefined();
    expect(bridge.calls.map((call) => call.input)).toEqual([
      { channelId: CHANNEL, avatar: 'iVBORw==' },
      { channelId: CHANNEL, avatar: null },
    ]);
  });

  it('leaves the channel as it was when the core refuses', async () => {
    const { bridge, store, actions } = setup();
    bridge.handle('channels.setAvatar', () => ({ ok: false, code: 'invalid_input', message: 'avatar: not an image' }));
    const result = await actions.setChannelAvatar(CHANNEL, Uint8Array.of(1, 2, 3));
    expect(result).toEqual({ ok: false, code: 'invalid_input', message: 'avatar: not an image' });
    expect(store.getState().channels.byId[CHANNEL]?.avatarId).toBe('old');
  });

  it('lists admins and removes one', async () => {
    const { bridge, store, actions } = setup();
    const admins = [
      { userId: 'u_OOOOOOOOOOOOOOOOOOOOOO', username: 'owner', displayName: 'Owner', isOwner: true },
      { userId: HELPER, username: 'helper', displayName: 'Helper', isOwner: false },
    ];
    bridge.handle('channels.admins', () => ({ ok: true, value: { admins } }));
    bridge.handle('channels.removeAdmin', () => ({ ok: true, value: view({ subscribers: 3 }) }));
    expect(await actions.listChannelAdmins(CHANNEL)).toEqual({ ok: true, value: admins });
    expect((await actions.removeChannelAdmin(CHANNEL, HELPER)).ok).toBe(true);
    expect(bridge.calls.at(-1)).toEqual({
      name: 'channels.removeAdmin',
      input: { channelId: CHANNEL, userId: HELPER },
    });
    expect(store.getState().channels.byId[CHANNEL]?.subscribers).toBe(3);
  });
});
