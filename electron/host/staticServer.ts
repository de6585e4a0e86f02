/**
 * Serves the built renderer to the browser in host mode. Only GET and HEAD, only files
 * inside the renderer folder (checked per URL segment, then again after resolving symlinks),
 * each with the CSP and the other security headers of shared/config.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { rendererResponseHeaders, staticRequestPath } from '../../shared/config/staticFiles';

export function createStaticHandler(
  rendererDir: string,
  csp: string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let root: Promise<string | null> | null = null;
  const rendererRoot = () => (root ??= realpath(rendererDir).catch(() => null));

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendPlain(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const rootDir = await rendererRoot();
    if (!rootDir) return sendPlain(res, 500, 'the renderer is not built: run npm run build');
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    const segments = staticRequestPath(pathname);
    const file = segments && (await resolveInside(rootDir, segments));
    if (!file) return sendPlain(res, 404, 'not found');
    const body = await readFile(file);
    res.writeHead(200, { ...rendererResponseHeaders(path.basename(file), csp), 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export function sendPlain(
  res: ServerResponse,
  status: number,
  text: string,
  extraHeaders: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
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
