/**
 * Channel avatars in the renderer: pure helpers (no DOM), so they can be tested without a
 * canvas. The picture itself is made in components/channel/makeChannelAvatar.ts.
 */

/** The core's limit (CHANNEL_LIMITS.maxAvatarBytes in shared/protocol; the renderer imports only types). */
export const CHANNEL_AVATAR_MAX_BYTES = 64 * 1024;
/** Avatars are made square, this many pixels on a side. */
export const CHANNEL_AVATAR_SIDE = 256;

export type AvatarMime = 'image/png' | 'image/jpeg' | 'image/webp';

/** The type of an image by its magic bytes (PNG, JPEG or WebP); null for anything else. */
export function sniffImageMime(bytes: Uint8Array): AvatarMime | null {
  const at = (i: number) => bytes[i];
  const ascii = (text: string, offset: number) =>
    bytes.byteLength >= offset + text.length && [...text].every((c, i) => at(offset + i) === c.charCodeAt(0));
  if (bytes.byteLength >= 8 && at(0) === 0x89 && ascii('PNG\r\n\x1a\n', 1)) return 'image/png';
  if (bytes.byteLength >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (ascii('RIFF', 0) && ascii('WEBP', 8)) return 'image/webp';
  return null;
}

/** The largest centred square of a `width`×`height` picture (source rectangle for drawImage). */
export function centerSquare(width: number, height: number): { sx: number; sy: number; side: number } {
  const side = Math.min(width, height);
  return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), side };
}

/** Encodes the picture as `type` at `quality`; resolves to the bytes and the type really produced. */
export type AvatarEncoder = (type: AvatarMime, quality?: number) => Promise<{ bytes: Uint8Array; type: string }>;

const LOSSY: readonly AvatarMime[] = ['image/webp', 'image/jpeg'];
const QUALITIES = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];

export class AvatarTooLargeError extends Error {
  constructor() {
    super('the picture could not be made small enough');
    this.name = 'AvatarTooLargeError';
  }
}

/**
 * WebP, else JPEG (when the encoder cannot make WebP it answers with another type), at
 * falling quality until the bytes fit under `maxBytes`; PNG as the last resort.
 */
export async function fitAvatar(
  encode: AvatarEncoder,
  maxBytes = CHANNEL_AVATAR_MAX_BYTES,
): Promise<{ bytes: Uint8Array; type: AvatarMime }> {
  for (const type of LOSSY) {
    for (const quality of QUALITIES) {
      const out = await encode(type, quality);
      if (out.type !== type) break; // this format is not supported: try the next one
      if (out.bytes.byteLength <= maxBytes) return { bytes: out.bytes, type };
    }
  }
  const png = await encode('image/png');
  if (png.type === 'image/png' && png.bytes.byteLength <= maxBytes) return { bytes: png.bytes, type: 'image/png' };
  throw new AvatarTooLargeError();
}

/** Base64 for the IPC contract (host mode carries it as JSON). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.byteLength; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
