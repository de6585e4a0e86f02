/**
 * The translations we ship. Adding a language: add `locales/xx.json` with the same keys
 * and list it here; the direction (rtl for ar/he/fa/ur) follows from its code.
 */
import en from './locales/en.json';

export const resources = {
  en: { translation: en },
} as const;

export const FALLBACK_LANGUAGE = 'en';
export const SUPPORTED_LANGUAGES = Object.keys(resources);

// Typed keys: calling t() with a key en.json lacks is a compile error, not a raw key on screen.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: (typeof resources)['en'];
  }
}
