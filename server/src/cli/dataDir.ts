/**
 * Where the relay keeps its database when no --data-dir is given: PARLEY_RELAY_DATA_DIR, or
 * the platform's per-user data directory + Parley/relay.
 */
import { posix, win32 } from 'node:path';

export const DATA_DIR_ENV = 'PARLEY_RELAY_DATA_DIR';

export interface PlatformInfo {
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv, { platform, homeDir }: PlatformInfo): string {
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return fromEnv;
  switch (platform) {
    case 'win32':
      return win32.join(env['APPDATA'] || win32.join(homeDir, 'AppData', 'Roaming'), 'Parley', 'relay');
    case 'darwin':
      return posix.join(homeDir, 'Library', 'Application Support', 'Parley', 'relay');
    default: {
      // The XDG spec says relative values are invalid and must be ignored.
      const xdg = env['XDG_DATA_HOME'];
      const base = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(homeDir, '.local', 'share');
      return posix.join(base, 'Parley', 'relay');
    }
  }
}
