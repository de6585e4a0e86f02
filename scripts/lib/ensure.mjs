// Installs what the app and its tests need on a fresh machine: npm packages (Electron's
// binary is skipped: it cannot be downloaded everywhere, and host mode does not need it)
// and, for the browser tests, Debian's Chromium (never Playwright's own browser download).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

export function ensureNodeModules() {
  const modules = join(root, 'node_modules');
  const lock = join(root, 'package-lock.json');
  const marker = join(modules, '.package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  console.log('· installing npm packages');
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const useCi = process.env.CI === 'true' && existsSync(lock);
  const status = run('npm', [useCi ? 'ci' : 'install', '--no-audit', '--no-fund'], { env });
  if (status !== 0) throw new Error(`npm ${useCi ? 'ci' : 'install'} failed (exit ${status})`);
}

export const chromiumPath = () => process.env.PARLEY_CHROMIUM || '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(chromiumPath())) return;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = asRoot ? [] : ['sudo', '-n'];
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `Chromium not found at ${chromiumPath()}: install it, or point PARLEY_CHROMIUM at a Chromium binary`,
    );
  }
  console.log("· installing Debian's chromium for the browser tests");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) =>
    sudo.length ? run(sudo[0], [...sudo.slice(1), 'apt-get', ...args], { env }) : run('apt-get', args, { env });
  if (
    apt('update', '-qq') !== 0 ||
    apt('install', '-y', '-qq', 'chromium', 'fonts-noto-core', 'fonts-noto-color-emoji') !== 0
  ) {
    throw new Error('could not install chromium with apt-get (run as root or with passwordless sudo)');
  }
}
