import { useTranslation } from 'react-i18next';
import { formatDayLabel } from '../../format/time';
import { useNow } from '../../hooks/useNow';

/** Refresh "Today"/"Yesterday" about once a minute, so they roll over at midnight. */
const CLOCK_TICK_MS = 60_000;

export function DaySeparator({ at, locale }: { at: number; locale: string }) {
  const { t } = useTranslation();
  const now = useNow(CLOCK_TICK_MS);
  const label = formatDayLabel(at, now, locale, { today: t('chat.today'), yesterday: t('chat.yesterday') });
  return (
    <div className="day-separator">
      <span className="day-separator__label">{label}</span>
    </div>
  );
}
