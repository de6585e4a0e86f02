import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_URL, parseLaunchOptions, type LaunchEnvironment } from './launchOptions';

// A POSIX path.resolve stand-in with /cwd as the working directory.
const resolvePath = (...segments: string[]) => {
  const joined = segments.reduce((acc, s) => (s.startsWith('/') ? s : `${acc}/${s}`), '/cwd');
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
};

const environment = (overrides: Partial<LaunchEnvironment> = {}): LaunchEnvironment => ({
  env: {},
  defaultDataDir: '/home/ann/.local/share/Parley',
  resolvePath,
  ...overrides,
});

function parse(argv: string[], overrides: Partial<LaunchEnvironment> = {}) {
  return parseLaunchOptions(argv, environment(overrides));
}

function options(argv: string[], overrides: Partial<LaunchEnvironment> = {}) {
  const result = parse(argv, overrides);
  if (!result.ok) throw new Error(`expected options, got error: ${result.error}`);
  return result.options;
}

function error(argv: string[], overrides: Partial<LaunchEnvironment> = {}) {
  const result = parse(argv, overrides);
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseLaunchOptions', () => {
  it('defaults: profile "default" under the platform data dir, the local relay, any port, open', () => {
    expect(options([])).toEqual({
      profile: 'default',
      dataDir: '/home/ann/.local/share/Parley',
      profileDir: '/home/ann/.local/share/Parley/profiles/default',
      relayUrl: DEFAULT_RELAY_URL,
      port: 0,
      open: true,
      logLevel: 'info',
      help: false,
    });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const parsed = options(['--profile', 'bob_2', '--data-dir=/tmp/p', '--relay', 'wss://relay.example:8443/v1/ws']);
    expect(parsed).toMatchObject({
      profile: 'bob_2',
      dataDir: '/tmp/p',
      profileDir: '/tmp/p/profiles/bob_2',
      relayUrl: 'wss://relay.example:8443/v1/ws',
    });
    expect(options(['--port', '8123', '--no-open'])).toMatchObject({ port: 8123, open: false });
    expect(options(['--help']).help).toBe(true);
  });

  it('makes a relative data dir absolute', () => {
    expect(options(['--data-dir', 'data/../try']).dataDir).toBe('/cwd/try');
  });

  it('takes the data dir and relay from the environment, with flags winning over it', () => {
    const env = { PARLEY_DATA_DIR: '/srv/parley', PARLEY_RELAY_URL: 'ws://10.0.0.2:7447/v1/ws' };
    expect(options([], { env })).toMatchObject({ dataDir: '/srv/parley', relayUrl: 'ws://10.0.0.2:7447/v1/ws' });
    expect(options(['--data-dir', '/x', '--relay', 'ws://[::1]:9/v1/ws'], { env })).toMatchObject({
      dataDir: '/x',
      relayUrl: 'ws://[::1]:9/v1/ws',
    });
    // An empty variable is as good as unset.
    expect(options([], { env: { PARLEY_DATA_DIR: ' ' } }).dataDir).toBe('/home/ann/.local/share/Parley');
  });

  it('refuses profile names that could escape the profiles folder or are unwieldy', () => {
    for (const bad of ['../evil', 'a/b', 'a b', '', 'x'.repeat(33), 'é']) {
      expect(error(['--profile', bad])).toMatch(/profile|needs a value/);
    }
    expect(options(['--profile', 'x'.repeat(32)]).profile).toHaveLength(32);
  });

  it('refuses relay URLs that are not ws:// or wss://', () => {
    for (const bad of [
      'http://127.0.0.1:7447/v1/ws',
      'ws://',
      'ws://host:0/v1/ws',
      'ws://host:70000/',
      'ws://user:pw@host/',
      'ws://host/v1/ws#x',
      'ws://ho st/',
    ]) {
      expect(error(['--relay', bad]), bad).toMatch(/invalid relay URL/);
    }
    expect(error([], { env: { PARLEY_RELAY_URL: 'nope' } })).toMatch(/invalid relay URL "nope"/);
  });

  it('refuses bad ports, missing values, repeats and unknown arguments', () => {
    expect(error(['--port', '65536'])).toMatch(/--port/);
    expect(error(['--port', '-1'])).toMatch(/--port needs a value|--port/);
    expect(error(['--port', '80a'])).toMatch(/--port/);
    expect(error(['--profile'])).toBe('--profile needs a value');
    expect(error(['--data-dir', '--no-open'])).toBe('--data-dir needs a value');
    expect(error(['--profile', 'a', '--profile', 'b'])).toBe('--profile given more than once');
    expect(error(['--no-open=yes'])).toBe('--no-open takes no value');
    expect(error(['--profle', 'bob'])).toBe('unknown argument "--profle"');
    expect(error(['stray'])).toBe('unknown argument "stray"');
  });

  it("ignores Electron's own switches and the app path when told to", () => {
    const argv = ['.', '--inspect=0', '--remote-debugging-port=0', '--profile', 'ann', '--no-sandbox'];
    expect(options(argv, { allowUnknown: true }).profile).toBe('ann');
    // Known flags are still checked strictly.
    expect(parse(['--profile', '../x'], { allowUnknown: true }).ok).toBe(false);
  });

  it('needs a data dir when the platform has no default', () => {
    expect(error([], { defaultDataDir: null })).toMatch(/--data-dir/);
    expect(options(['--data-dir', '/d'], { defaultDataDir: null }).dataDir).toBe('/d');
  });

  it('reads the log level from PARLEY_LOG_LEVEL and refuses unknown levels', () => {
    expect(options([], { env: { PARLEY_LOG_LEVEL: 'WARN' } }).logLevel).toBe('warn');
    expect(error([], { env: { PARLEY_LOG_LEVEL: 'loud' } })).toMatch(/PARLEY_LOG_LEVEL/);
  });
});
