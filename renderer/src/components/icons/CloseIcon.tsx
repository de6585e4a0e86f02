import { Icon } from './Icon';

export function CloseIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="m6 6 12 12M18 6 6 18" />
    </Icon>
  );
}
