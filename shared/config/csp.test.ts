import { describe, expect, it } from 'vitest';
import { buildCsp } from './csp';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('buildCsp', () => {
  it('allows only our own scripts, styles and fonts, and nothing framed, posted or plugged in', () => {
    const csp = directives(buildCsp({ connectSrc: [] }));
    expect(Object.fromEntries(csp)).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'connect-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    });
  });

  it('lets the page connect exactly where it is told (host mode: its own loopback socket)', () => {
    const csp = buildCsp({ connectSrc: ['ws://127.0.0.1:4000', 'ws://localhost:4000'] });
    expect(directives(csp).get('connect-src')).toEqual(['ws://127.0.0.1:4000', 'ws://localhost:4000']);
    expect(csp).not.toContain('unsafe');
  });

  it('refuses a source that would smuggle in another directive', () => {
    expect(() => buildCsp({ connectSrc: ["ws://x; script-src 'unsafe-inline'"] })).toThrow(/invalid connect-src/);
    expect(() => buildCsp({ connectSrc: ['*'] })).toThrow(/invalid connect-src/);
    expect(() => buildCsp({ connectSrc: [''] })).toThrow(/invalid connect-src/);
  });
});
