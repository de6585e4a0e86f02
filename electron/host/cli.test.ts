/**
 * The host-mode program as a process: bundled the way scripts/build.mjs does (into a temp
 * folder inside node_modules/.cache, so its external packages resolve), next to a stub
 * renderer, run against a relay that is not there (the core keeps retrying; nothing here
 * needs it).
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let workDir: string;
let bundle: string;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  const cacheDir = path.join(repoRoot, 'node_modules', '.cache');
  mkdirSync(cacheDir, { recursive: true });
  workDir = mkdtempSync(path.join(cacheDir, 'parley-host-cli-'));
  bundle = path.join(workDir, 'host.js');
  await build({
    entryPoints: [path.join(repoRoot, 'electron/host/cli.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  mkdirSync(path.join(workDir, 'renderer'));
  writeFileSync(path.join(workDir, 'renderer', 'index.html'), '<!doctype html><title>Parley</title>');
});

afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function runHost(args: string[], extra: { env?: Record<string, string>; stdin?: string } = {}) {
  const child = spawn(process.execPath, [bundle, ...args], {
    stdio: [extra.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PARLEY_LOG_LEVEL: 'error',
      PARLEY_RELAY_URL: '',
      PARLEY_DATA_DIR: '',
      PARLEY_PASSPHRASE: '',
      ...extra.env,
    },
  });
  if (extra.stdin !== undefined) child.stdin!.end(extra.stdin);
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const line = stdout.split('\n').find((l) => l.startsWith('PARLEY_URL '));
      if (line) resolve(line.slice('PARLEY_URL '.length));
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before printing its URL:\n${stderr}`)));
  });
  // Tests that expect an early exit never await the URL; that is not an unhandled failure.
  url.catch(() => {});
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

const profileArgs = (dataDir: string) => [
  '--data-dir',
  dataDir,
  '--relay',
  'ws://127.0.0.1:9/v1/ws',
  '--port',
  '0',
  '--no-open',
];

describe('host mode program', () => {
  it('prints its URL, serves the page, and on SIGTERM closes the profile cleanly with exit 0', async () => {
    const dataDir = path.join(workDir, 'clean-exit');
    const host = runHost(profileArgs(dataDir));
    const url = await host.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Parley</title>');
    const lock = path.join(dataDir, 'profiles', 'default', 'lock');
    expect(existsSync(lock)).toBe(true);
    // The database is encrypted under a key file only this user can read.
    const keyFile = path.join(dataDir, 'profiles', 'default', 'db.key');
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);

    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(existsSync(lock)).toBe(false);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses to open a profile another process has open, with a clear message and exit 1', async () => {
    const dataDir = path.join(workDir, 'locked');
    const first = runHost(profileArgs(dataDir));
    await first.url;
    const second = runHost(profileArgs(dataDir));
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toMatch(/profile "default" is already open/);
    expect(second.output().stdout).not.toContain('PARLEY_URL');
    // A different profile in the same data directory is independent.
    const other = runHost([...profileArgs(dataDir), '--profile', 'bob']);
    await other.url;
    other.child.kill('SIGTERM');
    first.child.kill('SIGTERM');
    expect(await other.exited).toBe(0);
    expect(await first.exited).toBe(0);
  });

  it('protects a profile with --passphrase, and will not open it without the passphrase', async () => {
    const dataDir = path.join(workDir, 'passphrase');
    const profileDir = path.join(dataDir, 'profiles', 'default');
    // Piped stdin: how `npm start -- --passphrase` hands over what it asked for.
    const created = runHost([...profileArgs(dataDir), '--passphrase'], { stdin: 'first secret\n' });
    await created.url;
    created.child.kill('SIGTERM');
    expect(await created.exited).toBe(0);
    expect(readdirSync(profileDir).filter((name) => name.startsWith('db.key'))).toEqual(['db.key.json']);

    const without = runHost(profileArgs(dataDir));
    expect(await without.exited).toBe(1);
    expect(without.output().stderr).toMatch(/protected by a passphrase.*\n.*--passphrase/);

    const wrong = runHost([...profileArgs(dataDir), '--passphrase'], { env: { PARLEY_PASSPHRASE: 'not it' } });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output().stderr).toContain('wrong passphrase');
    // (Opening with the right one is covered by core/profile's tests, with fast Argon2 limits.)
  });

  it('rejects bad options with the reason and the usage, exit 2', async () => {
    const host = runHost(['--profile', '../../etc']);
    expect(await host.exited).toBe(2);
    expect(host.output().stderr).toContain('invalid profile name "../../etc"');
    expect(host.output().stderr).toContain('--data-dir DIR');
    expect(host.output().stderr).toContain('--passphrase');
  });
});
