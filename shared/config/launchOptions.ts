/**
 * Command-line and environment options shared by every way of launching a client: the
 * Electron main process, host mode (`dist/host.js`) and `npm start`, which validates them
 * before it starts anything. Pure: the caller passes argv, env, the platform's default data
 * directory and a path resolver (Node's `path.resolve`).
 */

export const DEFAULT_PROFILE = 'default';
export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:7447/v1/ws';
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LaunchOptions {
  /** Profile name: one independent client (own keys, account and database) per name. */
  profile: string;
  /** Absolute data directory holding every profile (and `npm start`'s embedded relay). */
  dataDir: string;
  /** Absolute `<dataDir>/profiles/<profile>`. */
  profileDir: string;
  /** ws:// or wss:// URL of the relay. */
  relayUrl: string;
  /** Host mode: the loopback port of the bridge; 0 picks a free one. */
  port: number;
  /** Host mode: open a browser window (false with --no-open). */
  open: boolean;
  /** From PARLEY_LOG_LEVEL; default info. */
  logLevel: LogLevel;
  /** --help was given: print LAUNCH_USAGE and exit. */
  help: boolean;
}

export type LaunchOptionsResult = { ok: true; options: LaunchOptions } | { ok: false; error: string };

export interface LaunchEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** defaultDataDir(...) for this machine; null when it has none (no home directory). */
  defaultDataDir: string | null;
  /** Joins and makes absolute, like Node's path.resolve (relative to the caller's cwd). */
  resolvePath: (...segments: string[]) => string;
  /**
   * Ignore arguments this module does not know. Electron's argv carries Chromium's and
   * Electron's own switches (and the app path), so the main process needs this; the CLIs
   * do not, so a typo there is an error rather than a silently ignored flag.
   */
  allowUnknown?: boolean;
}

export const LAUNCH_USAGE = `Options:
  --profile NAME    profile to open (letters, digits, _ and -; at most 32; default "${DEFAULT_PROFILE}")
  --data-dir DIR    where profiles live (env PARLEY_DATA_DIR; default: the platform's data directory)
  --relay URL       relay to talk to, ws:// or wss:// (env PARLEY_RELAY_URL; default ${DEFAULT_RELAY_URL})
  --port N          host mode: loopback port for the app (default: any free port)
  --no-open         host mode: do not open a browser window, just print the URL
  --help            show this help`;

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,32}$/;
// scheme://host[:port][/path][?query]; host is a name, an IPv4 address or a bracketed IPv6
// address. No credentials, no fragment, no whitespace.
const RELAY_URL = /^wss?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?(?:[/?][^\s#]*)?$/;

type ValueFlag = '--profile' | '--data-dir' | '--relay' | '--port';
const VALUE_FLAGS: readonly ValueFlag[] = ['--profile', '--data-dir', '--relay', '--port'];
const SWITCHES = ['--no-open', '--help', '-h'] as const;

export function parseLaunchOptions(argv: readonly string[], environment: LaunchEnvironment): LaunchOptionsResult {
  const scanned = scanArguments(argv, environment.allowUnknown ?? false);
  if (!scanned.ok) return scanned;
  const { values, switches } = scanned;
  const env = (name: string) => {
    const value = environment.env[name]?.trim();
    return value ? value : undefined;
  };

  const profile = values.get('--profile') ?? DEFAULT_PROFILE;
  if (!PROFILE_NAME.test(profile)) {
    return fail(`invalid profile name "${profile}": use 1 to 32 letters, digits, _ or -`);
  }

  const rawDataDir = values.get('--data-dir') ?? env('PARLEY_DATA_DIR') ?? environment.defaultDataDir;
  if (!rawDataDir) return fail('no data directory: pass --data-dir DIR or set PARLEY_DATA_DIR');
  const dataDir = environment.resolvePath(rawDataDir);

  const relayUrl = values.get('--relay') ?? env('PARLEY_RELAY_URL') ?? DEFAULT_RELAY_URL;
  const relayProblem = checkRelayUrl(relayUrl);
  if (relayProblem) return fail(relayProblem);

  const rawPort = values.get('--port');
  const port = rawPort === undefined ? 0 : parsePort(rawPort);
  if (port === null) return fail(`invalid --port "${rawPort}": use a number from 0 to 65535`);

  const rawLevel = env('PARLEY_LOG_LEVEL')?.toLowerCase() ?? 'info';
  if (!isLogLevel(rawLevel)) return fail(`invalid PARLEY_LOG_LEVEL "${rawLevel}": use ${LOG_LEVELS.join(', ')}`);

  return {
    ok: true,
    options: {
      profile,
      dataDir,
      profileDir: environment.resolvePath(dataDir, 'profiles', profile),
      relayUrl,
      port,
      open: !switches.has('--no-open'),
      logLevel: rawLevel,
      help: switches.has('--help') || switches.has('-h'),
    },
  };
}

type Scanned = { ok: true; values: Map<ValueFlag, string>; switches: Set<string> } | { ok: false; error: string };

/** Accepts `--flag value` and `--flag=value`; refuses repeats and missing values. */
function scanArguments(argv: readonly string[], allowUnknown: boolean): Scanned {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = flag === arg ? undefined : arg.slice(eq + 1);

    if (isValueFlag(flag)) {
      let value = inline;
      if (value === undefined) {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          value = next;
          i++;
        }
      }
      if (value === undefined || value.trim() === '') return fail(`${flag} needs a value`);
      if (values.has(flag)) return fail(`${flag} given more than once`);
      values.set(flag, value.trim());
    } else if (isSwitch(flag)) {
      if (inline !== undefined) return fail(`${flag} takes no value`);
      switches.add(flag);
    } else if (!allowUnknown) {
      return fail(`unknown argument "${arg}"`);
    }
  }
  return { ok: true, values, switches };
}

function checkRelayUrl(url: string): string | null {
  const match = RELAY_URL.exec(url);
  if (!match) return `invalid relay URL "${url}": expected ws://HOST[:PORT]/PATH or wss://…`;
  const port = match[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `invalid relay URL "${url}": port must be 1 to 65535`;
  }
  return null;
}

function parsePort(raw: string): number | null {
  if (!/^\d{1,5}$/.test(raw)) return null;
  const port = Number(raw);
  return port <= 65535 ? port : null;
}

const isValueFlag = (flag: string): flag is ValueFlag => (VALUE_FLAGS as readonly string[]).includes(flag);
const isSwitch = (flag: string) => (SWITCHES as readonly string[]).includes(flag);
const isLogLevel = (level: string): level is LogLevel => (LOG_LEVELS as readonly string[]).includes(level);
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
