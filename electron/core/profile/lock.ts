/**
 * An exclusive lock on a profile directory, so two processes never open one database and
 * outbox at once. The lock is a file created with O_EXCL ('wx') holding the owner's pid. A
 * lock whose pid no longer runs (a crash) is stale and is taken over.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE_NAME = 'lock';

export class ProfileLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `this profile is already open in another Parley process (pid ${ownerPid}); ` +
        `close it first, or delete ${lockPath} if that process is not Parley`,
    );
    this.name = 'ProfileLockedError';
  }
}

export interface ProfileLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

export function acquireProfileLock(profileDir: string): ProfileLock {
  const lockPath = path.join(profileDir, LOCK_FILE_NAME);
  // Two tries: the second one follows the removal of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return ownedLock(lockPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readLockOwner(lockPath);
    if (owner !== null && isProcessAlive(owner)) throw new ProfileLockedError(lockPath, owner);
    // Stale (owner gone, or the file is unreadable garbage from a crash mid-write).
    removeStaleLock(lockPath, owner);
  }
  const owner = readLockOwner(lockPath);
  throw new ProfileLockedError(lockPath, owner ?? -1);
}

/**
 * Removes the lock file only if it is still the stale one we looked at. Deleting by name
 * could remove a fresh lock that a concurrent opener created after our look (both would
 * then hold the profile): so the file is first moved aside atomically, checked, and put
 * back (without overwriting anything) if it turns out to be someone's live lock.
 */
export function removeStaleLock(lockPath: string, staleOwner: number | null): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it
    throw err;
  }
  const owner = readLockOwner(aside);
  if (owner !== staleOwner && owner !== null && isProcessAlive(owner)) {
    try {
      fs.linkSync(aside, lockPath); // fails if yet another opener holds it now
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  fs.rmSync(aside, { force: true });
}

function ownedLock(lockPath: string): ProfileLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      // Only remove the file if it still names us: never delete another process's lock.
      if (readLockOwner(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
    },
  };
}

function readLockOwner(lockPath: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
