import { useEffect, useState } from 'react';
import { useActions } from '../../app/AppContext';
import { sniffImageMime } from '../../format/channelAvatar';
import { Avatar } from '../common/Avatar';

interface ChannelAvatarProps {
  channelId: string;
  title: string;
  /** Changes with the picture (ChannelView.avatarId); absent: the channel has none. */
  avatarKey: string | undefined;
  size?: 'small' | 'medium' | 'large';
  /** Alternative text; without it the picture is decorative (the title is written beside it). */
  alt?: string;
}

/**
 * A channel's picture, from its bytes through an object URL (revoked on unmount); the
 * initials avatar while it loads, when there is none, or when it cannot be shown.
 */
export function ChannelAvatar({ channelId, title, avatarKey, size = 'medium', alt }: ChannelAvatarProps) {
  const url = useChannelAvatarUrl(channelId, avatarKey);
  const [broken, setBroken] = useState<string | null>(null);
  if (!url || broken === url) return <Avatar userId={channelId} displayName={title} size={size} />;
  return (
    <img
      className={`avatar avatar--${size} avatar--picture`}
      src={url}
      alt={alt ?? ''}
      aria-hidden={alt ? undefined : true}
      draggable={false}
      onError={() => setBroken(url)}
    />
  );
}

function useChannelAvatarUrl(channelId: string, avatarKey: string | undefined): string | null {
  const { loadChannelAvatar } = useActions();
  const [shown, setShown] = useState<{ key: string; url: string } | null>(null);
  const key = avatarKey ? `${channelId}:${avatarKey}` : null;

  useEffect(() => {
    if (!avatarKey) return;
    let current = true;
    let made: string | null = null;
    void loadChannelAvatar(channelId, avatarKey).then((bytes) => {
      const type = bytes && sniffImageMime(bytes);
      if (!current || !bytes || !type) return;
      made = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
      setShown({ key: `${channelId}:${avatarKey}`, url: made });
    });
    return () => {
      current = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [channelId, avatarKey, loadChannelAvatar]);

  return shown && shown.key === key ? shown.url : null;
}
