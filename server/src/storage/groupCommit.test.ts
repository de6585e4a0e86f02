import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './groupCommit';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A WAL database on disk (as the relay runs it) with one table of values. */
function open(options: ConstructorParameters<typeof GroupCommit>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE items (value TEXT PRIMARY KEY) STRICT');
  const commits: number[] = [];
  const group = new GroupCommit(db, { ...options, onCommit: (writes) => commits.push(writes) });
  const insert = db.prepare<[string]>('INSERT INTO items (value) VALUES (?)');
  const values = () => db.prepare<[], string>('SELECT value FROM items ORDER BY rowid').pluck().all();
  return { db, group, commits, insert, values, close: () => db.close() };
}

describe('group commit', () => {
  it('commits the writes of one event-loop turn in one transaction, in call order, and resolves each after it', async () => {
    const { group, commits, insert, values, close } = open();
    const results = ['a', 'b', 'c', 'd'].map((value) => group.run(() => insert.run(value).changes));
    // Nothing is committed (or answered) before the batch runs.
    expect(values()).toEqual([]);
    expect(await Promise.all(results)).toEqual([1, 1, 1, 1]);
    expect(commits).toEqual([4]);
    expect(values()).toEqual(['a', 'b', 'c', 'd']);
    close();
  });

  it('rolls back a failing write alone; the rest of its batch commits', async () => {
    const { group, commits, insert, values, close } = open();
    const first = group.run(() => insert.run('a'));
    const failing = group.run(() => {
      insert.run('half of a write');
      insert.run('a'); // primary key violation: the whole write must go, not just this statement
    });
    const last = group.run(() => insert.run('b'));
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(first).resolves.toBeDefined();
    await expect(last).resolves.toBeDefined();
    expect(commits).toEqual([3]);
    expect(values()).toEqual(['a', 'b']);
    close();
  });

  it('rejects every write of a batch whose transaction SQLite abandoned, and runs none of the rest outside it', async () => {
    const { db, group, commits, insert, values, close } = open();
    const before = group.run(() => insert.run('before'));
    // What SQLITE_FULL or an I/O error can do: the transaction ends in the middle of a write.
    const breaking = group.run(() => db.exec('ROLLBACK'));
    const after = group.run(() => insert.run('after'));
    await expect(before).rejects.toThrow();
    await expect(breaking).rejects.toThrow();
    await expect(after).rejects.toThrow();
    expect(commits).toEqual([]);
    expect(values()).toEqual([]);
    // The next batch is unaffected.
    await group.run(() => insert.run('next'));
    expect(values()).toEqual(['next']);
    close();
  });

  it('rejects every write of a batch whose commit fails, storing none of them', async () => {
    const { db, group, commits, values, close } = open();
    db.exec(`
      PRAGMA foreign_keys = ON;
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE children (parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
    `);
    const fine = group.run(() => db.prepare("INSERT INTO items (value) VALUES ('fine')").run());
    // A deferred foreign key is checked at COMMIT, so the commit itself fails.
    const orphan = group.run(() => db.prepare('INSERT INTO children (parent) VALUES (42)').run());
    await expect(fine).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(commits).toEqual([]);
    expect(values()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    close();
  });

  it('splits a backlog into batches of maxBatch, committed in order in later turns', async () => {
    const { group, commits, insert, values, close } = open({ maxBatch: 3 });
    const all = Array.from({ length: 7 }, (_, i) => group.run(() => insert.run(`v${i}`)));
    await Promise.all(all);
    expect(commits).toEqual([3, 3, 1]);
    expect(values()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    close();
  });

  it('flush() commits what is queued at once (before the database is closed)', async () => {
    const { group, commits, insert, values, close } = open();
    const write = group.run(() => insert.run('last words'));
    group.flush();
    expect(values()).toEqual(['last words']);
    close();
    await expect(write).resolves.toBeDefined();
    expect(commits).toEqual([1]);
  });
});
