import { avatarColorIndex, initials } from '../../format/avatar';
import './Avatar.css';

interface AvatarProps {
  userId: string;
  displayName: string;
  username?: string;
  size?: 'small' | 'medium' | 'large';
}

/** A person's initials on their colour. Decorative: the name is always written beside it. */
export function Avatar({ userId, displayName, username, size = 'medium' }: AvatarProps) {
  return (
    <span className={`avatar avatar--${size} avatar--c${avatarColorIndex(userId)}`} aria-hidden="true">
      {initials(displayName, username)}
    </span>
  );
}
