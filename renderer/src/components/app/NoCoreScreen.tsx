import { useTranslation } from 'react-i18next';
import { LogoMark } from '../icons/LogoMark';

/** The page was opened without a core behind it (not in Electron, no host token in the URL). */
export function NoCoreScreen() {
  const { t } = useTranslation();
  return (
    <main className="splash">
      <LogoMark className="splash__logo" />
      <h1 className="splash__title">{t('app.noCore.title')}</h1>
      <p className="splash__note">{t('app.noCore.body')}</p>
    </main>
  );
}
