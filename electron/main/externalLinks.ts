/**
 * Links the renderer wants to open leave the app only one way: in the user's own browser or
 * mail client, for https: and mailto: URLs, after the user has seen the URL and said yes.
 * Everything else (file:, javascript:, custom schemes that launch other programs, http:) is
 * refused, because a message could contain any of them.
 */
import type { Logger } from '../core/api';

export const EXTERNAL_PROTOCOLS: readonly string[] = ['https:', 'mailto:'];
/** Longer URLs are refused: the confirmation dialog must be able to show the whole thing. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

export type ExternalLinkOutcome = 'opened' | 'cancelled' | 'refused';

export interface ExternalLinkDeps {
  /** Ask the user; resolves true only on an explicit yes. Receives the normalised URL. */
  confirm(url: string): Promise<boolean>;
  /** shell.openExternal */
  open(url: string): Promise<void>;
  logger: Logger;
}

/** The normalised URL if it may be offered for opening outside the app, else null. */
export function externalLinkTarget(url: string): string | null {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!EXTERNAL_PROTOCOLS.includes(parsed.protocol)) return null;
  // `https://bank.example@evil.example` reads like the bank in a dialog; refuse credentials.
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.protocol === 'https:' && parsed.hostname === '') return null;
  return parsed.href;
}

/**
 * Returns the function the navigation guards call for every link. One confirmation at a
 * time: while a dialog is up, further requests are refused, so a page cannot stack dialogs.
 */
export function createExternalLinkOpener(deps: ExternalLinkDeps): (url: string) => Promise<ExternalLinkOutcome> {
  let asking = false;
  return async (url) => {
    const target = externalLinkTarget(url);
    if (!target) {
      deps.logger.warn('refused to open a link outside the app', { scheme: schemeOf(url) });
      return 'refused';
    }
    if (asking) return 'refused';
    asking = true;
    try {
      if (!(await deps.confirm(target))) return 'cancelled';
      await deps.open(target);
      return 'opened';
    } catch (err) {
      deps.logger.warn('could not open a link outside the app', {
        error: err instanceof Error ? err.message : String(err),
      });
      return 'refused';
    } finally {
      asking = false;
    }
  };
}

/** Only the scheme goes to the log: the URL itself may be private. */
function schemeOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return match ? match[1]!.toLowerCase() : 'none';
}
