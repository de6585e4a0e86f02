// Finding Electron's binary for `npm start`. The npm package installs without it
// (ELECTRON_SKIP_BINARY_DOWNLOAD=1: it cannot be downloaded everywhere); we try the download
// once per Electron version, and fall back to host mode when it is not there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './ensure.mjs';

const packageDir = join(root, 'node_modules', 'electron');
const failureMarker = join(root, 'node_modules', '.cache', 'parley', 'electron-download-failed');

/** Absolute path of the Electron executable, or null when only the npm package is installed. */
export function electronBinary() {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/**
 * Runs Electron's own installer once. A failure is remembered for this Electron version, so
 * machines that cannot download it (CI, containers) do not wait on it at every start.
 */
export function tryInstallElectronOnce() {
  const version = electronVersion();
  if (!version) return false;
  if (existsSync(failureMarker) && readFileSync(failureMarker, 'utf8').trim() === version) return false;
  console.log(`· downloading Electron ${version} (once; host mode is used if this fails)`);
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 180_000,
  });
  if (result.status === 0 && electronBinary()) {
    rmSync(failureMarker, { force: true });
    return true;
  }
  mkdirSync(join(failureMarker, '..'), { recursive: true });
  writeFileSync(failureMarker, `${version}\n`);
  const reason = result.error?.message ?? firstErrorLine(result.stderr?.toString() ?? '') ?? 'unknown error';
  console.log(`· Electron could not be downloaded (${reason}); delete ${failureMarker} to try again`);
  return false;
}

/** The line of a Node error report that says what went wrong (not a stack frame). */
function firstErrorLine(stderr) {
  const lines = stderr.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^[A-Za-z]*Error\b|^Error:|E[A-Z]+\b/.test(line)) ??
    lines.find((line) => line && !line.startsWith('at '))
  );
}
