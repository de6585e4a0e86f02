import { useTranslation } from 'react-i18next';
import { VerifiedIcon } from '../icons/VerifiedIcon';

/** Marks a contact whose safety number the user compared and marked verified. */
export function VerifiedBadge({ withText = false }: { withText?: boolean }) {
  const { t } = useTranslation();
  if (!withText) return <VerifiedIcon className="verified-badge verified-badge--icon" label={t('security.verified')} />;
  return (
    <span className="verified-badge verified-badge--pill">
      <VerifiedIcon className="verified-badge__icon" />
      {t('security.verified')}
    </span>
  );
}
