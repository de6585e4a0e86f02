// Native modules (better-sqlite3-multiple-ciphers) are compiled for one runtime ABI: Node's
// or Electron's. Electron mode needs them rebuilt for Electron (electron-builder
// install-app-deps); host mode, the relay under Node and the tests need Node's. We remember
// which runtime they were last built for and rebuild only when switching.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { root, run } from './ensure.mjs';

const marker = join(root, 'node_modules', '.cache', 'parley', 'native-modules-runtime');
// npm rewrites this file on every install, which rebuilds native modules for Node.
const installRecord = join(root, 'node_modules', '.package-lock.json');
const installStamp = () => (existsSync(installRecord) ? String(statSync(installRecord).mtimeMs) : 'none');

function builtFor() {
  if (!existsSync(marker)) return 'node';
  const [runtime, stamp] = readFileSync(marker, 'utf8').split('\n');
  // An npm install since our rebuild has put Node builds back.
  return stamp === installStamp() ? runtime : 'node';
}

/** runtime: 'node' | 'electron'. Throws if the rebuild fails. */
export function ensureNativeModulesFor(runtime) {
  if (builtFor() === runtime) return;
  console.log(`· rebuilding native modules for ${runtime === 'electron' ? 'Electron' : 'Node'}`);
  // Cannot be exercised on machines without the Electron binary (ours): install-app-deps
  // downloads Electron's headers and rebuilds every native dependency against them.
  // npm and npx are .cmd scripts on Windows, which only a shell can run.
  const viaShell = { shell: process.platform === 'win32' };
  const status =
    runtime === 'electron'
      ? run('npx', ['electron-builder', 'install-app-deps'], viaShell)
      : run('npm', ['rebuild', '--no-audit', '--no-fund'], viaShell);
  if (status !== 0) throw new Error(`rebuilding native modules for ${runtime} failed (exit ${status})`);
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, `${runtime}\n${installStamp()}\n`);
}
