/**
 * The relay's command-line program, minus the process wiring (see ../cli.ts), so tests can
 * run it in-process: parse flags, open the database, start the relay, announce the URL.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger, describeError, type LineSink } from '../log/logger';
import { startRelay, type Relay } from '../relay';
import { openSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/storage';
import { USAGE, parseRelayArgs } from './args';
import type { PlatformInfo } from './dataDir';

export const DATABASE_FILE = 'relay.sqlite';
/** The stdout line tests and the launcher wait for. */
export const URL_LINE_PREFIX = 'PARLEY_RELAY_URL';

export interface CliIo {
  /** Receives exactly one line, the URL, once listening (or the help text). */
  readonly stdout: LineSink;
  /** Log lines and error messages. */
  readonly stderr: LineSink;
  readonly platform?: PlatformInfo;
}

export type CliResult =
  /** The program is done (help, bad flags, failure to start); exit with this code. */
  | { readonly kind: 'exit'; readonly code: number }
  /** The relay is running; call stop() to shut down gracefully. */
  | { readonly kind: 'running'; readonly relay: Relay; readonly dataDir: string; stop(): Promise<void> };

/** Exit code for bad flags, following the shell convention for usage errors. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<CliResult> {
  const platform = io.platform ?? { platform: process.platform, homeDir: homedir() };
  const parsed = parseRelayArgs(argv, env, platform);
  if (parsed.kind === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return { kind: 'exit', code: 0 };
  }
  if (parsed.kind === 'error') {
    io.stderr.write(`parley-relay: ${parsed.message}\n\n${USAGE}\n`);
    return { kind: 'exit', code: EXIT_USAGE };
  }

  const { port, host, dataDir, logLevel } = parsed.options;
  const logger = createJsonLogger({ sink: io.stderr, level: logLevel });
  const databaseFile = join(dataDir, DATABASE_FILE);
  let storage: Storage;
  try {
    storage = openSqliteStorage(databaseFile);
  } catch (error) {
    logger.error('cannot open the relay database', { file: databaseFile, error: describeError(error) });
    return { kind: 'exit', code: EXIT_FAILURE };
  }

  let relay: Relay;
  try {
    relay = await startRelay({ host, port, storage, logger });
  } catch (error) {
    logger.error('cannot start the relay', { host, port, error: describeError(error) });
    await storage.close();
    return { kind: 'exit', code: EXIT_FAILURE };
  }
  io.stdout.write(`${URL_LINE_PREFIX} ${relay.url}\n`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await relay.close();
      } finally {
        await storage.close();
      }
    })();
    return stopping;
  };
  return { kind: 'running', relay, dataDir, stop };
}
