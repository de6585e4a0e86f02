// `npm run build` [-- --force] [-- TARGET...]: bundles every part of Parley into dist/.
//
//   server    server/src/cli.ts         → dist/server.js              relay (Node, ESM)
//   host      electron/host/cli.ts      → dist/host.js                host mode (Node, ESM)
//   main      electron/main/index.ts    → dist/electron/main.cjs      Electron main (CJS)
//   preload   electron/preload/index.ts → dist/electron/preload.cjs   sandboxed preload (CJS)
//   launch    shared/config             → dist/launch-config.mjs      option parsing for scripts/start.mjs
//   renderer  renderer/ (Vite)          → dist/renderer/              the UI
//
// A target whose inputs (its source folders, shared/, package-lock.json, this script) are
// older than its last successful build is skipped, so a second `npm start` is quick;
// --force rebuilds everything. Exits non-zero if any target fails.
import { build as esbuild } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isUpToDate, writeStamp } from './lib/freshness.mjs';
import { root } from './lib/ensure.mjs';

const abs = (path) => join(root, path);
const COMMON_INPUTS = [
  'shared',
  'package-lock.json',
  'tsconfig.base.json',
  'scripts/build.mjs',
  'scripts/lib/freshness.mjs',
];

const nodeEsm = { platform: 'node', target: 'node20', format: 'esm', packages: 'external' };

const targets = [
  {
    name: 'server',
    entry: 'server/src/cli.ts',
    output: 'dist/server.js',
    inputs: ['server/src'],
    options: nodeEsm,
  },
  {
    name: 'host',
    entry: 'electron/host/cli.ts',
    output: 'dist/host.js',
    inputs: ['electron/host', 'electron/core'],
    options: nodeEsm,
  },
  {
    name: 'main',
    entry: 'electron/main/index.ts',
    output: 'dist/electron/main.cjs',
    inputs: ['electron/main', 'electron/core'],
    options: {
      platform: 'node',
      // Electron 40's Node; dependencies stay in node_modules (native ones are rebuilt for Electron).
      target: 'node22',
      format: 'cjs',
      packages: 'external',
      external: ['electron'],
      // The core is written as ESM; in a CJS bundle import.meta.url must still point at the file.
      define: { 'import.meta.url': '__parleyImportMetaUrl' },
      banner: {
        js: "'use strict';\nconst __parleyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      },
    },
  },
  {
    name: 'preload',
    entry: 'electron/preload/index.ts',
    output: 'dist/electron/preload.cjs',
    inputs: ['electron/preload'],
    // A sandboxed preload can require('electron') and little else: bundle everything else in.
    options: { platform: 'browser', target: 'chrome130', format: 'cjs', external: ['electron'] },
  },
  {
    name: 'launch',
    entry: 'shared/config/launchOptions.ts',
    extraEntries: ['shared/config/dataDir.ts'],
    output: 'dist/launch-config.mjs',
    inputs: ['shared/config'],
    options: nodeEsm,
  },
  {
    name: 'renderer',
    entry: 'renderer/vite.config.mjs',
    output: 'dist/renderer/index.html',
    inputs: ['renderer'],
    vite: true,
  },
];

async function buildWithEsbuild(target) {
  const entries = [target.entry, ...(target.extraEntries ?? [])];
  const common = {
    outfile: abs(target.output),
    bundle: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    absWorkingDir: root,
    ...target.options,
  };
  if (entries.length === 1) {
    await esbuild({ ...common, entryPoints: [abs(target.entry)] });
    return;
  }
  // Several modules re-exported as one file.
  await esbuild({
    ...common,
    stdin: {
      contents: entries.map((entry) => `export * from ${JSON.stringify(abs(entry))};`).join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
  });
}

async function buildWithVite(target) {
  const { build } = await import('vite');
  await build({ configFile: abs(target.entry), logLevel: 'warn' });
  if (!existsSync(abs(target.output))) throw new Error(`vite finished but ${target.output} is missing`);
}

const args = process.argv.slice(2);
const force = args.includes('--force');
const wanted = args.filter((arg) => arg !== '--force');
const unknown = wanted.filter((name) => !targets.some((target) => target.name === name));
if (unknown.length) {
  console.error(`build: unknown target ${unknown.join(', ')} (targets: ${targets.map((t) => t.name).join(', ')})`);
  process.exit(2);
}

const failed = [];
for (const target of targets.filter((t) => wanted.length === 0 || wanted.includes(t.name))) {
  const label = `build: ${target.name.padEnd(8)}`;
  const stamp = abs(`dist/.build/${target.name}.stamp`);
  const inputs = [...target.inputs, ...COMMON_INPUTS].map(abs);
  if (!existsSync(abs(target.entry))) {
    console.error(`${label} FAILED: ${target.entry} does not exist`);
    failed.push(target.name);
    continue;
  }
  if (!force && isUpToDate({ output: abs(target.output), stamp, inputs })) {
    console.log(`${label} up to date`);
    continue;
  }
  const startedAt = Date.now();
  try {
    await (target.vite ? buildWithVite(target) : buildWithEsbuild(target));
    writeStamp(stamp, startedAt);
    console.log(`${label} ${target.output} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  } catch (err) {
    // esbuild has already printed its diagnostics; Vite's error carries its own message.
    console.error(`${label} FAILED${err?.errors ? '' : `: ${err?.message ?? err}`}`);
    failed.push(target.name);
  }
}

if (failed.length) {
  console.error(`build: failed: ${failed.join(', ')}`);
  process.exit(1);
}
