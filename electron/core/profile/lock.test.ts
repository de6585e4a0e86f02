import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../testing/tempDir';
import { acquireProfileLock, LOCK_FILE_NAME, ProfileLockedError, removeStaleLock } from './lock';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A pid that certainly ran and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

describe('profile lock', () => {
  it('refuses a second open of the same profile while the first holds it', () => {
    const dir = dirs.make();
    const first = acquireProfileLock(dir);
    expect(() => acquireProfileLock(dir)).toThrow(ProfileLockedError);
    expect(() => acquireProfileLock(dir)).toThrow(new RegExp(`pid ${process.pid}`));
    first.release();
  });

  it('can be taken again after release, and release is idempotent', () => {
    const dir = dirs.make();
    const first = acquireProfileLock(dir);
    first.release();
    first.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    acquireProfileLock(dir).release();
  });

  it('takes over a stale lock left by a process that no longer runs', () => {
    const dir = dirs.make();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), `${deadPid()}\n`);
    const lock = acquireProfileLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file with garbage in it (crash while writing)', () => {
    const dir = dirs.make();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), '');
    acquireProfileLock(dir).release();
  });

  it('removing a stale lock never removes a fresh one a concurrent opener made after the look', () => {
    const dir = dirs.make();
    const lockPath = path.join(dir, LOCK_FILE_NAME);
    const stale = deadPid();
    // We saw `stale`'s lock; meanwhile another opener replaced it with its live lock (pid 1).
    fs.writeFileSync(lockPath, '1\n');
    removeStaleLock(lockPath, stale);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe('1\n');
    // The stale one itself does go, and nothing is left aside.
    fs.writeFileSync(lockPath, `${stale}\n`);
    removeStaleLock(lockPath, stale);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('does not remove a lock that another process took over in the meantime', () => {
    const dir = dirs.make();
    const lock = acquireProfileLock(dir);
    fs.writeFileSync(lock.path, '1\n'); // pid 1 always runs
    lock.release();
    expect(fs.existsSync(lock.path)).toBe(true);
  });
});
