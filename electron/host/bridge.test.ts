import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../core/logger';
import { HOST_MAX_FRAME_BYTES } from '../../shared/ipc/hostWire';
import { startHostBridge, type HostBridge } from './bridge';
import { fakeCore, type FakeCore } from './testing';

const profile = { userId: 'u_1', username: 'ann', displayName: 'Ann' };

let workDir: string;
let rendererDir: string;
const open: Array<{ bridge: HostBridge; sockets: WebSocket[] }> = [];

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'parley-host-bridge-'));
  rendererDir = path.join(workDir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(path.join(rendererDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(path.join(workDir, 'secret.txt'), 'identity key');
  symlinkSync(path.join(workDir, 'secret.txt'), path.join(rendererDir, 'assets', 'escape.txt'));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

afterEach(async () => {
  for (const { bridge, sockets } of open.splice(0)) {
    sockets.forEach((ws) => ws.terminate());
    await bridge.close();
  }
});

async function start(core: FakeCore = fakeCore()) {
  const bridge = await startHostBridge({ core, rendererDir, port: 0, logger: silentLogger });
  const entry = { bridge, sockets: [] as WebSocket[] };
  open.push(entry);
  const token = new URL(bridge.url).hash.replace('#token=', '');
  const origin = `http://127.0.0.1:${bridge.port}`;
  return { bridge, core, token, origin, sockets: entry.sockets };
}

type Started = Awaited<ReturnType<typeof start>>;

/** Opens a bridge socket; resolves with it once open, or with the HTTP status it was refused with. */
function connect(
  started: Started,
  {
    token = started.token,
    origin = started.origin,
    host,
    path: bridgePath = '/bridge',
  }: {
    token?: string;
    origin?: string | null;
    host?: string;
    path?: string;
  } = {},
): Promise<{ ws: WebSocket } | { refused: number }> {
  const url = `ws://127.0.0.1:${started.bridge.port}${bridgePath}?token=${encodeURIComponent(token)}`;
  const headers: Record<string, string> = host ? { Host: host } : {};
  const ws = new WebSocket(url, { headers, ...(origin === null ? {} : { origin }) });
  started.sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', reject);
  });
}

async function connected(started: Started) {
  const result = await connect(started);
  if (!('ws' in result)) throw new Error(`refused with ${result.refused}`);
  return frames(result.ws);
}

/** Reads frames off a socket in order. */
function frames(ws: WebSocket) {
  const queue: unknown[] = [];
  const waiting: Array<(frame: unknown) => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const next = waiting.shift();
    if (next) next(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    ws,
    closed,
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise<unknown>((r) => waiting.push(r))),
    send: (frame: unknown) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
  };
}

