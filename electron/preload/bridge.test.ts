import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_CHANNELS } from '../../shared/ipc/names';
import { createBridgeApi, exposeBridge, type IpcRendererLike } from './bridge';

/** A stand-in for ipcRenderer that records calls and lets the test emit main → renderer events. */
function fakeIpcRenderer(answer: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => null) {
  const channelListeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
  const invoke = vi.fn(answer);
  const ipc: IpcRendererLike = {
    invoke,
    on(channel, listener) {
      channelListeners.set(channel, [...(channelListeners.get(channel) ?? []), listener]);
      return ipc;
    },
  };
  const rawEvent = { sender: { send: () => 'raw ipc' }, ports: [] };
  const emit = (envelope: unknown) => {
    for (const listener of channelListeners.get(IPC_CHANNELS.event) ?? []) listener(rawEvent, envelope);
  };
  return { ipc, invoke, emit, channelListeners };
}

const profile = { userId: 'u_1', username: 'ann', displayName: 'Ann' };

describe('preload bridge', () => {
  it('exposes exactly invoke and on under the contract global', () => {
    const exposeInMainWorld = vi.fn();
    exposeBridge({ exposeInMainWorld }, fakeIpcRenderer().ipc);
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, api] = exposeInMainWorld.mock.calls[0]!;
    expect(key).toBe(BRIDGE_GLOBAL);
    expect(Object.keys(api as object).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards a contract request on the invoke channel and returns the main process answer', async () => {
    const { ipc, invoke } = fakeIpcRenderer(async () => ({ ok: true, value: { profile } }));
    const api = createBridgeApi(ipc);
    await expect(api.invoke('session.status', {})).resolves.toEqual({ ok: true, value: { profile } });
    expect(invoke).toHaveBeenCalledWith(IPC_CHANNELS.invoke, 'session.status', {});
  });

  it('refuses request names outside the contract without touching IPC', async () => {
    const { ipc, invoke } = fakeIpcRenderer();
    const api = createBridgeApi(ipc) as unknown as { invoke(name: string, input: unknown): Promise<unknown> };
    await expect(api.invoke('session.exportKeys', {})).resolves.toMatchObject({ ok: false, code: 'unknown_request' });
    await expect(api.invoke('__proto__', {})).resolves.toMatchObject({ ok: false, code: 'unknown_request' });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('turns a failed IPC channel into an error result instead of a throw', async () => {
    const { ipc } = fakeIpcRenderer(async () => {
      throw new Error("Error invoking remote method 'parley:invoke': reply was never sent");
    });
    await expect(createBridgeApi(ipc).invoke('chats.list', {})).resolves.toEqual({
      ok: false,
      code: 'internal',
      message: 'the app could not complete the request',
    });
  });

  it('delivers only the payload of subscribed events, never the IPC event object', () => {
    const { ipc, emit } = fakeIpcRenderer();
    const api = createBridgeApi(ipc);
    const received: unknown[][] = [];
    api.on('session.changed', (...args: unknown[]) => received.push(args));
    emit({ name: 'session.changed', payload: { profile } });
    emit({ name: 'chat.updated', payload: { id: 'dm:x' } });
    expect(received).toEqual([[{ profile }]]);
  });

  it('unsubscribes, and keeps delivering to the others when one listener throws', () => {
    const { ipc, emit } = fakeIpcRenderer();
    const api = createBridgeApi(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const first = vi.fn(() => {
      throw new Error('renderer bug');
    });
    const second = vi.fn();
    api.on('connection.changed', first);
    const off = api.on('connection.changed', second);
    emit({ name: 'connection.changed', payload: { state: 'online', relayUrl: 'ws://r' } });
    off();
    emit({ name: 'connection.changed', payload: { state: 'offline', relayUrl: 'ws://r' } });
    expect(first).toHaveBeenCalledTimes(2);
    expect(second).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('refuses to subscribe to events outside the contract or with a non-function', () => {
    const api = createBridgeApi(fakeIpcRenderer().ipc) as unknown as {
      on(name: string, listener: unknown): () => void;
    };
    expect(() => api.on('ipc.raw', () => {})).toThrow(/unknown event/);
    expect(() => api.on('session.changed', 'alert(1)')).toThrow(/function/);
  });

  it('ignores malformed envelopes on the event channel', () => {
    const { ipc, emit } = fakeIpcRenderer();
    const listener = vi.fn();
    createBridgeApi(ipc).on('message.added', listener);
    emit(undefined);
    emit({ name: 'message.added.evil', payload: {} });
    emit('message.added');
    expect(listener).not.toHaveBeenCalled();
  });
});
