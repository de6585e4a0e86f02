/**
 * Electron main process (bundled to dist/electron/main.cjs): a thin shell around the core.
 * It owns windows, the app:// protocol, security settings and the IPC transport; everything
 * a user does is the core's job, reached through the contract.
 *
 *   electron . [--profile NAME] [--data-dir DIR] [--relay URL]
 *
 * The profile database is always encrypted. Its key is sealed by the OS keychain through
 * safeStorage (`db.key.sealed`) when that is available; where it is not (Linux without a
 * keyring, where Chromium would only obfuscate), a new profile keeps its key in a key file
 * readable only by the user (`db.key`, 0600), as host mode does, and the log says so. Never
 * an unencrypted database. Passphrase-protected profiles (made with host mode's
 * `--passphrase`) cannot be opened here yet: there is no passphrase dialog.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, safeStorage, session, shell } from 'electron';
import { defaultDataDir } from '../../shared/config/dataDir';
import { LAUNCH_USAGE, parseLaunchOptions, type LaunchOptions } from '../../shared/config/launchOptions';
import {
  createConsoleLogger,
  createCore,
  DatabaseOpenError,
  ProfileLockedError,
  type Core,
  type Logger,
} from '../core';
import { describeError } from '../core/logger';
import { DatabaseKeyError, type DatabaseKeyErrorCode } from '../core/profile/databaseKey';
import { APP_ENTRY_URL, APP_SCHEME } from './appOrigin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { confirmExternalLink } from './dialogs';
import { createExternalLinkOpener } from './externalLinks';
import { registerIpcBridge } from './ipc';
import { safeStorageKeyProtector } from './keyProtector';
import { applyNavigationGuards } from './navigationGuards';
import { denyAllPermissions } from './permissions';
import { buildWindowOptions } from './windowOptions';

// Both must happen before the app is ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

// The bundle lives in dist/electron/; the renderer build beside it in dist/renderer/.
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');

const launch = parseLaunchOptions(process.argv.slice(1), {
  env: process.env,
  defaultDataDir: defaultDataDir(process.platform, process.env, os.homedir()),
  resolvePath: path.resolve,
  allowUnknown: true,
});

if (!launch.ok) {
  failAndExit(`${launch.error}\n\n${LAUNCH_USAGE}`, 2);
} else if (launch.options.help) {
  process.stdout.write(`Usage: electron . [options]\n${LAUNCH_USAGE}\n`);
  app.exit(0);
} else {
  startApp(launch.options);
}

function startApp(options: LaunchOptions): void {
  const logger = createConsoleLogger(options.logLevel);
  // Chromium's own files (cache, local storage, the single-instance lock) live in the
  // profile, so each profile is a separate app instance.
  app.setPath('userData', path.join(options.profileDir, 'electron'));
  if (!app.requestSingleInstanceLock()) {
    // The other instance gets 'second-instance' and brings its window forward.
    logger.info('this profile is already open; switching to its window', { profile: options.profile });
    app.exit(0);
    return;
  }
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    failAndExit(`The app is not built (${rendererDir} is missing). Run: npm run build`, 1);
    return;
  }

  let mainWindow: BrowserWindow | null = null;
  // Set once the core is open and IPC is wired: no window exists before that.
  let running = false;
  const openExternally = createExternalLinkOpener({
    confirm: (url) => confirmExternalLink(mainWindow, url),
    open: (url) => shell.openExternal(url),
    logger,
  });
  app.on('web-contents-created', (_event, contents) => applyNavigationGuards(contents, { openExternally }));

  const createMainWindow = () => {
    const win = new BrowserWindow(buildWindowOptions({ preloadPath, darkTheme: nativeTheme.shouldUseDarkColors }));
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    win.webContents.on('render-process-gone', (_event, details) => {
      logger.error('the renderer process went away', { reason: details.reason, exitCode: details.exitCode });
    });
    mainWindow = win;
    win.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
      logger.error('could not load the app page', { error: describeError(err) });
    });
  };

  app.on('second-instance', () => {
    if (!running) return;
    if (!mainWindow) {
      createMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app
    .whenReady()
    .then(async () => {
      denyAllPermissions(session.defaultSession, logger);
      protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
      const core = await openCore(options, logger);
      if (!core) return;
      registerIpcBridge({
        ipcMain,
        core,
        currentContents: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null),
        logger,
      });
      closeCoreOnQuit(core, logger);
      running = true;
      createMainWindow();
      // macOS keeps apps running without windows; the dock icon brings one back.
      app.on('activate', () => {
        if (!mainWindow) createMainWindow();
      });
    })
    .catch((err: unknown) => {
      logger.error('start-up failed', { error: describeError(err) });
      failAndExit('Parley could not start. See the log for details.', 1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Ctrl-C in the terminal, or `npm start` stopping its children: quit like the menu does.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

const KEY_HINTS: Partial<Record<DatabaseKeyErrorCode, string>> = {
  'passphrase-required':
    'The desktop app cannot ask for a passphrase yet. Open this profile in host mode: ' +
    'PARLEY_HOST_MODE=1 npm start -- --passphrase',
  'keychain-unavailable': 'Unlock the keyring (or log in to the desktop session) and start Parley again.',
};

async function openCore(options: LaunchOptions, logger: Logger): Promise<Core | null> {
  // Only usable once the app is ready (this runs after whenReady()).
  const keyProtector = safeStorageKeyProtector(safeStorage, process.platform);
  if (!keyProtector.isAvailable()) {
    logger.warn(
      'the OS keychain is not available: a new profile keeps its database key in a key file readable only by you',
    );
  }
  try {
    return await createCore({
      profileDir: options.profileDir,
      relayUrl: options.relayUrl,
      databaseKey: { keyProtector },
      logger,
    });
  } catch (err) {
    if (err instanceof ProfileLockedError) {
      failAndExit(`Profile "${options.profile}" is already open in another Parley process.\n\n${err.message}`, 1);
      return null;
    }
    if (err instanceof DatabaseOpenError) {
      const hint = err instanceof DatabaseKeyError ? KEY_HINTS[err.code] : undefined;
      failAndExit(
        `Cannot open the database of profile "${options.profile}".\n\n${err.message}${hint ? `\n\n${hint}` : ''}`,
        1,
      );
      return null;
    }
    throw err;
  }
}

/** Quitting waits for the core to flush its outbox and release the profile lock. */
function closeCoreOnQuit(core: Core, logger: Logger): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    core
      .close()
      .catch((err: unknown) => logger.error('closing the core failed', { error: describeError(err) }))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function failAndExit(message: string, code: number): void {
  process.stderr.write(`parley: ${message}\n`);
  // Before 'ready', Linux can only print (which showErrorBox would do a second time).
  if (app.isReady() || process.platform !== 'linux') dialog.showErrorBox('Parley', message);
  app.exit(code);
}
