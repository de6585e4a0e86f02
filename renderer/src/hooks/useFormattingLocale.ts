import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formattingLocale } from '../i18n/languages';

/** The locale for Intl date and time formatting, in step with the UI language. */
export function useFormattingLocale(): string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(() => formattingLocale(navigator.languages, language), [language]);
}
