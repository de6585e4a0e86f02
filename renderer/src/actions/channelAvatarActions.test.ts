import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/appStore';
import { FakeBridge } from '../test-support/fakeBridge';
import { createActions } from './createActions';

const CHANNEL = 'c_AAAAAAAAAAAAAAAAAAAAAA';

function setup() {
  const bridge = new FakeBridge();
  const store = createAppStore();
  return { bridge, actions: createActions({ bridge, store }) };
}

describe('channel avatar actions', () => {
  it('sends the picked avatar as base64 when creating a channel', async () => {
    const { bridge, actions } = setup();
    bridge.handle('channels.create', () => ({ ok: false, code: 'offline', message: 'offline' }));
    await actions.createChannel({
      title: 'Pictures',
      description: '',
      isPublic: true,
      handle: 'pics',
      avatar: Uint8Array.of(0x89, 0x50, 0x4e, 0x47),
    });
    await actions.createChannel({ title: 'Plain', description: '', isPublic: false });
    expect(bridge.calls.map((call) => call.input)).toEqual([
      { title: 'Pictures', description: '', isPublic: true, handle: 'pics', avatar: 'iVBORw==' },
      { title: 'Plain', description: '', isPublic: false },
    ]);
  });

  it('fetches a picture once per avatar id, and again after a failure', async () => {
    const { bridge, actions } = setup();
    let fail = true;
    bridge.handle('channels.avatar', () =>
      fail ? { ok: false, code: 'offline', message: 'offline' } : { ok: true, value: { avatar: 'AQID' } },
    );
    expect(await actions.loadChannelAvatar(CHANNEL, 'a1')).toBeNull();
    fail = false;
    expect(await actions.loadChannelAvatar(CHANNEL, 'a1')).toEqual(Uint8Array.of(1, 2, 3));
    expect(await actions.loadChannelAvatar(CHANNEL, 'a1')).toEqual(Uint8Array.of(1, 2, 3));
    expect(bridge.calls).toHaveLength(2);
    await actions.loadChannelAvatar(CHANNEL, 'a2');
    expect(bridge.calls).toHaveLength(3);
  });
});
