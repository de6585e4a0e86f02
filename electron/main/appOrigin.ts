/**
 * The renderer's origin in Electron: a custom privileged scheme, `app://parley/…`. Serving
 * from our own scheme instead of file:// gives the page a real origin (file:// pages share
 * one with every local file), lets us attach the CSP as a response header, and gives the
 * IPC handler one exact origin to trust.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'parley';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL belongs to our renderer. Compared by scheme and host, not URL.origin: for
 * a scheme Node does not know as "special", `new URL('app://parley/').origin` is "null".
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === ''
  );
}
