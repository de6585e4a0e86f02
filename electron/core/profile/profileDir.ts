import fs from 'node:fs';

/**
 * Creates the profile directory if missing. It holds the device's private keys, so it is
 * made (and, when we own it, kept) readable by this user only.
 */
export function ensureProfileDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  if (!stat.isDirectory()) throw new Error(`profile path ${dir} is not a directory`);
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) {
    fs.chmodSync(dir, 0o700);
  }
}
