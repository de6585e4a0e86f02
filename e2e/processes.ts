/**
 * Spawning the real relay and host-mode cores for end-to-end tests. Each process prints a
 * machine-readable line with its URL once it is ready; we wait for that line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface Spawned {
  url: string;
  process: ChildProcess;
  /** Graceful stop (SIGTERM), waiting for exit. */
  stop(): Promise<void>;
}

export async function spawnWithUrl(script: string, args: string[], marker: string, label: string): Promise<Spawned> {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.PARLEY_E2E_VERBOSE) process.stderr.write(`[${label}] ${chunk.toString()}`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${label} did not print ${marker} within 30 s\n${stderr}`)),
      30_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith(marker + ' '));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(marker.length + 1).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready\n${stderr}`));
    });
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const startRelay = (dataDir: string) =>
  spawnWithUrl('dist/server.js', ['--port', '0', '--data-dir', dataDir], 'PARLEY_RELAY_URL', 'relay');

export const startHost = (dataDir: string, relayUrl: string, label: string) =>
  spawnWithUrl(
    'dist/host.js',
    ['--data-dir', dataDir, '--relay', relayUrl, '--port', '0', '--no-open'],
    'PARLEY_URL',
    label,
  );
