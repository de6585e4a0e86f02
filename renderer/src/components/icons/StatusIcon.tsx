import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../../../../shared/ipc/contract';
import { Icon } from './Icon';

const CHECK = 'M2.5 12.5 7 17 16.5 6.5';
const SECOND_CHECK = 'M11.5 16 12.5 17 22 6.5';

const LABEL_KEYS = {
  sending: 'status.sending',
  sent: 'status.sent',
  delivered: 'status.delivered',
  read: 'status.read',
  failed: 'status.failed',
} as const satisfies Record<DeliveryStatus, string>;

/**
 * An outgoing message's delivery state: clock (sending), ✓ (sent), ✓✓ (delivered),
 * accent ✓✓ (read), ! (failed). Announced by name, since the shapes alone say nothing
 * to a screen reader.
 */
export function StatusIcon({
  status,
  className,
  label,
}: {
  status: DeliveryStatus;
  className?: string;
  /** Says more than the status's name (e.g. "Read by 2 members" in a group). */
  label?: string | undefined;
}) {
  const { t } = useTranslation();
  const classes = ['status-icon', `status-icon--${status}`, className].filter(Boolean).join(' ');
  return (
    <Icon className={classes} label={label ?? t(LABEL_KEYS[status])}>
      {status === 'sending' && (
        <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          <circle cx="12" cy="12" r="8" />
          <path d="M12 7.5V12l3 2" />
        </g>
      )}
      {status === 'sent' && (
        <path
          d={CHECK}
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
      {(status === 'delivered' || status === 'read') && (
        <path
          d={`${CHECK}${SECOND_CHECK}`}
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
      {status === 'failed' && (
        <g>
          <circle cx="12" cy="12" r="9" fill="currentColor" />
          <path d="M12 7v6" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
          <circle cx="12" cy="16.6" r="1.3" fill="#fff" />
        </g>
      )}
    </Icon>
  );
}
