import { Icon } from './Icon';

export function LockIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path
        fill="currentColor"
        d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 5a3 3 0 1 1 6 0v3H9V7Zm3 6.5a1.5 1.5 0 0 1 .75 2.8V18a.75.75 0 0 1-1.5 0v-1.7A1.5 1.5 0 0 1 12 13.5Z"
      />
    </Icon>
  );
}
