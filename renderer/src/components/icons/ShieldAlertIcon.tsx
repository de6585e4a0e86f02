import { Icon } from './Icon';

/** A shield with an exclamation mark: the contact's safety number changed. */
export function ShieldAlertIcon({ className }: { className?: string }) {
  return (
    <Icon className={className}>
      <path
        fill="currentColor"
        d="M12 2 4.5 5v6.1c0 4.8 3.2 9.2 7.5 10.4 4.3-1.2 7.5-5.6 7.5-10.4V5L12 2Zm-1 5h2v6.5h-2V7Zm1 8.25a1.25 1.25 0 1 1 0 2.5 1.25 1.25 0 0 1 0-2.5Z"
      />
    </Icon>
  );
}
