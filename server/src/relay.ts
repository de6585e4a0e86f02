/**
 * The relay: an HTTP server with a health probe and one WebSocket endpoint speaking the
 * protocol of shared/protocol. It owns its connections and timers; it does not own the
 * storage (the caller opens and closes it) nor a bus passed in by the caller.
 */
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { signaturesReady } from './auth/signatures';
import type { Bus } from './bus/bus';
import { createChannelServices, type ChannelOptions } from './channels/services';
import { createGroupServices } from './groups/services';
import { OneTimePreKeyBudget, type PreKeyBudgetOptions } from './limits/preKeyBudget';
import { createMemoryBus } from './bus/memory';
import { resolveLimits, type RelayLimits } from './config/limits';
import { RelayConnection } from './connection/connection';
import type { RelayServices } from './handlers/context';
import { WEBSOCKET_PATH, handleHttpRequest, requestPath } from './http/routes';
import { createJsonLogger, describeError, type Logger } from './log/logger';
import type { Storage } from './storage/storage';

export interface RelayOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Accounts and queues. The caller owns it: Relay.close() leaves it open. */
  storage: Storage;
  /** Notifications between connections (and relay nodes). Default: a private in-process bus. */
  bus?: Bus;
  /** Default: JSON lines on stderr. */
  logger?: Logger;
  /** Overrides of the protocol LIMITS (tests lower them to reach a limit quickly). */
  limits?: Partial<RelayLimits>;
  /** Clock, ms since epoch. Default Date.now. */
  now?: () => number;
  /** Channel fan-out tuning (slow-subscriber buffer cap, view flush interval). */
  channels?: ChannelOptions;
  /** Who may take one-time prekeys (limits/preKeyBudget.ts). Tests of the stock itself lift it. */
  preKeyBudget?: PreKeyBudgetOptions;
}

export interface Relay {
  /** ws://host:port/v1/ws */
  readonly url: string;
  readonly port: number;
  /** Tells clients `shutting_down`, closes every socket and stops listening. */
  close(): Promise<void>;
}

/** Ids of handed-out one-time prekeys are kept this long (a retried upload cannot re-stock them). */
export const USED_PREKEY_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;
/** De-duplication records are kept this long, so a late resend is still recognised. */
export const SENT_RECORD_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** How often self-destructing envelopes and group messages past their purge deadline are deleted. */
export const PURGE_SWEEP_INTERVAL_MS = 10_000;
/** How long a closing relay waits for a client to complete the close handshake. */
const CLOSE_HANDSHAKE_GRACE_MS = 2_000;

export async function startRelay(options: RelayOptions): Promise<Relay> {
  await signaturesReady;
  const limits = resolveLimits(options.limits);
  const logger = options.logger ?? createJsonLogger();
  const now = options.now ?? Date.now;
  const ownsBus = options.bus === undefined;
  const bus =
    options.bus ??
    createMemoryBus({
      onHandlerError: (error, topic) => logger.error('bus handler failed', { topic, error: describeError(error) }),
    });
  const channels = createChannelServices(options.channels);
  const groups = createGroupServices(options.storage.groups, logger, now);
  const preKeyBudget = new OneTimePreKeyBudget(now, options.preKeyBudget);
  const services: RelayServices = {
    storage: options.storage,
    bus,
    logger,
    limits,
    now,
    channels,
    groups,
    preKeyBudget,
  };
  const connections = new Set<RelayConnection>();
  const background = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const wss = new WebSocketServer({
    noServer: true,
    // Frames up to twice the limit are read so they can be answered with frame_too_large;
    // anything larger makes ws close the socket (1009) rather than buffer it.
    maxPayload: 2 * limits.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const server = createServer(handleHttpRequest);

  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    if (closing) return refuseUpgrade(socket, 503, 'Service Unavailable');
    if (requestPath(request) !== WEBSOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (closing) {
        ws.close(1001, 'shutting_down');
        return;
      }
      const connection = new RelayConnection(ws, services);
      connections.add(connection);
      void connection.closed.then(() => connections.delete(connection));
      logger.debug('connection opened', { conn: connection.id });
      connection.start();
    });
  });

  const track = (work: Promise<unknown>): void => {
    const tracked = work.finally(() => background.delete(tracked));
    background.add(tracked);
  };
  const pruneSentRecords = (): void => {
    track(
      options.storage
        .pruneSentRecords(now() - SENT_RECORD_RETENTION_MS)
        .catch((error: unknown) => logger.warn('pruning sent records failed', { error: describeError(error) })),
    );
    track(
      options.storage
        .pruneUsedOneTimePreKeys(now() - USED_PREKEY_RETENTION_MS)
        .catch((error: unknown) => logger.warn('pruning used prekey ids failed', { error: describeError(error) })),
    );
  };
  // Self-destructing 1:1 envelopes and group messages alike: each purge checkpoints the WAL
  // after deleting, so no copy of a purged body outlives the sweep in the database files.
  const purgeExpired = (): void => {
    const at = now();
    track(
      options.storage
        .purgeExpiredEnvelopes(at)
        .catch((error: unknown) => logger.warn('purging expired envelopes failed', { error: describeError(error) })),
    );
    track(
      options.storage.groups
        .purgeExpired(at)
        .catch((error: unknown) =>
          logger.warn('purging expired group messages failed', { error: describeError(error) }),
        ),
    );
  };

  const host = options.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (error) {
    wss.close();
    if (ownsBus) await bus.close();
    throw error;
  }
  const url = `ws://${formatHost(host)}:${port}${WEBSOCKET_PATH}`;

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, limits.heartbeatMs);
  const pruneTimer = setInterval(pruneSentRecords, PRUNE_INTERVAL_MS);
  const flushViews = (): void =>
    track(
      channels.views
        .flush(options.storage.channels)
        .catch((error: unknown) => logger.warn('writing view counts failed', { error: describeError(error) })),
    );
  const viewTimer = setInterval(flushViews, channels.viewFlushMs);
  viewTimer.unref();
  const purgeTimer = setInterval(purgeExpired, PURGE_SWEEP_INTERVAL_MS);
  heartbeat.unref();
  pruneTimer.unref();
  purgeTimer.unref();
  pruneSentRecords();
  purgeExpired();
  logger.info('relay listening', { url });

  const shutdown = async (): Promise<void> => {
    clearInterval(heartbeat);
    clearInterval(pruneTimer);
    clearInterval(viewTimer);
    clearInterval(purgeTimer);
    const stoppedListening = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const open = [...connections];
    for (const connection of open) connection.shutdown();
    await Promise.all(open.map((connection) => closeWithin(connection, CLOSE_HANDSHAKE_GRACE_MS)));
    // Let in-flight requests finish before the caller closes the storage.
    await Promise.all(open.map((connection) => connection.settled()));
    flushViews();
    await Promise.allSettled([...background]);
    server.closeAllConnections();
    await stoppedListening;
    wss.close();
    if (ownsBus) await bus.close();
    logger.info('relay closed', { url });
  };

  return {
    url,
    port,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('the relay is not listening on a TCP port'));
        return;
      }
      resolve(address.port);
    });
  });
}

async function closeWithin(connection: RelayConnection, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      connection.terminate();
      resolve();
    }, graceMs);
  });
  await Promise.race([connection.closed, gaveUp]);
  clearTimeout(timer);
  await connection.closed;
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** IPv6 literals need brackets in a URL. */
function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
