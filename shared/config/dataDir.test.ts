import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './dataDir';

describe('defaultDataDir', () => {
  it('Linux: $XDG_DATA_HOME/Parley, else ~/.local/share/Parley', () => {
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/data/xdg/' }, '/home/ann')).toBe('/data/xdg/Parley');
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.local/share/Parley');
    // The XDG spec says relative values are invalid and must be ignored.
    expect(defaultDataDir('linux', { XDG_DATA_HOME: 'rel/dir' }, '/home/ann')).toBe('/home/ann/.local/share/Parley');
    expect(defaultDataDir('freebsd', {}, '/usr/home/ann')).toBe('/usr/home/ann/.local/share/Parley');
  });

  it('macOS: ~/Library/Application Support/Parley', () => {
    expect(defaultDataDir('darwin', { XDG_DATA_HOME: '/ignored' }, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/Parley',
    );
  });

  it('Windows: %APPDATA%\\Parley, else the roaming folder under the home directory', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann')).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\Parley',
    );
    expect(defaultDataDir('win32', {}, 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\AppData\\Roaming\\Parley');
  });

  it('is null when there is nothing to build on', () => {
    expect(defaultDataDir('linux', {}, '')).toBeNull();
    expect(defaultDataDir('win32', {}, '')).toBeNull();
  });
});
