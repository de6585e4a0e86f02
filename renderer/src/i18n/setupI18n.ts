import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { FALLBACK_LANGUAGE, resources, SUPPORTED_LANGUAGES } from './resources';
import { pickLanguage } from './languages';

/** Creates the i18next instance for the app, in the user's preferred supported language. */
export async function setupI18n(preferredLanguages: readonly string[]): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources,
    lng: pickLanguage(preferredLanguages, SUPPORTED_LANGUAGES, FALLBACK_LANGUAGE),
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: SUPPORTED_LANGUAGES,
    // React escapes what it renders; escaping here too would show &amp; in names.
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance;
}
