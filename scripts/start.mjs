// `npm start [-- --profile NAME] [--data-dir DIR] [--relay URL] [--port N] [--no-open] [--passphrase]`
//
// On a fresh clone: installs what is missing, builds, makes sure a relay is running (an
// embedded one under <data dir>/relay unless --relay/PARLEY_RELAY_URL names one, or one
// already answers on 127.0.0.1:7447), and opens the app: Electron when its binary is
// present, host mode otherwise (PARLEY_HOST_MODE=1 forces host mode). Ctrl-C stops it all.
// `--passphrase` (host mode only) is asked for here and piped to the app (lib/passphrase.mjs).
// Plain Node with no dependencies: this file runs before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSupervisor, OWN_PROCESS_GROUP } from './lib/children.mjs';
import { electronBinary, tryInstallElectronOnce } from './lib/electron.mjs';
import { ensureNodeModules, root } from './lib/ensure.mjs';
import { ensureNativeModulesFor } from './lib/nativeModules.mjs';
import { askPassphrase, PASSPHRASE_FLAG, PASSPHRASE_USAGE, takePassphraseFlag } from './lib/passphrase.mjs';
import { relayIsListening, startRelay } from './lib/relay.mjs';

const fail = (message, code = 1) => {
  console.error(`npm start: ${message}`);
  process.exit(code);
};

const build = (...targets) => {
  const status = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), ...targets], {
    cwd: root,
    stdio: 'inherit',
  });
  if (status.status !== 0) fail('the build failed (see above)');
};

// 1. Packages.
try {
  ensureNodeModules();
} catch (err) {
  fail(err.message);
}

// 2. Check the options before anything slow, with the same parser the app uses.
build('launch');
const { LAUNCH_USAGE, defaultDataDir, parseLaunchOptions } = await import(
  pathToFileURL(join(root, 'dist/launch-config.mjs')).href
);
const keyFlag = takePassphraseFlag(process.argv.slice(2));
if (!keyFlag.ok) fail(`${keyFlag.error}\n\nUsage: npm start -- [options]\n${LAUNCH_USAGE}\n${PASSPHRASE_USAGE}`, 2);
const args = keyFlag.args;
// npm runs scripts from the package root; relative paths mean the caller's directory.
const callerDir = process.env.INIT_CWD ?? process.cwd();
const launch = parseLaunchOptions(args, {
  env: process.env,
  defaultDataDir: defaultDataDir(process.platform, process.env, homedir()),
  resolvePath: (...segments) => resolve(callerDir, ...segments),
});
if (!launch.ok) fail(`${launch.error}\n\nUsage: npm start -- [options]\n${LAUNCH_USAGE}\n${PASSPHRASE_USAGE}`, 2);
const options = launch.options;
if (options.help) {
  console.log(
    `Usage: npm start -- [options]\n${LAUNCH_USAGE}\n${PASSPHRASE_USAGE}\n` +
      'Environment: PARLEY_HOST_MODE=1 uses host mode even when Electron is installed.',
  );
  process.exit(0);
}

// 3. Electron or host mode.
const hostModeForced = Boolean(process.env.PARLEY_HOST_MODE) && process.env.PARLEY_HOST_MODE !== '0';
let electron = hostModeForced ? null : electronBinary();
if (!hostModeForced && !electron && tryInstallElectronOnce()) electron = electronBinary();
const mode = electron ? 'electron' : 'host';
if (keyFlag.passphrase && mode === 'electron') {
  fail(
    `${PASSPHRASE_FLAG} is for host mode; the desktop app keeps the database key in the OS keychain.\n` +
      `For a passphrase, use host mode: PARLEY_HOST_MODE=1 npm start -- ${PASSPHRASE_FLAG}`,
    2,
  );
}
console.log(`· ${mode === 'electron' ? 'Electron' : 'host mode (the app runs in a browser window)'}`);
try {
  ensureNativeModulesFor(mode === 'electron' ? 'electron' : 'node');
} catch (err) {
  fail(err.message);
}

