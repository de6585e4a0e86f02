import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT, parseRelayArgs } from './args';

const platform = { platform: 'linux', homeDir: '/home/ann' } as const;
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseRelayArgs(argv, env, platform);

describe('relay command-line flags', () => {
  it('defaults to 127.0.0.1:7447 and the user data directory', () => {
    expect(parse([])).toEqual({
      kind: 'run',
      options: {
        port: DEFAULT_PORT,
        host: DEFAULT_HOST,
        dataDir: '/home/ann/.local/share/Parley/relay',
        logLevel: 'info',
      },
    });
    expect(DEFAULT_PORT).toBe(7447);
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(parse(['--port', '0', '--host=0.0.0.0', '--data-dir', '/tmp/r', '--log-level=debug'])).toEqual({
      kind: 'run',
      options: { port: 0, host: '0.0.0.0', dataDir: '/tmp/r', logLevel: 'debug' },
    });
  });

  it('lets --data-dir win over PARLEY_RELAY_DATA_DIR, which wins over the default', () => {
    const env = { PARLEY_RELAY_DATA_DIR: '/from/env' };
    expect(parse([], env)).toMatchObject({ options: { dataDir: '/from/env' } });
    expect(parse(['--data-dir', '/from/flag'], env)).toMatchObject({ options: { dataDir: '/from/flag' } });
  });

  it('explains bad flags', () => {
    const message = (argv: string[]) => {
      const result = parse(argv);
      return result.kind === 'error' ? result.message : `no error (${result.kind})`;
    };
    expect(message(['--port', 'abc'])).toMatch(/--port must be an integer from 0 to 65535/);
    expect(message(['--port', '65536'])).toMatch(/--port/);
    expect(message(['--port', '-1'])).toMatch(/--port/);
    expect(message(['--port'])).toMatch(/port/);
    expect(message(['--verbose'])).toMatch(/verbose/);
    expect(message(['stray'])).toMatch(/stray/);
    expect(message(['--log-level', 'loud'])).toMatch(/--log-level must be one of/);
    expect(message(['--host', ''])).toMatch(/--host/);
  });

  it('recognises --help and -h', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h'])).toEqual({ kind: 'help' });
  });
});
