/**
 * Self-destruct: what it costs to make expired messages really go. The subject is the
 * expiry sweep as the app runs it (messaging/expiry.ts with the groups source): each due
 * group line is removed with its reactions and queued edits, a tombstone is left, in one
 * transaction, on a database with secure_delete on (freed bytes zeroed), then the WAL is
 * checkpointed and truncated. Baseline, same run, same rows on the same kind of database
 * file: a plain `DELETE … WHERE local_id IN (…)` with secure_delete off and no checkpoint —
 * what "delete" would cost if leaving the bytes behind were acceptable.
 *
 *   npm run bench -- expiry          (options: N=100,1000,10000 REPS=5)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../electron/core/db/database';
import { Store } from '../electron/core/db/store';
import { groupExpirySource } from '../electron/core/groups/expiry';
import { GroupRepo } from '../electron/core/groups/repo';
import { silentLogger } from '../electron/core/logger';
import { ExpiryScheduler, type ExpiryClock } from '../electron/core/messaging/expiry';
import { ratio, table } from './lib/stats';

const SIZES = (process.env.N ?? '100,1000,10000').split(',').map(Number);
const REPS = Number(process.env.REPS ?? 5);
const GID = `g_${'B'.repeat(22)}`;
const TEXT = 'x'.repeat(200);

class Clock implements ExpiryClock {
  wall = 1_700_000_000_000;
  now = () => this.wall;
  monotonic = () => 0;
}

/** A profile database holding `n` seen timed group lines (each with one reaction), all due at `clock.wall`. */
function fill(dir: string, n: number, clock: Clock): { store: Store; repo: GroupRepo; file: string } {
  const file = path.join(dir, `profile-${n}-${Math.random().toString(36).slice(2)}.db`);
  const store = new Store(openDatabase(file));
  const repo = new GroupRepo(store.db);
  store.db
    .prepare(
      "INSERT INTO groups (id, name, version, status, updated_at, created_at) VALUES (?, 'B', 1, 'active', 1, 1)",
    )
    .run(GID);
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = `m${i}`;
      repo.insertMessage({
        group_id: GID,
        id,
        sender_id: 'u_peer',
        from_me: 0,
        kind: 'text',
        text: `${TEXT} ${i}`,
        sent_at: 1,
        seq: i + 1,
        status: null,
        body: null,
        expires_in: 5,
      });
      repo.setReaction(GID, id, 'u_me', '👍', 1);
    }
    repo.markRead(GID, repo.newestLocalId(GID), clock.wall - 5_000);
  });
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return { store, repo, file };
}

function timeSweep(dir: string, n: number): number {
  const clock = new Clock();
  const { store, repo } = fill(dir, n, clock);
  const scheduler = new ExpiryScheduler(store, silentLogger, () => undefined, clock);
  let removed = 0;
  scheduler.addSource(groupExpirySource(repo, (r) => (removed += r.length)));
  const start = performance.now();
  // The scheduler removes up to 500 due lines per look (a bounded transaction); it looks again at once.
  for (let looks = 0; removed < n; looks++) {
    if (looks > n / 100 + 10) throw new Error(`the sweep removed ${removed} of ${n}`);
    scheduler.sweep();
  }
  const elapsed = performance.now() - start;
  scheduler.stop();
  store.close();
  return elapsed;
}

function timePlainDelete(dir: string, n: number): number {
  const clock = new Clock();
  const { store } = fill(dir, n, clock);
  store.db.pragma('secure_delete = OFF');
  const ids = store.db.prepare('SELECT local_id FROM group_messages ORDER BY local_id').pluck().all() as number[];
  const del = store.db.prepare('DELETE FROM group_messages WHERE local_id = ?');
  const start = performance.now();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    store.transaction(() => {
      for (const id of chunk) del.run(id);
    });
  }
  const elapsed = performance.now() - start;
  store.close();
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-expiry-'));
try {
  const rows = [['messages', 'plain delete', 'expiry sweep', 'per message', 'ratio']];
  for (const n of SIZES) {
    const plain: number[] = [];
    const sweep: number[] = [];
    for (let r = 0; r < REPS; r++) {
      plain.push(timePlainDelete(dir, n));
      sweep.push(timeSweep(dir, n));
    }
    const [p, s] = [median(plain), median(sweep)];
    rows.push([
      String(n),
      `${p.toFixed(2)} ms`,
      `${s.toFixed(2)} ms`,
      `${((s * 1000) / n).toFixed(1)} µs`,
      ratio(s, p),
    ]);
  }
  table(rows);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
