import { Icon } from './Icon';

/** A shield with a tick: the contact's safety number was compared and marked verified. */
export function VerifiedIcon({ className, label }: { className?: string; label?: string }) {
  return (
    <Icon className={className} label={label}>
      <path
        fill="currentColor"
        d="M12 2 4.5 5v6.1c0 4.8 3.2 9.2 7.5 10.4 4.3-1.2 7.5-5.6 7.5-10.4V5L12 2Zm-1.2 13.6-3.5-3.5 1.4-1.4 2.1 2.1 4.8-4.8 1.4 1.4-6.2 6.2Z"
      />
    </Icon>
  );
}