function httpGet(port: number, rawPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('host bridge: the page', () => {
  it('is served on loopback with a token in the fragment and a CSP that allows only its own socket', async () => {
    const { bridge } = await start();
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const page = await httpGet(bridge.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Parley</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`connect-src ws://127.0.0.1:${bridge.port} ws://localhost:${bridge.port};`);
    expect(csp).toContain("script-src 'self';");
  });

  it('serves assets with their content types', async () => {
    const { bridge } = await start();
    expect((await httpGet(bridge.port, '/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await httpGet(bridge.port, '/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses path traversal and symlinks leading out of the renderer folder', async () => {
    const { bridge } = await start();
    for (const attack of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/escape.txt',
    ]) {
      const response = await httpGet(bridge.port, attack);
      expect(response.status, attack).toBe(404);
      expect(response.body, attack).not.toContain('identity key');
    }
  });

  it('refuses requests for a foreign Host (DNS rebinding) and other methods', async () => {
    const { bridge } = await start();
    const rebound = await httpGet(bridge.port, '/', { Host: `evil.example:${bridge.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('Parley');
    expect((await httpGet(bridge.port, '/', { Host: `localhost:${bridge.port}` })).status).toBe(200);
    const post = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(post).toBe(405);
  });
});

describe('host bridge: who may connect', () => {
  it('refuses a wrong or missing token with 403, without upgrading', async () => {
    const started = await start();
    expect(await connect(started, { token: 'A'.repeat(43) })).toEqual({ refused: 403 });
    expect(await connect(started, { token: '' })).toEqual({ refused: 403 });
    expect(await connect(started, { token: started.token.slice(0, -1) })).toEqual({ refused: 403 });
  });

  it('refuses another web page (foreign or missing Origin) even with the token', async () => {
    const started = await start();
    expect(await connect(started, { origin: 'https://evil.example' })).toEqual({ refused: 403 });
    expect(await connect(started, { origin: `http://127.0.0.1:${started.bridge.port + 1}` })).toEqual({ refused: 403 });
    expect(await connect(started, { origin: 'null' })).toEqual({ refused: 403 });
    expect(await connect(started, { origin: null })).toEqual({ refused: 403 });
  });

  it('refuses a foreign Host header (DNS rebinding) and other paths', async () => {
    const started = await start();
    expect(await connect(started, { host: `evil.example:${started.bridge.port}` })).toEqual({ refused: 403 });
    expect(await connect(started, { path: '/other' })).toEqual({ refused: 403 });
  });

  it('accepts our page from either loopback name', async () => {
    const started = await start();
    const port = started.bridge.port;
    expect(await connect(started)).toHaveProperty('ws');
    expect(await connect(started, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).toHaveProperty(
      'ws',
    );
  });
});

describe('host bridge: requests and events', () => {
  it('dispatches a request to the core and answers under its id', async () => {
    const status = vi.fn(async () => ({ profile }));
    const started = await start(fakeCore({ 'session.status': status }));
    const socket = await connected(started);
    socket.send({ id: 7, name: 'session.status', input: {} });
    expect(await socket.next()).toEqual({ id: 7, result: { ok: true, value: { profile } } });
    expect(status).toHaveBeenCalledOnce();
  });

  it('validates input with the contract', async () => {
    const send = vi.fn();
    const started = await start(fakeCore({ 'messages.send': send }));
    const socket = await connected(started);
    socket.send({ id: 1, name: 'messages.send', input: { chatId: 'dm:x', text: ' ' } });
    expect(await socket.next()).toEqual({
      id: 1,
      result: { ok: false, code: 'invalid_input', message: 'text: message is empty' },
    });
    socket.send({ id: 2, name: 'keys.export', input: {} });
    expect(await socket.next()).toMatchObject({ id: 2, result: { ok: false, code: 'unknown_request' } });
    expect(send).not.toHaveBeenCalled();
  });

  it('forwards core events to every connected page, stripped to the contract', async () => {
    const started = await start();
    const first = await connected(started);
    const second = await connected(started);
    started.core.emit('session.changed', { profile: { ...profile, identitySecretKey: 'c2VjcmV0' } });
    const expected = { event: 'session.changed', payload: { profile } };
    expect(await first.next()).toEqual(expected);
    expect(await second.next()).toEqual(expected);
  });

  it('answers an invalid frame with an error and keeps the socket usable', async () => {
    const started = await start(fakeCore({ 'session.status': async () => ({ profile: null }) }));
    const socket = await connected(started);
    socket.send({ id: 3, name: 42, input: {} });
    expect(await socket.next()).toMatchObject({ id: 3, result: { ok: false, code: 'invalid_input' } });
    socket.send({ id: 4, name: 'session.status', input: {} });
    expect(await socket.next()).toEqual({ id: 4, result: { ok: true, value: { profile: null } } });
  });

  it('answers an oversize frame with an error, without running it, and keeps the socket usable', async () => {
    const send = vi.fn();
    const started = await start(fakeCore({ 'messages.send': send, 'session.status': async () => ({ profile }) }));
    const socket = await connected(started);
    const text = 'x'.repeat(HOST_MAX_FRAME_BYTES);
    socket.send({ id: 5, name: 'messages.send', input: { chatId: 'dm:x', text } });
    expect(await socket.next()).toEqual({
      id: 5,
      result: { ok: false, code: 'invalid_input', message: 'request too large (at most 256 KiB)' },
    });
    expect(send).not.toHaveBeenCalled();
    socket.send({ id: 6, name: 'session.status', input: {} });
    expect(await socket.next()).toEqual({ id: 6, result: { ok: true, value: { profile } } });
  });

  it('closes with 1003 on a frame it cannot answer (not JSON, or no id)', async () => {
    const started = await start();
    const notJson = await connected(started);
    notJson.send('{"id": 1, "name": ');
    expect((await notJson.closed).code).toBe(1003);
    const noId = await connected(started);
    noId.send({ name: 'session.status', input: {} });
    expect((await noId.closed).code).toBe(1003);
  });

  it('says goodbye to pages and stops listening on close', async () => {
    const started = await start();
    const socket = await connected(started);
    await started.bridge.close();
    expect((await socket.closed).code).toBe(1001);
    expect(started.core.listenerCount).toBe(0);
    await expect(httpGet(started.bridge.port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
