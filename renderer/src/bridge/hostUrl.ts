import type { HOST_BRIDGE_PATH } from '../../../shared/ipc/names';

/** The host's bridge path (typed against the contract so the two cannot drift apart). */
const BRIDGE_PATH: typeof HOST_BRIDGE_PATH = '/bridge';

/** The per-launch token the host put in the page URL (`#token=…`), if any. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token ? token : null;
}

/** The bridge WebSocket URL on the host that served this page. */
export function bridgeSocketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`;
}
