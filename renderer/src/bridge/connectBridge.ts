/**
 * Picks the transport once, at start-up: the Electron preload when present, else the
 * host-mode WebSocket. Nothing outside this folder knows which one is in use.
 */
import type { ParleyBridge } from '../../../shared/ipc/api';
import { electronBridge } from './electronBridge';
import { HostBridgeClient } from './hostBridgeClient';
import { bridgeSocketUrl, tokenFromHash } from './hostUrl';
import { alwaysUpLink, type BridgeLink } from './link';

export interface BridgeConnection {
  bridge: ParleyBridge;
  link: BridgeLink;
}

export type ConnectResult =
  | { ok: true; connection: BridgeConnection }
  /** Opened outside Electron without the host's token: there is no core to talk to. */
  | { ok: false; reason: 'no_core' };

export function connectBridge(win: Window): ConnectResult {
  const preload = electronBridge(win);
  if (preload) return { ok: true, connection: { bridge: preload, link: alwaysUpLink } };

  const token = tokenFromHash(win.location.hash);
  if (!token) return { ok: false, reason: 'no_core' };
  const client = new HostBridgeClient({ url: bridgeSocketUrl(win.location, token) }).start();
  return { ok: true, connection: { bridge: client, link: client } };
}
