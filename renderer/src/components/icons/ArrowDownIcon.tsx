import { Icon } from './Icon';

export function ArrowDownIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        d="m6 9 6 6 6-6"
      />
    </Icon>
  );
}
