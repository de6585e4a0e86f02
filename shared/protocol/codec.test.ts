import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { decodeClientFrame, decodeServerFrame, encodeFrame } from './codec';
import { LIMITS } from './limits';
import { PROTOCOL_VERSION, type ClientFrame } from './frames';

const userId = 'u_' + 'A'.repeat(22);
const msgId = '0b7c2f9e-5d1a-4c3b-9e8f-1a2b3c4d5e6f';

describe('relay frame codec', () => {
  it('round-trips a send frame with binary body intact', () => {
    const body = new Uint8Array([0, 1, 2, 250, 255]);
    const frame: ClientFrame = { t: 'send', id: 7, msgId, to: userId, body };
    const decoded = decodeClientFrame(encodeFrame(frame));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.frame.t).toBe('send');
    if (decoded.frame.t !== 'send') return;
    expect(Array.from(decoded.frame.body)).toEqual(Array.from(body));
    expect(decoded.frame.to).toBe(userId);
  });

  it('carries an optional `after` message id on send, and refuses one that is not a message id', () => {
    const after = '1c8d3fa0-6e2b-4d4c-8f9a-2b3c4d5e6f70';
    const frame: ClientFrame = { t: 'send', id: 8, msgId, to: userId, body: new Uint8Array([1]), after };
    expect(decodeClientFrame(encodeFrame(frame))).toMatchObject({ ok: true, frame: { t: 'send', after } });
    const raw = new Packr({ useRecords: false }).pack({ ...frame, after: 'previous' });
    expect(decodeClientFrame(raw)).toMatchObject({ ok: false, code: 'bad_frame', re: 8 });
  });

  it('round-trips server frames (hello, msg, err)', () => {
    const hello = decodeServerFrame(
      encodeFrame({
        t: 'hello',
        v: PROTOCOL_VERSION,
        challenge: new Uint8Array(32),
        serverTime: 1,
        limits: {
          maxFrameBytes: LIMITS.maxFrameBytes,
          maxBodyBytes: LIMITS.maxBodyBytes,
          ratePerSecond: LIMITS.ratePerSecond,
          rateBurst: LIMITS.rateBurst,
          heartbeatMs: LIMITS.heartbeatMs,
        },
      }),
    );
    expect(hello.ok).toBe(true);
    const err = decodeServerFrame(
      encodeFrame({ t: 'err', re: 3, code: 'rate_limited', message: 'slow down', retryAfterMs: 50 }),
    );
    expect(err).toMatchObject({ ok: true, frame: { t: 'err', code: 'rate_limited', retryAfterMs: 50 } });
  });

  it('rejects bytes that are not MessagePack', () => {
    expect(decodeClientFrame(new Uint8Array([0xc1]))).toMatchObject({ ok: false, code: 'bad_frame' });
  });

  it('rejects a frame of unknown type and echoes its request id', () => {
    const raw = new Packr({ useRecords: false }).pack({ t: 'explode', id: 42 });
    expect(decodeClientFrame(raw)).toMatchObject({ ok: false, code: 'bad_frame', re: 42 });
  });

  it('rejects fields of the wrong shape, naming the field', () => {
    const raw = new Packr({ useRecords: false }).pack({ t: 'send', id: 1, msgId, to: userId, body: 'not bytes' });
    const result = decodeClientFrame(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('bad_frame');
    expect(result.message).toContain('body');
  });

  it('rejects keys of the wrong length', () => {
    const raw = new Packr({ useRecords: false }).pack({
      t: 'login',
      id: 1,
      v: 1,
      identityKey: new Uint8Array(31),
      sig: new Uint8Array(64),
    });
    expect(decodeClientFrame(raw)).toMatchObject({ ok: false, code: 'bad_frame' });
  });

  it('rejects oversized frames before parsing them', () => {
    expect(decodeClientFrame(new Uint8Array(LIMITS.maxFrameBytes + 1))).toMatchObject({
      ok: false,
      code: 'frame_too_large',
    });
  });

  it('rejects a body above the body limit even inside the frame limit', () => {
    const frame = { t: 'send', id: 1, msgId, to: userId, body: new Uint8Array(LIMITS.maxBodyBytes + 1) };
    expect(decodeClientFrame(new Packr({ useRecords: false }).pack(frame))).toMatchObject({
      ok: false,
      code: 'bad_frame',
    });
  });

  it('rejects usernames outside the allowed alphabet', () => {
    const frame = { t: 'lookup', id: 1, username: 'Robert"); DROP' };
    expect(decodeClientFrame(new Packr({ useRecords: false }).pack(frame))).toMatchObject({
      ok: false,
      code: 'bad_frame',
    });
  });
});
