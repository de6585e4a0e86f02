/**
 * Which language to show and which way it is written. Pure functions of the browser's
 * preferences so they can be tested without a DOM.
 */

/** Languages written right to left among those we may ship. */
const RIGHT_TO_LEFT = new Set(['ar', 'he', 'fa', 'ur']);

export type TextDirection = 'ltr' | 'rtl';

/** The base language of a BCP 47 tag: `pt-BR` → `pt`. */
export function baseLanguage(tag: string): string {
  return tag.split('-')[0]?.toLowerCase() ?? '';
}

export function textDirection(language: string): TextDirection {
  return RIGHT_TO_LEFT.has(baseLanguage(language)) ? 'rtl' : 'ltr';
}

/** The first of the user's preferred languages we have a translation for, else the fallback. */
export function pickLanguage(preferred: readonly string[], supported: readonly string[], fallback: string): string {
  for (const tag of preferred) {
    const base = baseLanguage(tag);
    if (supported.includes(base)) return base;
  }
  return fallback;
}

/**
 * The locale for dates and times: the user's own regional variant of the UI language
 * when they prefer one (an en-GB user gets 24-hour times in the English UI), else the UI
 * language itself.
 */
export function formattingLocale(preferred: readonly string[], language: string): string {
  return preferred.find((tag) => baseLanguage(tag) === language) ?? language;
}
