/**
 * Opens host mode's page the way an app window looks: Chromium (or Chrome, or Edge) with
 * `--app=URL`, a window without tabs or address bar, using its own user-data directory
 * under the profile so it never mixes with the user's everyday browsing.
 *
 * The URL carries the bridge token, and a command line is visible to other local users on
 * some systems. The bridge's Origin and Host checks keep web pages out; a hostile local
 * user account is outside what host mode defends against (as it is for the profile's files).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../core/api';
import { describeError } from '../core/logger';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether a window could appear at all: on Linux and other Unix that needs X11 or Wayland. */
export function hasDisplay(platform: string, env: Env): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim());
}

const PATH_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
  'msedge',
  'microsoft-edge',
  'microsoft-edge-stable',
];

/** Known install locations, in order of preference (Chromium first: it is what we test with). */
function installLocations(platform: string, env: Env): string[] {
  if (platform === 'darwin') {
    return [
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ].map((app) => `/Applications/${app}`);
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.ProgramFiles, env['ProgramFiles(x86)']].filter((r): r is string => !!r);
    const apps = [
      'Chromium\\Application\\chrome.exe',
      'Google\\Chrome\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ];
    return apps.flatMap((app) => roots.map((root) => `${root}\\${app}`));
  }
  return [];
}

/**
 * The browser to launch: $PARLEY_CHROMIUM if set (the same variable the test runner uses),
 * else the first known install location or PATH entry that exists. `exists` is injected so
 * the search is testable; pass fs.existsSync.
 */
export function findBrowser(platform: string, env: Env, exists: (file: string) => boolean): string | null {
  const override = env.PARLEY_CHROMIUM?.trim();
  if (override) return exists(override) ? override : null;
  const separator = platform === 'win32' ? ';' : ':';
  const slash = platform === 'win32' ? '\\' : '/';
  const suffix = platform === 'win32' ? '.exe' : '';
  const dirs = (env.PATH ?? env.Path ?? '').split(separator).filter((dir) => dir.length > 0);
  const onPath = PATH_NAMES.flatMap((name) =>
    dirs.map((dir) => `${dir.replace(/[\\/]+$/, '')}${slash}${name}${suffix}`),
  );
  return [...installLocations(platform, env), ...onPath].find((candidate) => exists(candidate)) ?? null;
}

export function appWindowArgs(url: string, userDataDir: string): string[] {
  return [`--app=${url}`, `--user-data-dir=${userDataDir}`, '--no-first-run', '--no-default-browser-check'];
}

export interface LaunchedBrowser {
  /** Closes the window we opened (if it is still open). */
  close(): void;
}

/** Starts the browser; failures are logged, never thrown: the printed URL still works. */
export function launchAppWindow(executable: string, url: string, userDataDir: string, logger: Logger): LaunchedBrowser {
  const child: ChildProcess = spawn(executable, appWindowArgs(url, userDataDir), { stdio: 'ignore' });
  child.on('error', (err) =>
    logger.warn('could not start the browser', { browser: executable, error: describeError(err) }),
  );
  child.on('exit', (code, signal) =>
    logger.info('the app window was closed; Parley keeps running until Ctrl-C', { code, signal }),
  );
  return {
    close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
