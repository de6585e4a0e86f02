import { Icon } from './Icon';

/** Parley's mark: a speech bubble on the accent colour. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <Icon className={className} viewBox="0 0 64 64">
      <circle className="logo-mark__disc" cx="32" cy="32" r="32" />
      <path
        fill="#fff"
        d="M19 22.5c0-2.5 2-4.5 4.5-4.5h17c2.5 0 4.5 2 4.5 4.5v12c0 2.5-2 4.5-4.5 4.5H31l-7.2 6.2c-.7.6-1.8.1-1.8-.8V39c-1.7 0-3-1.3-3-3z"
      />
    </Icon>
  );
}
