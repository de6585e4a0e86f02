import { describe, expect, it } from 'vitest';
import { appWindowArgs, findBrowser, hasDisplay } from './browser';

const existing =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('hasDisplay', () => {
  it('needs X11 or Wayland on Linux, and assumes a desktop on macOS and Windows', () => {
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ' ' })).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('darwin', {})).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });
});

describe('findBrowser', () => {
  it('prefers Chromium, then Chrome, then Edge, searching PATH in order', () => {
    const env = { PATH: '/usr/local/bin:/usr/bin/' };
    expect(findBrowser('linux', env, existing('/usr/bin/google-chrome', '/usr/bin/chromium'))).toBe(
      '/usr/bin/chromium',
    );
    expect(findBrowser('linux', env, existing('/usr/bin/msedge', '/usr/local/bin/google-chrome'))).toBe(
      '/usr/local/bin/google-chrome',
    );
    expect(findBrowser('linux', env, existing())).toBeNull();
  });

  it('honours PARLEY_CHROMIUM, and does not fall back when it points nowhere', () => {
    const env = { PATH: '/usr/bin', PARLEY_CHROMIUM: '/opt/chromium/chrome' };
    expect(findBrowser('linux', env, existing('/opt/chromium/chrome', '/usr/bin/chromium'))).toBe(
      '/opt/chromium/chrome',
    );
    expect(findBrowser('linux', env, existing('/usr/bin/chromium'))).toBeNull();
  });

  it('knows the usual install locations on macOS and Windows', () => {
    expect(findBrowser('darwin', {}, existing('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'))).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findBrowser('win32', { 'ProgramFiles(x86)': 'C:\\Program Files (x86)' }, existing(edge))).toBe(edge);
    expect(findBrowser('win32', { Path: 'C:\\Tools' }, existing('C:\\Tools\\chrome.exe'))).toBe(
      'C:\\Tools\\chrome.exe',
    );
  });
});

describe('appWindowArgs', () => {
  it('opens a chrome-less window on a browser profile of its own', () => {
    expect(appWindowArgs('http://127.0.0.1:1/#token=t', '/data/profiles/default/browser')).toEqual([
      '--app=http://127.0.0.1:1/#token=t',
      '--user-data-dir=/data/profiles/default/browser',
      '--no-first-run',
      '--no-default-browser-check',
    ]);
  });
});
