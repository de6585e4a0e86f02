/**
 * Turns a picked image file into a channel avatar: decoded by the browser (createImageBitmap,
 * so nothing is parsed by our code), centre-cropped to a square, scaled to 256×256 on a
 * canvas, and encoded as WebP (else JPEG, else PNG) small enough for the relay.
 */
import { CHANNEL_AVATAR_SIDE, centerSquare, fitAvatar, type AvatarEncoder } from '../../format/channelAvatar';

export class AvatarUnreadableError extends Error {
  constructor() {
    super('the file is not an image this app can read');
    this.name = 'AvatarUnreadableError';
  }
}

export async function makeChannelAvatar(file: Blob): Promise<Uint8Array> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new AvatarUnreadableError();
  }
  try {
    const canvas = document.createElement('canvas');
    canvas.width = CHANNEL_AVATAR_SIDE;
    canvas.height = CHANNEL_AVATAR_SIDE;
    const context = canvas.getContext('2d');
    if (!context || bitmap.width === 0 || bitmap.height === 0) throw new AvatarUnreadableError();
    const { sx, sy, side } = centerSquare(bitmap.width, bitmap.height);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = 'high';
    context.drawImage(bitmap, sx, sy, side, side, 0, 0, CHANNEL_AVATAR_SIDE, CHANNEL_AVATAR_SIDE);
    const encode: AvatarEncoder = (type, quality) =>
      new Promise((resolve, reject) => {
        canvas.toBlob(
          (blob) => {
            if (!blob) return reject(new AvatarUnreadableError());
            void blob.arrayBuffer().then((buffer) => resolve({ bytes: new Uint8Array(buffer), type: blob.type }));
          },
          type,
          quality,
        );
      });
    return (await fitAvatar(encode)).bytes;
  } finally {
    bitmap.close();
  }
}
