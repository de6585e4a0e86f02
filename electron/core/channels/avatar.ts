/**
 * Channel avatars: the bytes the owner's renderer made (a small square picture), checked here
 * before anything goes to the relay — at most CHANNEL_LIMITS.maxAvatarBytes, and really a
 * PNG, JPEG or WebP by its magic bytes (not by what the renderer claims).
 */
import { createHash } from 'node:crypto';
import { IpcError } from '../../../shared/ipc';
import { CHANNEL_LIMITS, channelAvatarType } from '../../../shared/protocol';

export type AvatarMime = NonNullable<ReturnType<typeof channelAvatarType>>;

/** The image type of these bytes by their signature, or null when they are none of the allowed ones. */
export const sniffAvatarMime = (bytes: Uint8Array): AvatarMime | null => channelAvatarType(bytes);

/** Avatar bytes from the relay, which is not trusted to have checked them: anything else is no picture. */
export function usableAvatar(avatar: Uint8Array | null): Uint8Array | null {
  return avatar && sniffAvatarMime(avatar) !== null ? avatar : null;
}

/** Decodes and checks an avatar from the IPC contract (base64); IpcError invalid_input when unfit. */
export function decodeAvatar(base64: string): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  validateAvatar(bytes);
  return bytes;
}

export function validateAvatar(bytes: Uint8Array): void {
  if (bytes.byteLength === 0) throw new IpcError('invalid_input', 'avatar: the image is empty');
  if (bytes.byteLength > CHANNEL_LIMITS.maxAvatarBytes) {
    throw new IpcError(
      'invalid_input',
      `avatar: the image is ${bytes.byteLength} bytes, more than ${CHANNEL_LIMITS.maxAvatarBytes}`,
    );
  }
  if (sniffAvatarMime(bytes) === null) throw new IpcError('invalid_input', 'avatar: not a PNG, JPEG or WebP image');
}

/** A short id that changes with the bytes (lets the renderer cache the picture). */
export function avatarIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}

export const avatarToBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
