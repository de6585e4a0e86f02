/**
 * Where Parley keeps its data when no --data-dir is given, following each platform's
 * convention. Pure: the caller passes process.platform, process.env and os.homedir(), so
 * Electron's main process, host mode and the start script all agree on one answer.
 */

export const APP_DIR_NAME = 'Parley';

/**
 * Linux (and other Unix): `$XDG_DATA_HOME/Parley` when it is an absolute path (the XDG spec
 * says to ignore relative ones), else `~/.local/share/Parley`.
 * macOS: `~/Library/Application Support/Parley`. Windows: `%APPDATA%\Parley`.
 * Returns null when there is no home directory to build on (the caller then needs an
 * explicit data directory).
 */
export function defaultDataDir(
  platform: string,
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): string | null {
  if (platform === 'win32') {
    const appData = env.APPDATA?.trim();
    if (appData) return `${stripTrailingSeparators(appData)}\\${APP_DIR_NAME}`;
    return homedir ? `${stripTrailingSeparators(homedir)}\\AppData\\Roaming\\${APP_DIR_NAME}` : null;
  }
  if (platform === 'darwin') {
    return homedir ? `${stripTrailingSeparators(homedir)}/Library/Application Support/${APP_DIR_NAME}` : null;
  }
  const xdg = env.XDG_DATA_HOME?.trim();
  if (xdg && xdg.startsWith('/')) return `${stripTrailingSeparators(xdg)}/${APP_DIR_NAME}`;
  return homedir ? `${stripTrailingSeparators(homedir)}/.local/share/${APP_DIR_NAME}` : null;
}

/** `/home/a/` → `/home/a`, but a bare root (`/`, `C:\`) keeps nothing doubled either. */
function stripTrailingSeparators(path: string): string {
  return path.replace(/[\\/]+$/, '');
}
