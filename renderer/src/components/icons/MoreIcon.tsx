import { Icon } from './Icon';

/** Three dots, stacked: "more actions". */
export function MoreIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <g fill="currentColor">
        <circle cx="12" cy="5.5" r="1.9" />
        <circle cx="12" cy="12" r="1.9" />
        <circle cx="12" cy="18.5" r="1.9" />
      </g>
    </Icon>
  );
}
