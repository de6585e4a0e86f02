import { Icon } from './Icon';

export function KeyIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <circle cx="8" cy="15" r="4" />
        <path d="m10.8 12.2 8.7-8.7M16.5 6.5l2.5 2.5M14 9l2 2" />
      </g>
    </Icon>
  );
}
