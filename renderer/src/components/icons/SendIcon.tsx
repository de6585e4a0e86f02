import { Icon } from './Icon';

/** A paper plane; mirrored in right-to-left layouts by CSS (it points the way text flows). */
export function SendIcon({ className }: { className?: string }) {
  return (
    <Icon className={['icon--directional', className].filter(Boolean).join(' ')}>
      <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6l-.01 6.53L15 12 3.39 13.87z" />
    </Icon>
  );
}
