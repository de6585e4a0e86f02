// The relay `npm start` talks to: one already listening on the default port, or one we start.
import { spawn } from 'node:child_process';
import { OWN_PROCESS_GROUP } from './children.mjs';
import { root } from './ensure.mjs';

export const DEFAULT_RELAY_PORT = 7447;
const URL_LINE = 'PARLEY_RELAY_URL ';

/** True if a Parley relay answers /health on the default loopback port. */
export async function relayIsListening(port = DEFAULT_RELAY_PORT) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_500) });
    if (!response.ok) return false;
    const body = await response.json();
    return body?.ok === true;
  } catch {
    return false;
  }
}

/**
 * Starts `dist/server.js`. Returns the child at once (so the caller can stop it even while it
 * is starting) and `ready`, which resolves with its URL once it prints its URL line.
 * `command` is the runtime (Node, or Electron as Node when native modules are built for it).
 */
export function startRelay({ command, env, dataDir, logLevel }) {
  const args = ['dist/server.js', '--host', '127.0.0.1', '--port', String(DEFAULT_RELAY_PORT), '--data-dir', dataDir];
  const child = spawn(command, [...args, '--log-level', logLevel], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: OWN_PROCESS_GROUP,
  });
  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(URL_LINE)) {
          child.stdout.off('data', onData);
          child.off('exit', onExit);
          // Anything the relay prints later still reaches the terminal.
          child.stdout.pipe(process.stdout, { end: false });
          resolve(line.slice(URL_LINE.length).trim());
          return;
        }
        process.stdout.write(`${line}\n`);
      }
    };
    const onExit = (code, signal) =>
      reject(new Error(`the relay exited (${signal ?? `code ${code}`}) before it was ready`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
  return { child, ready };
}
