/**
 * The host-mode program as a process: bundled the way scripts/build.mjs does (into a temp
 * folder inside node_modules/.cache, so its external packages resolve), next to a stub
 * renderer, run against a relay that is not there (the core keeps retrying; nothing here
 * needs it).
 */
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function runHost(args: string[]) {
  const child = spawn(process.execPath, [bundle, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PARLEY_LOG_LEVEL: 'error', PARLEY_RELAY_URL: '', PARLEY_DATA_DIR: '' },
  });
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

  it('rejects bad options with the reason and the usage, exit 2', async () => {
    const host = runHost(['--profile', '../../etc']);
    expect(await host.exited).toBe(2);
    expect(host.output().stderr).toContain('invalid profile name "../../etc"');
    expect(host.output().stderr).toContain('--data-dir DIR');
  });
});
