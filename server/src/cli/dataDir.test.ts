import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './dataDir';

describe('default relay data directory', () => {
  const linux = { platform: 'linux', homeDir: '/home/ann' } as const;

  it('prefers PARLEY_RELAY_DATA_DIR on every platform', () => {
    expect(defaultDataDir({ PARLEY_RELAY_DATA_DIR: '/srv/relay' }, linux)).toBe('/srv/relay');
    expect(
      defaultDataDir({ PARLEY_RELAY_DATA_DIR: 'D:\\relay' }, { platform: 'win32', homeDir: 'C:\\Users\\ann' }),
    ).toBe('D:\\relay');
  });

  it('follows XDG on Linux, ignoring a relative XDG_DATA_HOME', () => {
    expect(defaultDataDir({}, linux)).toBe('/home/ann/.local/share/Parley/relay');
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, linux)).toBe('/data/Parley/relay');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, linux)).toBe('/home/ann/.local/share/Parley/relay');
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultDataDir({}, { platform: 'darwin', homeDir: '/Users/ann' })).toBe(
      '/Users/ann/Library/Application Support/Parley/relay',
    );
    const windows = { platform: 'win32', homeDir: 'C:\\Users\\ann' } as const;
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, windows)).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Parley\\relay',
    );
    expect(defaultDataDir({}, windows)).toBe('C:\\Users\\ann\\AppData\\Roaming\\Parley\\relay');
  });
});
