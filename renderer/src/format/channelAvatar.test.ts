import { describe, expect, it } from 'vitest';
import {
  AvatarTooLargeError,
  base64ToBytes,
  bytesToBase64,
  centerSquare,
  fitAvatar,
  sniffImageMime,
  type AvatarEncoder,
  type AvatarMime,
} from './channelAvatar';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

describe('sniffImageMime', () => {
  it('knows PNG, JPEG and WebP by their signatures', () => {
    expect(sniffImageMime(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffImageMime(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffImageMime(text('RIFF\x24\0\0\0WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses anything else', () => {
    expect(sniffImageMime(text('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffImageMime(text('GIF89a'))).toBeNull();
    expect(sniffImageMime(text('RIFF\0\0\0\0WAVE'))).toBeNull();
    expect(sniffImageMime(bytes(0x89, 0x50, 0x4e))).toBeNull();
    expect(sniffImageMime(new Uint8Array(0))).toBeNull();
  });
});

describe('centerSquare', () => {
  it('takes the middle of a wide or tall picture', () => {
    expect(centerSquare(400, 300)).toEqual({ sx: 50, sy: 0, side: 300 });
    expect(centerSquare(300, 401)).toEqual({ sx: 0, sy: 50, side: 300 });
    expect(centerSquare(256, 256)).toEqual({ sx: 0, sy: 0, side: 256 });
  });
});

/** An encoder whose output shrinks with quality: `size(type, quality)` bytes. */
function fakeEncoder(size: (type: AvatarMime, quality?: number) => number, supported: AvatarMime[]) {
  const calls: string[] = [];
  const encode: AvatarEncoder = (type, quality) => {
    calls.push(`${type}@${quality ?? '-'}`);
    const real = supported.includes(type) ? type : 'image/png';
    return Promise.resolve({ bytes: new Uint8Array(size(real as AvatarMime, quality)), type: real });
  };
  return { encode, calls };
}

describe('fitAvatar', () => {
  it('lowers the WebP quality until it fits', async () => {
    const { encode, calls } = fakeEncoder((_, q = 1) => Math.round(q * 100_000), ['image/webp', 'image/jpeg']);
    const out = await fitAvatar(encode, 65_536);
    expect(out.type).toBe('image/webp');
    expect(out.bytes.byteLength).toBe(60_000);
    expect(calls).toEqual(['image/webp@0.9', 'image/webp@0.8', 'image/webp@0.7', 'image/webp@0.6']);
  });

  it('falls back to JPEG when WebP cannot be made, and to PNG when lossy never fits', async () => {
    const jpeg = fakeEncoder(() => 1_000, ['image/jpeg']);
    expect((await fitAvatar(jpeg.encode, 65_536)).type).toBe('image/jpeg');
    expect(jpeg.calls).toEqual(['image/webp@0.9', 'image/jpeg@0.9']);

    const pngOnly = fakeEncoder(() => 2_000, []);
    expect((await fitAvatar(pngOnly.encode, 65_536)).type).toBe('image/png');
  });

  it('gives up when nothing fits', async () => {
    const { encode } = fakeEncoder(() => 70_000, ['image/webp', 'image/jpeg']);
    await expect(fitAvatar(encode, 65_536)).rejects.toBeInstanceOf(AvatarTooLargeError);
  });
});

describe('base64', () => {
  it('round-trips bytes, including large ones', () => {
    const big = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
    expect(bytesToBase64(bytes(0, 1, 2, 253, 254, 255))).toBe('AAEC/f7/');
  });
});
