import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../shared/ipc/dispatch';
import { IPC_CHANNELS, REQUEST_NAMES } from '../../shared/ipc/names';
import type { CoreEventListener, Logger } from '../core/api';
import {
  registerIpcBridge,
  type FrameLike,
  type InvokeEventLike,
  type IpcMainLike,
  type WindowContentsLike,
} from './ipc';

const profile = { userId: 'u_1', username: 'ann', displayName: 'Ann' };
const topFrame: FrameLike = { url: 'app://parley/index.html', parent: null, processId: 4, routingId: 1 };

function setup(handlerOverrides: Partial<Handlers> = {}) {
  const notUsed = () => {
    throw new Error('not used in this test');
  };
  const handlers = {
    ...Object.fromEntries(REQUEST_NAMES.map((name) => [name, notUsed])),
    ...handlerOverrides,
  } as unknown as Handlers;
  const coreListeners = new Set<CoreEventListener>();
  const core = {
    handlers,
    onEvent: (listener: CoreEventListener) => {
      coreListeners.add(listener);
      return () => coreListeners.delete(listener);
    },
  };
  const emit = (name: string, payload: unknown) => {
    for (const listener of coreListeners) (listener as (n: string, p: unknown) => void)(name, payload);
  };

  let invokeHandler: ((event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) | null = null;
  const ipcMain: IpcMainLike = {
    handle: vi.fn((channel, listener) => {
      expect(channel).toBe(IPC_CHANNELS.invoke);
      invokeHandler = listener;
    }),
    removeHandler: vi.fn(),
  };
  const contents = {
    mainFrame: topFrame,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send: vi.fn(),
  };
  let currentContents: WindowContentsLike | null = contents;
  const logger: Logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const dispose = registerIpcBridge({ ipcMain, core, currentContents: () => currentContents, logger });

  const call = (senderFrame: FrameLike | null, name: unknown, input: unknown) => {
    if (!invokeHandler) throw new Error('no invoke handler registered');
    return invokeHandler({ senderFrame }, name, input);
  };
  const closeWindow = () => (currentContents = null);
  return { call, emit, contents, ipcMain, logger, dispose, coreListeners, closeWindow };
}

describe('main IPC handler', () => {
  it('passes a call from our window through to the core and returns its answer', async () => {
    const status = vi.fn(async () => ({ profile }));
    const { call } = setup({ 'session.status': status });
    await expect(call(topFrame, 'session.status', {})).resolves.toEqual({ ok: true, value: { profile } });
    // Electron may hand out a second WebFrameMain object for the same frame.
    await expect(call({ ...topFrame, url: 'app://parley/index.html#/chats' }, 'session.status', {})).resolves.toEqual({
      ok: true,
      value: { profile },
    });
    expect(status).toHaveBeenCalledTimes(2);
  });

  it('rejects calls from frames that are not the top frame of our window at our origin', async () => {
    const send = vi.fn();
    const { call } = setup({ 'messages.send': send });
    const input = { chatId: 'dm:u_2', text: 'hi' };
    const strangers: Array<[string, FrameLike | null]> = [
      ['missing frame', null],
      ['another origin in our window', { ...topFrame, url: 'https://evil.example/' }],
      ['a file:// page', { ...topFrame, url: 'file:///tmp/evil.html' }],
      ['another app:// host', { ...topFrame, url: 'app://evil/index.html' }],
      ['a subframe at our origin', { ...topFrame, parent: topFrame, routingId: 7 }],
      ['a frame of another window', { ...topFrame, processId: 9 }],
      ['an unparsable URL', { ...topFrame, url: '' }],
    ];
    for (const [label, frame] of strangers) {
      await expect(call(frame, 'messages.send', input), label).resolves.toMatchObject({
        ok: false,
        code: 'forbidden_sender',
      });
    }
    expect(send).not.toHaveBeenCalled();
  });

  it('rejects calls once our window is gone or destroyed', async () => {
    const status = vi.fn(async () => ({ profile }));
    const destroyed = setup({ 'session.status': status });
    destroyed.contents.destroyed = true;
    await expect(destroyed.call(topFrame, 'session.status', {})).resolves.toMatchObject({ code: 'forbidden_sender' });
    const closed = setup({ 'session.status': status });
    closed.closeWindow();
    await expect(closed.call(topFrame, 'session.status', {})).resolves.toMatchObject({ code: 'forbidden_sender' });
    expect(status).not.toHaveBeenCalled();
  });

  it('rejects invalid input and unknown requests before the core sees them', async () => {
    const send = vi.fn();
    const { call } = setup({ 'messages.send': send });
    await expect(call(topFrame, 'messages.send', { chatId: 'dm:u_2', text: '   ' })).resolves.toEqual({
      ok: false,
      code: 'invalid_input',
      message: 'text: message is empty',
    });
    await expect(call(topFrame, 'messages.send', 'hi')).resolves.toMatchObject({ code: 'invalid_input' });
    await expect(call(topFrame, 'session.exportKeys', {})).resolves.toMatchObject({ code: 'unknown_request' });
    expect(send).not.toHaveBeenCalled();
  });

  it('hides a core failure from the renderer and logs it', async () => {
    const { call, logger } = setup({
      'chats.list': () => {
        throw new Error('database is locked');
      },
    });
    const result = await call(topFrame, 'chats.list', {});
    expect(result).toEqual({ ok: false, code: 'internal', message: 'something went wrong in the core' });
    expect(logger.error).toHaveBeenCalledWith(
      'request failed in the core',
      expect.objectContaining({ request: 'chats.list' }),
    );
  });
});

describe('main event forwarding', () => {
  it('sends core events to the window, stripped to what the contract declares', () => {
    const { emit, contents } = setup();
    emit('session.changed', { profile: { ...profile, identitySecretKey: 'c2VjcmV0' } });
    expect(contents.send).toHaveBeenCalledWith(IPC_CHANNELS.event, { name: 'session.changed', payload: { profile } });
  });

  it('drops events that break the contract, and sends nothing without a live window', () => {
    const { emit, contents, logger, closeWindow } = setup();
    emit('connection.changed', { state: 'sideways' });
    expect(contents.send).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalled();
    contents.destroyed = true;
    emit('session.changed', { profile: null });
    closeWindow();
    emit('session.changed', { profile: null });
    expect(contents.send).not.toHaveBeenCalled();
  });

  it('undoes its registration', () => {
    const { dispose, ipcMain, coreListeners } = setup();
    expect(coreListeners.size).toBe(1);
    dispose();
    expect(coreListeners.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_CHANNELS.invoke);
  });
});
