// Decides whether a build target can be skipped: its output exists and nothing among its
// inputs changed since the last successful build. The stamp's mtime is the time that build
// *started*, so a file saved while it ran still counts as changed next time.
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);
// Tests do not end up in any bundle; editing one should not trigger a rebuild.
const isTestFile = (name) => /\.test\.[cm]?[jt]sx?$/.test(name);

/** Newest mtime (ms) under the given files and folders; folders count too (a deleted file changes its folder). */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // A missing input is the build's business to report, not ours.
    }
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
      if (!entry.isDirectory() && isTestFile(entry.name)) continue;
      visit(join(path, entry.name));
    }
  };
  paths.forEach(visit);
  return newest;
}

export function isUpToDate({ output, stamp, inputs }) {
  if (!existsSync(output) || !existsSync(stamp)) return false;
  return newestMtime(inputs) < statSync(stamp).mtimeMs;
}

export function writeStamp(stamp, startedAtMs) {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, `${new Date(startedAtMs).toISOString()}\n`);
  const seconds = startedAtMs / 1000;
  utimesSync(stamp, seconds, seconds);
}
