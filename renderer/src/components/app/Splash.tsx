import { useTranslation } from 'react-i18next';
import { useActions, useAppStore } from '../../app/AppContext';
import { errorMessageKey } from '../../i18n/errorMessages';
import { LogoMark } from '../icons/LogoMark';

/** Shown until the core says who we are; offers a retry if it could not. */
export function Splash() {
  const { t } = useTranslation();
  const { loadSession } = useActions();
  const loadError = useAppStore((s) => s.session.loadError);
  // While the core link is down the banner says so, and reconnecting retries by itself.
  const linkUp = useAppStore((s) => s.connection.link === 'up');
  return (
    <main className="splash">
      <LogoMark className="splash__logo" />
      {loadError && linkUp ? (
        <>
          <p role="alert">{t('app.loadFailed', { reason: t(errorMessageKey(loadError)) })}</p>
          <button type="button" className="button button--primary" onClick={() => void loadSession()}>
            {t('app.retry')}
          </button>
        </>
      ) : (
        <p className="splash__note">{t('app.loading')}</p>
      )}
    </main>
  );
}
