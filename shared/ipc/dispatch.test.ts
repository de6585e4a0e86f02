import { describe, expect, it, vi } from 'vitest';
import { events, requests, type RequestOutput } from './contract';
import { dispatch, IpcError, type Handlers } from './dispatch';
import { EVENT_NAMES, REQUEST_NAMES } from './names';

const profile = { userId: 'u_x', username: 'alice', displayName: 'Alice' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const unused = () => {
    throw new Error('not used in this test');
  };
  const base = Object.fromEntries(REQUEST_NAMES.map((n) => [n, unused])) as unknown as Handlers;
  return { ...base, ...overrides };
}

describe('IPC contract', () => {
  it('declares exactly the request and event names the preload exposes', () => {
    expect(Object.keys(requests).sort()).toEqual([...REQUEST_NAMES].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_NAMES].sort());
  });
});

describe('dispatch', () => {
  it('passes parsed input (normalised username) to the handler and returns its value', async () => {
    const signUp = vi.fn(async (input: { username: string; displayName: string }) => ({
      ...profile,
      username: input.username,
      displayName: input.displayName,
    }));
    const result = await dispatch(handlers({ 'session.signUp': signUp }), 'session.signUp', {
      username: '  @Alice ',
      displayName: ' Alice ',
    });
    expect(signUp).toHaveBeenCalledWith({ username: 'alice', displayName: 'Alice' });
    expect(result).toEqual({ ok: true, value: { userId: 'u_x', username: 'alice', displayName: 'Alice' } });
  });

  it('refuses unknown request names without calling anything', async () => {
    expect(await dispatch(handlers(), 'session.exportKeys', {})).toMatchObject({ ok: false, code: 'unknown_request' });
    expect(await dispatch(handlers(), undefined, {})).toMatchObject({ ok: false, code: 'unknown_request' });
  });

  it('refuses invalid input with the field and reason', async () => {
    const send = vi.fn();
    const result = await dispatch(handlers({ 'messages.send': send }), 'messages.send', {
      chatId: 'dm:x',
      text: '   ',
    });
    expect(send).not.toHaveBeenCalled();
    expect(result).toEqual({ ok: false, code: 'invalid_input', message: 'text: message is empty' });
    expect(await dispatch(handlers(), 'messages.send', 'not an object')).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
  });

  it('applies defaults (history limit)', async () => {
    const history = vi.fn(async (): Promise<RequestOutput<'messages.history'>> => ({ messages: [], cursor: null }));
    await dispatch(handlers({ 'messages.history': history }), 'messages.history', { chatId: 'dm:x' });
    expect(history).toHaveBeenCalledWith({ chatId: 'dm:x', limit: 50 });
  });

  it('maps IpcError to its code and hides other errors behind internal', async () => {
    const onError = vi.fn();
    const taken = await dispatch(
      handlers({
        'session.signUp': () => {
          throw new IpcError('username_taken', '@alice is taken');
        },
      }),
      'session.signUp',
      { username: 'alice', displayName: 'A' },
      onError,
    );
    expect(taken).toEqual({ ok: false, code: 'username_taken', message: '@alice is taken' });
    expect(onError).not.toHaveBeenCalled();

    const secret = await dispatch(
      handlers({
        'chats.list': () => {
          throw new Error('sqlite: key 0xdeadbeef');
        },
      }),
      'chats.list',
      {},
      onError,
    );
    expect(secret).toEqual({ ok: false, code: 'internal', message: 'something went wrong in the core' });
    expect(onError).toHaveBeenCalledOnce();
  });

  it('strips fields the contract does not declare from outputs (no key material leaks)', async () => {
    const leaky = async () => ({ profile: { ...profile, identitySecretKey: 'secret' } });
    const result = await dispatch(
      handlers({ 'session.status': leaky as unknown as Handlers['session.status'] }),
      'session.status',
      {},
    );
    expect(result).toEqual({ ok: true, value: { profile } });
  });

  it('reports an output that breaks the contract as internal', async () => {
    const broken = async () => ({ chats: [{ id: 1 }] });
    const result = await dispatch(
      handlers({ 'chats.list': broken as unknown as Handlers['chats.list'] }),
      'chats.list',
      {},
    );
    expect(result).toMatchObject({ ok: false, code: 'internal' });
  });
});
