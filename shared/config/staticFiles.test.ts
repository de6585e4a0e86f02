import { describe, expect, it } from 'vitest';
import { contentTypeFor, rendererResponseHeaders, staticRequestPath } from './staticFiles';

describe('staticRequestPath', () => {
  it('maps / to index.html and plain paths to their segments', () => {
    expect(staticRequestPath('/')).toEqual(['index.html']);
    expect(staticRequestPath('/assets/index-abc.js')).toEqual(['assets', 'index-abc.js']);
    expect(staticRequestPath('/fonts/Noto%20Sans.woff2')).toEqual(['fonts', 'Noto Sans.woff2']);
  });

  it('refuses every way of stepping outside the folder', () => {
    for (const attack of [
      '/../etc/passwd',
      '/assets/../../etc/passwd',
      '/%2e%2e/etc/passwd',
      '/%2E%2E%2Fetc%2Fpasswd',
      '/..%5c..%5cwindows',
      '/assets%2f..%2f..%2fsecret',
      '/C:/Windows/win.ini',
      '/index.html%00.js',
      '//etc/passwd',
      '/.env',
      '/assets/',
      'index.html',
      '/%E0%A4%A',
    ]) {
      expect(staticRequestPath(attack), attack).toBeNull();
    }
  });
});

describe('contentTypeFor', () => {
  it('knows the renderer build outputs and falls back to opaque bytes', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('logo.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('f.woff2')).toBe('font/woff2');
    expect(contentTypeFor('README')).toBe('application/octet-stream');
  });
});

describe('rendererResponseHeaders', () => {
  it('sends the CSP, nosniff and no referrer, and never caches index.html', () => {
    const index = rendererResponseHeaders('index.html', "default-src 'none'");
    expect(index).toMatchObject({
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    expect(rendererResponseHeaders('app.js', 'x')['Cache-Control']).not.toBe('no-store');
  });
});
