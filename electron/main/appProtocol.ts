/**
 * Serves the built renderer (dist/renderer) on app://parley/ with the CSP and the other
 * security headers. Only files inside the renderer folder are reachable: the URL path is
 * checked segment by segment, and the resolved file (after symlinks) must still be inside.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { buildCsp } from '../../shared/config/csp';
import { rendererResponseHeaders, staticRequestPath } from '../../shared/config/staticFiles';
import { APP_HOST, APP_SCHEME } from './appOrigin';

/**
 * standard: real origin and relative URL resolution; secure: treated like https (so the page
 * is a secure context); supportFetchAPI + corsEnabled: module scripts load through it.
 * Deliberately not bypassCSP.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
};

/** The renderer talks to the core over IPC only, so it may connect nowhere. */
export const ELECTRON_CSP = buildCsp({ connectSrc: [] });

export interface ProtocolRequest {
  readonly url: string;
  readonly method: string;
}

export function createAppProtocolHandler(rendererDir: string): (request: ProtocolRequest) => Promise<Response> {
  // Resolved once, lazily; a missing build is reported per request rather than crashing.
  let root: Promise<string | null> | null = null;
  const rendererRoot = () => (root ??= realpath(rendererDir).catch(() => null));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'bad request');
    }
    if (url.host !== APP_HOST) return plain(404, 'not found');
    const rootDir = await rendererRoot();
    if (!rootDir) return plain(500, 'the renderer is not built: run npm run build');
    const segments = staticRequestPath(url.pathname);
    const file = segments && (await resolveInside(rootDir, segments));
    if (!file) return plain(404, 'not found');
    const headers = rendererResponseHeaders(path.basename(file), ELECTRON_CSP);
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, { status: 200, headers });
  };
}

/** The real path of root/segments if it is a regular file inside root (symlinks followed), else null. */
async function resolveInside(root: string, segments: string[]): Promise<string | null> {
  try {
    const real = await realpath(path.join(root, ...segments));
    if (!real.startsWith(root + path.sep)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
