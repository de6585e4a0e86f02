/**
 * Host mode's transport: the IPC contract over a loopback WebSocket, and the renderer served
 * over plain HTTP, both from one server bound to 127.0.0.1.
 *
 *   http://127.0.0.1:PORT/#token=TOKEN          the page (the token stays in the fragment)
 *   ws://127.0.0.1:PORT/bridge?token=TOKEN      the bridge
 *
 * Every request must carry our own Host (DNS rebinding); the bridge additionally needs our
 * Origin and the per-launch token. Core events go to every open bridge connection.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildCsp } from '../../shared/config/csp';
import { checkOutboundEvent } from '../../shared/config/outboundEvents';
import type { HostEventFrame } from '../../shared/ipc/hostWire';
import type { Core, Logger } from '../core/api';
import { describeError } from '../core/logger';
import { BRIDGE_SOCKET_MAX_PAYLOAD, serveBridgeSocket } from './bridgeSocket';
import { allowedOrigins, isAllowedHost } from './loopback';
import { createStaticHandler, sendPlain } from './staticServer';
import { createBridgeToken } from './token';
import { refuseUpgradeReason } from './upgradeGuard';

export const LOOPBACK_HOST = '127.0.0.1';
/** How long open sockets get to finish their closing handshake on close(). */
const CLOSE_GRACE_MS = 1_000;

export interface HostBridgeOptions {
  core: Pick<Core, 'handlers' | 'onEvent'>;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  logger: Logger;
}

export interface HostBridge {
  /** http://127.0.0.1:PORT/#token=TOKEN — the page to open; it carries the secret. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes every bridge connection. Does not close the core. */
  close(): Promise<void>;
}

export async function startHostBridge({ core, rendererDir, port = 0, logger }: HostBridgeOptions): Promise<HostBridge> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as AddressInfo).port;
  const token = createBridgeToken();
  const csp = buildCsp({ connectSrc: allowedOrigins(boundPort).map((origin) => origin.replace(/^http:/, 'ws:')) });
  const serveStatic = createStaticHandler(rendererDir, csp);
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_SOCKET_MAX_PAYLOAD, perMessageDeflate: false });

  server.on('request', (req, res) => {
    if (!isAllowedHost(req.headers.host, boundPort)) return sendPlain(res, 403, 'forbidden');
    serveStatic(req, res).catch((err: unknown) => {
      logger.error('serving a renderer file failed', { error: describeError(err) });
      if (!res.headersSent) sendPlain(res, 500, 'internal error');
      else res.destroy();
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const refusal = refuseUpgradeReason(req, { port: boundPort, token });
    if (refusal) {
      logger.warn('refused a bridge connection', { reason: refusal });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', (err) => logger.warn('bridge connection error', { error: describeError(err) }));
      serveBridgeSocket(ws, core, logger);
    });
  });
  // A client that vanishes mid-request must not take the server down.
  server.on('clientError', (_err, socket) => socket.destroy());

  const unsubscribe = core.onEvent((name, payload) => {
    const checked = checkOutboundEvent(name, payload);
    if (!checked.ok) {
      logger.error('dropped an event that breaks the contract', { reason: checked.reason });
      return;
    }
    const frame: HostEventFrame = { event: checked.envelope.name, payload: checked.envelope.payload };
    const text = JSON.stringify(frame);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      unsubscribe();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeSockets(sockets);
      wss.close();
      server.closeAllConnections();
      await stopped;
    })());

  return { url: `http://${LOOPBACK_HOST}:${boundPort}/#token=${token}`, port: boundPort, close };
}

/** Says goodbye (1001) to every socket; those that do not finish the handshake in time are cut. */
async function closeSockets(sockets: Set<WebSocket>): Promise<void> {
  const all = [...sockets];
  const closed = all.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
  for (const ws of all) ws.close(1001, 'Parley is shutting down');
  const timer = setTimeout(() => all.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS);
  await Promise.all(closed);
  clearTimeout(timer);
}
