/**
 * The picture pipeline shared by the New channel dialog and the owner's tools: a hidden file
 * input, the picked file made into an avatar (makeChannelAvatar: square, ≤ 64 KiB), and a
 * worded error when it cannot be.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AvatarTooLargeError } from '../../format/channelAvatar';
import { makeChannelAvatar } from './makeChannelAvatar';

/** What the file picker offers (the core accepts exactly these, checked by their bytes). */
export const AVATAR_ACCEPT = 'image/png,image/jpeg,image/webp';

export function useAvatarFile(onMade: (bytes: Uint8Array) => void | Promise<void>) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);

  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // picking the same file again still fires change
    if (!file) return;
    setError(null);
    setWorking(true);
    try {
      let bytes: Uint8Array;
      try {
        bytes = await makeChannelAvatar(file);
      } catch (err) {
        setError(t(err instanceof AvatarTooLargeError ? 'channel.avatarTooLarge' : 'channel.avatarUnreadable'));
        return;
      }
      await onMade(bytes);
    } finally {
      setWorking(false);
    }
  };

  return {
    /** The hidden <input type="file"> (each caller adds its own aria-label). */
    inputProps: {
      ref: input,
      type: 'file',
      accept: AVATAR_ACCEPT,
      className: 'visually-hidden',
      tabIndex: -1,
      onChange: (event: ChangeEvent<HTMLInputElement>) => void onChange(event),
    },
    /** Opens the file picker. */
    open: () => input.current?.click(),
    working,
    error,
    setError,
  };
}
