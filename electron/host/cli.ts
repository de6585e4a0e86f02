/**
 * Host mode entry (bundled to dist/host.js): the core in plain Node, its UI in a browser.
 *
 *   node dist/host.js [--profile NAME] [--data-dir DIR] [--relay URL] [--port N] [--no-open] [--passphrase]
 *
 * The profile database is always encrypted. Its key lives in `<profile>/db.key` (0600) by
 * default; with `--passphrase` (or PARLEY_PASSPHRASE) it is wrapped under a passphrase
 * instead (see passphrase.ts and core/profile/databaseKey.ts).
 *
 * Prints `PARLEY_URL <url>` on stdout once the page can be opened (tests and scripts read
 * it), a friendly line on stderr, and opens an app window when a display is available.
 * SIGINT/SIGTERM stop everything cleanly (exit 0). Exit 1: could not start (profile in use,
 * wrong or missing passphrase/key, port taken, not built); exit 2: bad arguments.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../../shared/config/dataDir';
import { LAUNCH_USAGE, parseLaunchOptions, type LaunchOptions } from '../../shared/config/launchOptions';
import {
  createConsoleLogger,
  createCore,
  DatabaseOpenError,
  ProfileLockedError,
  type Core,
  type Logger,
} from '../core';
import type { DatabaseKeyOptions } from '../core/api';
import { describeError } from '../core/logger';
import { DatabaseKeyError, type DatabaseKeyErrorCode } from '../core/profile/databaseKey';
import { startHostBridge, type HostBridge } from './bridge';
import { findBrowser, hasDisplay, launchAppWindow, type LaunchedBrowser } from './browser';
import {
  extractPassphraseFlag,
  hostDatabaseKeyOptions,
  PASSPHRASE_ENV,
  PASSPHRASE_FLAG,
  PASSPHRASE_USAGE,
  PassphraseMismatchError,
  PromptCancelledError,
} from './passphrase';

const USAGE = `Usage: node dist/host.js [options]\n${LAUNCH_USAGE}\n${PASSPHRASE_USAGE}\n`;

async function main(): Promise<number> {
  const keyFlags = extractPassphraseFlag(process.argv.slice(2));
  if (!keyFlags.ok) {
    process.stderr.write(`parley: ${keyFlags.error}\n\n${USAGE}`);
    return 2;
  }
  const launch = parseLaunchOptions(keyFlags.argv, {
    env: process.env,
    defaultDataDir: defaultDataDir(process.platform, process.env, os.homedir()),
    resolvePath: path.resolve,
  });
  if (!launch.ok) {
    process.stderr.write(`parley: ${launch.error}\n\n${USAGE}`);
    return 2;
  }
  const options = launch.options;
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const logger = createConsoleLogger(options.logLevel);
  // Listening from the start: Ctrl-C during start-up still closes the core cleanly.
  const stopRequested = nextSignal();

  // The bundle lives in dist/; the renderer build beside it.
  const rendererDir = fileURLToPath(new URL('./renderer/', import.meta.url));
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write(`parley: the app is not built (${rendererDir} is missing). Run: npm run build\n`);
    return 1;
  }

  // Before any child process exists: PARLEY_PASSPHRASE is removed from our environment here.
  const databaseKey = hostDatabaseKeyOptions({
    passphraseFlag: keyFlags.passphrase,
    env: process.env,
    profile: options.profile,
    input: process.stdin,
    output: process.stderr,
  });
  const core = await openCore(options, databaseKey, logger);
  if (!core) return 1;
  let bridge: HostBridge;
  try {
    bridge = await startHostBridge({ core, rendererDir, port: options.port, logger });
  } catch (err) {
    await core.close();
    const reason =
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${options.port} is in use` : describeError(err);
    process.stderr.write(`parley: could not start the local app server: ${reason}\n`);
    return 1;
  }

  process.stdout.write(`PARLEY_URL ${bridge.url}\n`);
  const browser = openWindow(options, bridge.url, logger);

  await stopRequested;
  process.stderr.write('Parley is shutting down…\n');
  browser?.close();
  await bridge.close();
  await core.close();
  return 0;
}

const KEY_HINTS: Partial<Record<DatabaseKeyErrorCode, string>> = {
  'passphrase-required': `Start it with ${PASSPHRASE_FLAG} (or set ${PASSPHRASE_ENV}).`,
  'passphrase-not-used': `Start it without ${PASSPHRASE_FLAG}, and unset ${PASSPHRASE_ENV}.`,
};

async function openCore(options: LaunchOptions, databaseKey: DatabaseKeyOptions, logger: Logger): Promise<Core | null> {
  try {
    return await createCore({ profileDir: options.profileDir, relayUrl: options.relayUrl, databaseKey, logger });
  } catch (err) {
    if (err instanceof PromptCancelledError || err instanceof PassphraseMismatchError) {
      process.stderr.write(`parley: ${err.message}\n`);
      return null;
    }
    if (err instanceof ProfileLockedError) {
      process.stderr.write(`parley: profile "${options.profile}" is already open.\n${err.message}\n`);
      return null;
    }
    if (err instanceof DatabaseOpenError) {
      const hint = err instanceof DatabaseKeyError ? KEY_HINTS[err.code] : undefined;
      process.stderr.write(
        `parley: cannot open the database of profile "${options.profile}": ${err.message}\n${hint ? `${hint}\n` : ''}`,
      );
      return null;
    }
    throw err;
  }
}

function openWindow(options: LaunchOptions, url: string, logger: Logger): LaunchedBrowser | null {
  const who = `profile "${options.profile}"`;
  if (!options.open || !hasDisplay(process.platform, process.env)) {
    process.stderr.write(
      `Parley (${who}) is running. Open this address in Chromium or Chrome:\n  ${url}\nPress Ctrl-C to stop.\n`,
    );
    return null;
  }
  const executable = findBrowser(process.platform, process.env, existsSync);
  if (!executable) {
    process.stderr.write(
      `Parley (${who}) is running, but no Chromium, Chrome or Edge was found to open it.\n` +
        `Open this address in one of them:\n  ${url}\nPress Ctrl-C to stop.\n`,
    );
    return null;
  }
  process.stderr.write(`Parley (${who}) is running in a ${path.basename(executable)} window. Press Ctrl-C to stop.\n`);
  return launchAppWindow(executable, url, path.join(options.profileDir, 'browser'), logger);
}

/**
 * Resolves on the first SIGINT or SIGTERM. After that, a second Ctrl-C means "now" (exit
 * 130), while a repeated SIGTERM (a supervisor repeating itself) must not cut the core's
 * clean close short, so it is ignored.
 */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.on('SIGTERM', () => {});
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`parley: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
