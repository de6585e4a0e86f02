// `npm run bench [-- NAME]`: bundles bench/NAME.ts with esbuild and runs it with Node.
// Benchmarks print ratios against a baseline measured in the same run; they never gate CI.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, root, run } from './lib/ensure.mjs';

ensureNodeModules();
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : available) {
  const outfile = join(root, 'dist/bench', `${name}.mjs`);
  await build({
    entryPoints: [join(root, 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  console.log(`\n### bench/${name}`);
  if (run(process.execPath, [outfile]) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
