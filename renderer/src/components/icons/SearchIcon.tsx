import { Icon } from './Icon';

export function SearchIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        d="M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13Zm4.8-1.7L20 20"
      />
    </Icon>
  );
}
