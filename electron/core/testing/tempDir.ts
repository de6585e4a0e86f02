/** Temporary directories for tests; `cleanup()` removes all of them (call it in afterEach). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDirs(prefix = 'parley-core-test-'): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
