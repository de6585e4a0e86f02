/**
 * Every translation key the sources use exists in en.json, and every key in en.json is
 * used somewhere, so the English file is the complete list a translator works from.
 */
import { describe, expect, it } from 'vitest';
import en from './locales/en.json';

const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}', '!../test-support/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

function flatten(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? flatten(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const defined = new Set(flatten(en));
/** Keys as code names them: plural forms collapse to their base key. */
const definedBases = new Set([...defined].map((key) => key.replace(PLURAL_SUFFIX, '')));

/** `t('a.b')` calls, and key literals in maps (`'a.b'` values of the form namespace.key). */
function keysUsedIn(source: string): { calls: string[]; literals: string[] } {
  const calls = [...source.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const literals = [...source.matchAll(/['"]([a-z][A-Za-z]*(?:\.[a-zA-Z]+)+)['"]/g)].map((m) => m[1]!);
  return { calls, literals };
}

describe('i18n completeness', () => {
  const files = Object.entries(sources);

  it('scans the renderer sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('has every key used in a t() call', () => {
    const missing = files.flatMap(([file, source]) =>
      keysUsedIn(source)
        .calls.filter((key) => !definedBases.has(key))
        .map((key) => `${file}: ${key}`),
    );
    expect(missing).toEqual([]);
  });

  it('uses every key it defines', () => {
    const used = new Set(
      files.flatMap(([, source]) => {
        const { calls, literals } = keysUsedIn(source);
        return [...calls, ...literals];
      }),
    );
    const unused = [...definedBases].filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});
