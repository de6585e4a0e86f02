import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, ELECTRON_CSP } from './appProtocol';

let workDir: string;
let handle: ReturnType<typeof createAppProtocolHandler>;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'parley-app-protocol-'));
  const renderer = path.join(workDir, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(workDir, 'secret.txt'), 'identity key');
  symlinkSync(path.join(workDir, 'secret.txt'), path.join(renderer, 'assets', 'leak.txt'));
  handle = createAppProtocolHandler(renderer);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handle({ url, method });

describe('app:// protocol', () => {
  it('serves index.html for / with the CSP and never cached', async () => {
    const response = await get('app://parley/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Parley</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves built assets with their content type', async () => {
    const response = await get('app://parley/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('lets the Electron renderer connect nowhere', () => {
    expect(ELECTRON_CSP).toContain("connect-src 'none'");
    expect(ELECTRON_CSP).toContain("script-src 'self'");
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://parley/%2e%2e/secret.txt',
      'app://parley/assets/..%2f..%2fsecret.txt',
      'app://parley/..%5csecret.txt',
      'app://parley/assets/leak.txt',
      'app://parley/missing.js',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('identity key');
    }
  });

  it('answers only GET and HEAD, only for our host', async () => {
    expect((await get('app://parley/index.html', 'POST')).status).toBe(405);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    const head = await get('app://parley/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
