/**
 * The pure half of serving the built renderer, shared by Electron's app:// protocol and the
 * host-mode HTTP server: which file a URL path names (refusing anything that could step
 * outside the renderer folder), its content type, and the security headers every response
 * carries. Resolving the path on disk (and refusing symlinks that lead out) is done by each
 * side with Node's fs.
 */

export const INDEX_FILE = 'index.html';

/**
 * The renderer-relative file a URL path names, as path segments, or null when the path is
 * refused. `pathname` is the raw (percent-encoded) path of the URL, without query or hash.
 * Refused: anything not starting with '/', empty segments (`//`), `.`/`..` (encoded or not),
 * dot-files, encoded separators, backslashes, NUL and drive-letter colons.
 */
export function staticRequestPath(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null;
  if (pathname === '/') return [INDEX_FILE];
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment.startsWith('.') || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  otf: 'font/otf',
  wasm: 'application/wasm',
};

/** By extension; unknown files are served as opaque bytes (and nosniff keeps them that way). */
export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot >= 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/**
 * Headers for a renderer file. index.html is never cached (it names the current build's
 * hashed assets); the rest is revalidated, which is cheap on loopback and never stale.
 */
export function rendererResponseHeaders(fileName: string, csp: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(fileName),
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': fileName === INDEX_FILE ? 'no-store' : 'no-cache',
  };
}
