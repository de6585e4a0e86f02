/**
 * Command-line flags of the relay. Parsing is pure (no I/O) so every rule is unit-tested.
 */
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogLevel } from '../log/logger';
import { DATA_DIR_ENV, defaultDataDir, type PlatformInfo } from './dataDir';

export const DEFAULT_PORT = 7447;
export const DEFAULT_HOST = '127.0.0.1';

export interface RelayCliOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: LogLevel;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: RelayCliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

export const USAGE = `Usage: parley-relay [options]

Options:
  --port N          TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host ADDR       interface to listen on (default ${DEFAULT_HOST})
  --data-dir DIR    where relay.sqlite is kept (default: $${DATA_DIR_ENV}, else the user data
                    directory + /Parley/relay)
  --log-level L     ${LOG_LEVELS.join(' | ')} (default info); logs go to stderr
  -h, --help        show this help

Once listening, prints one line to stdout: PARLEY_RELAY_URL ws://HOST:PORT/v1/ws`;

export function parseRelayArgs(argv: readonly string[], env: NodeJS.ProcessEnv, platform: PlatformInfo): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);
  if (port === undefined) {
    return { kind: 'error', message: `--port must be an integer from 0 to 65535, got '${values.port ?? ''}'` };
  }
  const host = values.host ?? DEFAULT_HOST;
  if (host.trim() === '') return { kind: 'error', message: '--host must not be empty' };
  const dataDir = values['data-dir'] ?? defaultDataDir(env, platform);
  if (dataDir.trim() === '') return { kind: 'error', message: '--data-dir must not be empty' };
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) {
    return { kind: 'error', message: `--log-level must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'` };
  }
  return { kind: 'run', options: { port, host, dataDir, logLevel } };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65_535 ? port : undefined;
}

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}
