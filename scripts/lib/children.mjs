// Keeps track of the processes `npm start` runs, and stops them, politely first.
const GRACE_MS = 10_000;

/**
 * Spawn children in their own process group (`detached`), so Ctrl-C in the terminal reaches
 * only `npm start`, which then stops them one by one. Otherwise every child would get the
 * terminal's SIGINT *and* our SIGTERM, and a second signal means "exit now, skip the
 * cleanup" to the relay. (On Windows, detached would open new console windows instead.)
 */
export const OWN_PROCESS_GROUP = process.platform !== 'win32';

const isRunning = (child) => child.exitCode === null && child.signalCode === null;

/** SIGTERM, then SIGKILL if it is still there after the grace period; resolves once it has exited. */
export async function stopChild(child) {
  if (!isRunning(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (isRunning(child)) child.kill('SIGKILL');
  }, GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export function createSupervisor() {
  const children = [];
  return {
    add(child) {
      children.push(child);
      return child;
    },
    /** Stops in reverse start order: the app closes (and flushes) before the relay it talks to. */
    async stopAll() {
      for (const child of [...children].reverse()) await stopChild(child);
    },
  };
}
