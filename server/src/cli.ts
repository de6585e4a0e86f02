/**
 * Entry point of the relay process (bundled to dist/server.js). Only process wiring lives
 * here; the program itself is cli/main.ts.
 *
 * SIGINT/SIGTERM close gracefully (clients are told `shutting_down`, the database is closed)
 * and exit 0; a second signal exits at once with 1.
 */
import { describeError } from './log/logger';
import { EXIT_FAILURE, main } from './cli/main';

async function run(): Promise<void> {
  const result = await main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
  if (result.kind === 'exit') {
    process.exitCode = result.code;
    return;
  }
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) process.exit(EXIT_FAILURE);
    stopping = true;
    result.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`parley-relay: shutdown failed: ${describeError(error)}\n`);
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

run().catch((error: unknown) => {
  process.stderr.write(`parley-relay: ${describeError(error)}\n`);
  process.exit(EXIT_FAILURE);
});
