import { describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc';
import { CHANNEL_LIMITS } from '../../../shared/protocol';
import { avatarIdOf, decodeAvatar, sniffAvatarMime, validateAvatar } from './avatar';

/** A real 1×1 PNG (red pixel). */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG_HEAD = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46);
const WEBP_HEAD = new Uint8Array([...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WEBPVP8 ')]);

function refusal(fn: () => unknown): IpcError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IpcError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('channel avatars', () => {
  it('sniffs PNG, JPEG and WebP by their magic bytes', () => {
    expect(sniffAvatarMime(new Uint8Array(PNG_1PX))).toBe('image/png');
    expect(sniffAvatarMime(JPEG_HEAD)).toBe('image/jpeg');
    expect(sniffAvatarMime(WEBP_HEAD)).toBe('image/webp');
    expect(sniffAvatarMime(new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBeNull();
    expect(sniffAvatarMime(new Uint8Array(Buffer.from('GIF89a')))).toBeNull();
    // RIFF but not WebP (a WAV file).
    expect(sniffAvatarMime(new Uint8Array([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WAVE')]))).toBeNull();
    expect(sniffAvatarMime(new Uint8Array(0))).toBeNull();
  });

  it('accepts a good PNG from base64 and gives it a stable id', () => {
    const bytes = decodeAvatar(PNG_1PX.toString('base64'));
    expect(Buffer.from(bytes).equals(PNG_1PX)).toBe(true);
    expect(avatarIdOf(bytes)).toBe(avatarIdOf(new Uint8Array(PNG_1PX)));
    expect(avatarIdOf(bytes)).not.toBe(avatarIdOf(JPEG_HEAD));
  });

  it('refuses an oversized image', () => {
    const big = new Uint8Array(CHANNEL_LIMITS.maxAvatarBytes + 1);
    big.set(PNG_1PX);
    const err = refusal(() => validateAvatar(big));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe(
      `avatar: the image is ${big.byteLength} bytes, more than ${CHANNEL_LIMITS.maxAvatarBytes}`,
    );
    // Exactly at the limit is fine.
    expect(() => validateAvatar(big.subarray(0, CHANNEL_LIMITS.maxAvatarBytes))).not.toThrow();
  });

  it('refuses bytes that are not an allowed image, and empty ones', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const err = refusal(() => decodeAvatar(svg.toString('base64')));
    expect(err).toMatchObject({ code: 'invalid_input', message: 'avatar: not a PNG, JPEG or WebP image' });
    expect(refusal(() => validateAvatar(new Uint8Array(0)))).toMatchObject({
      code: 'invalid_input',
      message: 'avatar: the image is empty',
    });
  });
});
