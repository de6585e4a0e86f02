/**
 * Decides whether a WebSocket upgrade may become a bridge connection: the bridge path, the
 * launch token, and a Host and Origin that are our own loopback address. Anything else is
 * refused before the upgrade, so a refused client never gets a socket to probe.
 */
import type { IncomingMessage } from 'node:http';
import { HOST_BRIDGE_PATH } from '../../shared/ipc/names';
import { isAllowedHost, isAllowedOrigin } from './loopback';
import { tokensEqual } from './token';

export interface UpgradeExpectations {
  port: number;
  token: string;
}

/** null when the upgrade is acceptable, else the reason (for the log; never the token itself). */
export function refuseUpgradeReason(req: IncomingMessage, expected: UpgradeExpectations): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== HOST_BRIDGE_PATH) return 'wrong path';
  if (!isAllowedHost(req.headers.host, expected.port)) return 'foreign Host header';
  if (!isAllowedOrigin(req.headers.origin, expected.port)) return 'foreign or missing Origin';
  if (!tokensEqual(expected.token, url.searchParams.get('token'))) return 'missing or wrong token';
  return null;
}
