import { describe, expect, it } from 'vitest';
import { formattingLocale, pickLanguage, textDirection } from './languages';

describe('languages', () => {
  it('writes Arabic, Hebrew, Persian and Urdu right to left, everything else left to right', () => {
    for (const tag of ['ar', 'he-IL', 'fa', 'ur-PK']) expect(textDirection(tag)).toBe('rtl');
    for (const tag of ['en', 'de-DE', 'ja', 'zh-Hant-TW']) expect(textDirection(tag)).toBe('ltr');
  });

  it('picks the first preferred language we ship, by base language, else the fallback', () => {
    expect(pickLanguage(['fr-CA', 'de-DE', 'en-US'], ['en', 'de'], 'en')).toBe('de');
    expect(pickLanguage(['ja'], ['en'], 'en')).toBe('en');
    expect(pickLanguage([], ['en'], 'en')).toBe('en');
  });

  it("formats dates in the user's own variant of the UI language", () => {
    expect(formattingLocale(['en-GB', 'en'], 'en')).toBe('en-GB');
    expect(formattingLocale(['fr-FR'], 'en')).toBe('en');
  });
});
