import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../../shared/protocol';
import { signUpForTest, tempDirForTest } from '../testSupport';
import { signUp } from '../testing/client';
import { DATABASE_FILE, EXIT_USAGE, URL_LINE_PREFIX, main, type CliIo } from './main';

const URL_LINE = new RegExp(`^${URL_LINE_PREFIX} (ws://127\\.0\\.0\\.1:(\\d+)/v1/ws)$`);

function capturingIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    platform: { platform: 'linux', homeDir: '/nonexistent-home' },
  };
}

function firstLine(stream: Readable): Promise<string> {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: stream });
    lines.once('line', (line) => {
      lines.close();
      done(line);
    });
    stream.once('end', () => fail(new Error('the process closed stdout without printing a line')));
  });
}

describe('relay CLI main()', () => {
  it('starts a relay on the data directory and announces exactly one URL line', async () => {
    const dataDir = tempDirForTest();
    const io = capturingIo();
    const result = await main(['--port', '0', '--data-dir', dataDir], {}, io);
    if (result.kind !== 'running') throw new Error(`did not start: ${io.err.join('')}`);
    try {
      expect(io.out).toHaveLength(1);
      const match = URL_LINE.exec(io.out[0]?.trimEnd() ?? '');
      expect(match?.[1]).toBe(result.relay.url);
      expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true);
      expect(JSON.parse(io.err[0] ?? '')).toMatchObject({ level: 'info', msg: 'relay listening' });

      const alice = await signUpForTest(result.relay.url, 'alice');
      await result.stop();
      expect(alice.client.connectionErrors.map((e) => e.code)).toEqual(['shutting_down']);
    } finally {
      await result.stop();
    }
  });

  it('takes the data directory from PARLEY_RELAY_DATA_DIR', async () => {
    const dataDir = join(tempDirForTest(), 'from-env');
    const io = capturingIo();
    const result = await main(['--port', '0'], { PARLEY_RELAY_DATA_DIR: dataDir }, io);
    if (result.kind !== 'running') throw new Error(`did not start: ${io.err.join('')}`);
    await result.stop();
    expect(result.dataDir).toBe(dataDir);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true);
  });

  it('exits 2 with a clear message on bad flags, without starting anything', async () => {
    const io = capturingIo();
    expect(await main(['--port', 'eighty'], {}, io)).toEqual({ kind: 'exit', code: EXIT_USAGE });
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toMatch(/^parley-relay: --port must be an integer[\s\S]*Usage:/);
  });

  it('prints usage for --help and exits 0', async () => {
    const io = capturingIo();
    expect(await main(['--help'], {}, io)).toEqual({ kind: 'exit', code: 0 });
    expect(io.out.join('')).toMatch(/--data-dir DIR/);
  });

  it('exits 1 when the port is taken, and logs why', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const io = capturingIo();
      const result = await main(['--port', String(port), '--data-dir', tempDirForTest()], {}, io);
      expect(result).toEqual({ kind: 'exit', code: 1 });
      expect(io.out).toEqual([]);
      expect(io.err.join('')).toMatch(/cannot start the relay.*EADDRINUSE/);
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});

describe('relay process (bundled like dist/server.js)', () => {
  // Bundled inside node_modules/.cache so the external packages resolve from the repo.
  const repoRoot = resolve(import.meta.dirname, '../../..');
  let bundleDir = '';
  let bundle = '';

  beforeAll(async () => {
    const cacheDir = join(repoRoot, 'node_modules', '.cache');
    mkdirSync(cacheDir, { recursive: true }); // absent right after a fresh `npm ci`
    bundleDir = mkdtempSync(join(cacheDir, 'parley-relay-cli-test-'));
    bundle = join(bundleDir, 'server.js');
    await build({
      entryPoints: [join(repoRoot, 'server/src/cli.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
  });
  afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

  it('prints the URL line, serves clients, and exits 0 on SIGTERM after telling them', async () => {
    const dataDir = tempDirForTest();
    const child = spawn(process.execPath, [bundle, '--port', '0', '--data-dir', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const url = URL_LINE.exec(await firstLine(child.stdout))?.[1];
      expect(url).toBeDefined();

      const alice = await signUp(url ?? '', 'alice');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(alice.client.connectionErrors.map((e) => e.code)).toEqual(['shutting_down']);
      expect((await alice.client.closed).code).toBe(CLOSE_CODES.goingAway);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits 2 on a bad flag', async () => {
    const child = spawn(process.execPath, [bundle, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on('exit', (exitCode) => done(exitCode)));
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/bogus/);
  });
});