// 4. Build everything (targets that are up to date are skipped).
build();

// 5. The relay.
const supervisor = createSupervisor();
let stopping = false;
const shutdown = async (code) => {
  if (stopping) return;
  stopping = true;
  await supervisor.stopAll();
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

// Native modules built for Electron load only in Electron, so the relay then runs on
// Electron's Node (ELECTRON_RUN_AS_NODE) instead of this one.
// The relay has no use for the profile's passphrase.
const relayEnv = { ...process.env };
delete relayEnv.PARLEY_PASSPHRASE;
const relayRuntime =
  mode === 'electron'
    ? { command: electron, env: { ...relayEnv, ELECTRON_RUN_AS_NODE: '1' } }
    : { command: process.execPath, env: relayEnv };

const relayGiven =
  args.some((arg) => arg === '--relay' || arg.startsWith('--relay=')) || Boolean(process.env.PARLEY_RELAY_URL?.trim());
let relayUrl = options.relayUrl;
if (relayGiven) {
  console.log(`· relay: ${relayUrl}`);
} else if (await relayIsListening()) {
  console.log(`· relay: using the one already running at ${relayUrl}`);
} else {
  const dataDir = join(options.dataDir, 'relay');
  console.log(`· relay: starting one (data in ${dataDir})`);
  const relay = startRelay({
    ...relayRuntime,
    dataDir,
    logLevel: process.env.PARLEY_LOG_LEVEL?.trim() || 'warn',
  });
  supervisor.add(relay.child);
  try {
    relayUrl = await relay.ready;
  } catch (err) {
    if (!stopping) fail(`could not start the relay: ${err.message}`);
  }
  relay.child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`npm start: the relay stopped (${signal ?? `exit ${code}`}); stopping the app`);
    void shutdown(code || 1);
  });
}
// Ctrl-C during start-up: shutdown() is already stopping what runs, and exits.
if (stopping) await new Promise(() => {});

// 6. The app. A passphrase is asked for here (the app cannot read the terminal from its own
// process group) unless PARLEY_PASSPHRASE supplies it, and handed over on the app's stdin.
const appArgs = ['--profile', options.profile, '--data-dir', options.dataDir, '--relay', relayUrl];
if (!options.open) appArgs.push('--no-open');
let pipedPassphrase = null;
if (keyFlag.passphrase) {
  appArgs.push(PASSPHRASE_FLAG);
  if (!process.env.PARLEY_PASSPHRASE) {
    const creating = !existsSync(join(options.profileDir, 'db.key.json'));
    const answer = await askPassphrase(options.profile, creating);
    if (answer.error) {
      console.error(`npm start: ${answer.error}`);
      await shutdown(1);
      await new Promise(() => {}); // shutdown() exits
    }
    pipedPassphrase = answer.passphrase;
  }
}
const app =
  mode === 'electron'
    ? spawn(electron, ['.', ...appArgs], { cwd: root, stdio: 'inherit', detached: OWN_PROCESS_GROUP })
    : spawn(process.execPath, ['--enable-source-maps', 'dist/host.js', ...appArgs, '--port', String(options.port)], {
        cwd: root,
        stdio: [pipedPassphrase === null ? 'inherit' : 'pipe', 'inherit', 'inherit'],
        detached: OWN_PROCESS_GROUP,
      });
if (pipedPassphrase !== null) app.stdin.end(`${pipedPassphrase}\n`);
supervisor.add(app);
app.once('error', (err) => {
  console.error(`npm start: could not start the app: ${err.message}`);
  void shutdown(1);
});
app.once('exit', (code, signal) => {
  if (stopping) return;
  // The app ended on its own (window closed, or it failed): take the relay down with it.
  void shutdown(signal ? 1 : (code ?? 1));
});
