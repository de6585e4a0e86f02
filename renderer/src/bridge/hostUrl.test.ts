import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff';
import { parseHostFrame } from './hostFrames';
import { bridgeSocketUrl, tokenFromHash } from './hostUrl';

describe('host URL', () => {
  it('reads the token from the page fragment', () => {
    expect(tokenFromHash('#token=abc-_123')).toBe('abc-_123');
    expect(tokenFromHash('#other=1&token=x')).toBe('x');
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
  });

  it('builds the bridge socket URL on the serving host', () => {
    expect(bridgeSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b')).toBe(
      'ws://127.0.0.1:4000/bridge?token=a%20b',
    );
    expect(bridgeSocketUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/bridge?token=t');
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially to a cap, jittered to between half and all of it', () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(125);
    expect(reconnectDelayMs(0, () => 1)).toBe(250);
    expect(reconnectDelayMs(3, () => 1)).toBe(2000);
    expect(reconnectDelayMs(30, () => 1)).toBe(8000);
    expect(reconnectDelayMs(30, () => 0)).toBe(4000);
  });
});

describe('host frames', () => {
  it('reads results and events, and rejects anything else', () => {
    expect(parseHostFrame('{"id":3,"result":{"ok":true,"value":1}}')).toEqual({
      kind: 'result',
      id: 3,
      result: { ok: true, value: 1 },
    });
    expect(parseHostFrame('{"id":3,"result":{"ok":false,"code":"offline"}}')).toEqual({
      kind: 'result',
      id: 3,
      result: { ok: false, code: 'offline', message: '' },
    });
    expect(parseHostFrame('{"event":"chat.updated","payload":{"id":"x"}}')).toEqual({
      kind: 'event',
      name: 'chat.updated',
      payload: { id: 'x' },
    });
    for (const bad of ['nope', '[]', '{"id":1}', '{"id":1,"result":{"ok":false}}', '{}']) {
      expect(parseHostFrame(bad)).toBeNull();
    }
    expect(parseHostFrame(new ArrayBuffer(2))).toBeNull();
  });
});
