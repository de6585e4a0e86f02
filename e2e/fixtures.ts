/**
 * Test fixtures: a fresh relay per test, and `launchClient(name)` which starts an
 * independent client (own profile directory) against it and returns its window.
 *
 * Host mode (default): the core runs as `node dist/host.js`, the UI in Chromium.
 * Electron (PARLEY_E2E_TARGET=electron, where the binary exists): the same specs drive
 * `electron dist/electron/main.cjs` through Playwright's Electron support.
 */
import { test as base, chromium, _electron, type Browser, type Page, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startHost, startRelay, type Spawned } from './processes';

export interface Client {
  readonly name: string;
  readonly page: Page;
  /** Quit the app: the core stops, the window goes away (host mode: the page is left dangling). */
  close(): Promise<void>;
  /** Start the app again on the same profile; `page` is the new window. */
  reopen(): Promise<void>;
}

const electronTarget = process.env.PARLEY_E2E_TARGET === 'electron';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Fixtures {
  workDir: string;
  relay: Spawned;
  launchClient: (name: string) => Promise<Client>;
}

export const test = base.extend<Fixtures, { browserInstance: Browser | null }>({
  browserInstance: [
    async ({}, use) => {
      if (electronTarget) return use(null);
      const browser = await chromium.launch({
        executablePath: process.env.PARLEY_CHROMIUM || '/usr/bin/chromium',
        args: chromiumArgs,
      });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],

  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  relay: async ({ workDir }, use) => {
    const relay = await startRelay(join(workDir, 'relay'));
    await use(relay);
    await relay.stop();
  },

  launchClient: async ({ browserInstance, relay, workDir }, use) => {
    const cleanups: Array<() => Promise<void>> = [];
    await use(async (name) => {
      const dataDir = join(workDir, name);
      const client = electronTarget
        ? await electronClient(name, dataDir, relay.url)
        : await hostClient(name, dataDir, relay.url, browserInstance!);
      cleanups.push(() => client.close());
      return client;
    });
    for (const cleanup of cleanups) await cleanup();
  },
});

export { expect } from '@playwright/test';

async function hostClient(name: string, dataDir: string, relayUrl: string, browser: Browser): Promise<Client> {
  // One browser context per client: separate storage, like separate machines.
  const context = await browser.newContext({ locale: 'en-US' });
  let page = await context.newPage();
  let host: Spawned | null = null;
  const open = async () => {
    host = await startHost(dataDir, relayUrl, name);
    await page.goto(host.url);
  };
  await open();
  return {
    name,
    get page() {
      return page;
    },
    async close() {
      await host?.stop();
      host = null;
    },
    async reopen() {
      if (host) await host.stop();
      await page.close();
      page = await context.newPage();
      await open();
    },
  };
}

async function electronClient(name: string, dataDir: string, relayUrl: string): Promise<Client> {
  let app: ElectronApplication | null = null;
  let page: Page | null = null;
  const open = async () => {
    app = await _electron.launch({
      cwd: repoRoot,
      args: [join(repoRoot, 'dist/electron/main.cjs'), '--data-dir', dataDir, '--relay', relayUrl],
    });
    page = await app.firstWindow();
  };
  await open();
  return {
    name,
    get page() {
      return page!;
    },
    async close() {
      await app?.close();
      app = null;
    },
    async reopen() {
      if (app) await app.close();
      await open();
    },
  };
}
