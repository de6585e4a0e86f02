// `npm test`: everything, on a fresh clone — installs what is missing, then lint,
// typecheck, unit + integration tests (vitest), and the Playwright end-to-end suite.
// Prints one closing line "N passed, N failed" summing the test runners.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, ensureNodeModules, root, run } from './lib/ensure.mjs';

const reports = join(root, 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

ensureNodeModules();
ensureChromium();

const steps = [
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['typecheck', 'npx', ['tsc', '-b']],
  [
    'unit + integration',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`],
  ],
  ['build', 'node', ['scripts/build.mjs']],
  ['end-to-end', 'npx', ['playwright', 'test', '--config', 'e2e/playwright.config.ts']],
];

const failedSteps = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const status = run(cmd, args, { env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'e2e.json') } });
  if (status !== 0) {
    failedSteps.push(name);
    // A build failure makes the browser tests meaningless; everything else keeps going so
    // one run shows every problem.
    if (name === 'build') break;
  }
}

function count(file, pick) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  try {
    return pick(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { passed: 0, failed: 0 };
  }
}
const unit = count(join(reports, 'vitest.json'), (r) => ({
  passed: r.numPassedTests ?? 0,
  failed: r.numFailedTests ?? 0,
}));
const e2e = count(join(reports, 'e2e.json'), (r) => ({
  passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0),
  failed: r.stats?.unexpected ?? 0,
}));

console.log(`\nunit + integration: ${unit.passed} passed, ${unit.failed} failed`);
console.log(`end-to-end: ${e2e.passed} passed, ${e2e.failed} failed`);
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join(', ')}`);
console.log(
  `${unit.passed + e2e.passed} passed, ${unit.failed + e2e.failed + (failedSteps.length && !(unit.failed + e2e.failed) ? 1 : 0)} failed`,
);
process.exit(failedSteps.length ? 1 : 0);
