/**
 * Small file helpers for key material in a profile directory: atomic 0600 writes, and a
 * check that a secret file is private to this user.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` with mode 0600, atomically (temp file, fsync, rename, fsync dir). */
export function writePrivateFileAtomic(file: string, data: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.rmSync(temp, { force: true });
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDirectory(path.dirname(file));
}

/** Makes a rename or an unlink in `dir` durable. Windows cannot open directories; skipped. */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Why `file` must not be trusted as private, or null when it is: on POSIX a secret file must
 * be a regular file owned by this user with no group/other permission bits. (Windows: the
 * profile directory's ACL, inherited from the user's profile, is what protects it.)
 */
export function privateFileProblem(file: string, stat: fs.Stats): string | null {
  if (!stat.isFile()) return `${file} is not a regular file`;
  if (process.platform === 'win32') return null;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `${file} belongs to another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    return `${file} can be read by other users (mode ${mode})`;
  }
  return null;
}
