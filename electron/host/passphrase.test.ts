import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  extractPassphraseFlag,
  hostDatabaseKeyOptions,
  PassphraseMismatchError,
  promptPassphrase,
  PromptCancelledError,
  type PromptInput,
} from './passphrase';

describe('--passphrase flag', () => {
  it('is a switch taken out of argv, leaving the rest for the launch options', () => {
    expect(extractPassphraseFlag(['--profile', 'bob', '--passphrase', '--no-open'])).toEqual({
      ok: true,
      argv: ['--profile', 'bob', '--no-open'],
      passphrase: true,
    });
    expect(extractPassphraseFlag(['--passphrase'])).toEqual({ ok: true, argv: [], passphrase: true });
    expect(extractPassphraseFlag(['--port', '0'])).toEqual({ ok: true, argv: ['--port', '0'], passphrase: false });
  });

  it('refuses a value, without repeating it (it may be the passphrase)', () => {
    for (const argv of [['--passphrase=hunter2'], ['--passphrase', 'hunter2', '--no-open']]) {
      const result = extractPassphraseFlag(argv);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toMatch(/takes no value/);
        expect(result.error).not.toContain('hunter2');
      }
    }
  });
});

/** A terminal stand-in: what the test types arrives as data; setRawMode is recorded. */
function fakeTerminal(isTTY = true): PromptInput & PassThrough & { rawModes: boolean[] } {
  const stream = new PassThrough() as PassThrough & PromptInput & { rawModes: boolean[] };
  stream.isTTY = isTTY;
  stream.isRaw = false;
  stream.rawModes = [];
  if (isTTY) {
    stream.setRawMode = (mode: boolean) => {
      stream.rawModes.push(mode);
      stream.isRaw = mode;
      return stream;
    };
  }
  return stream;
}

function capture(): PassThrough & { text: () => string } {
  const out = new PassThrough() as PassThrough & { text: () => string };
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  out.text = () => text;
  return out;
}

/** Types `keys` once the prompt has been written (one prompt per entry). */
function typeAfterPrompts(input: PassThrough, output: PassThrough, entries: string[]): void {
  let prompts = 0;
  output.on('data', (chunk: Buffer) => {
    if (chunk.toString().endsWith(': ') && prompts < entries.length) {
      const keys = entries[prompts++]!;
      setImmediate(() => input.write(keys));
    }
  });
}

describe('passphrase prompt', () => {
  it('reads without echo in raw mode, with backspace, and restores the terminal', async () => {
    const input = fakeTerminal();
    const output = capture();
    typeAfterPrompts(input, output, ['hunter3\u007f2\r']);
    const passphrase = await promptPassphrase({ creating: false }, 'bob', input, output);
    expect(passphrase).toBe('hunter2');
    expect(output.text()).toBe('Passphrase for profile "bob": \n');
    expect(input.rawModes).toEqual([true, false]);
  });

  it('asks twice to create, and refuses two different passphrases', async () => {
    const input = fakeTerminal();
    const output = capture();
    typeAfterPrompts(input, output, ['one\r', 'two\r']);
    await expect(promptPassphrase({ creating: true }, 'bob', input, output)).rejects.toThrow(PassphraseMismatchError);
    expect(output.text()).toContain('New passphrase for profile "bob": ');
    expect(output.text()).toContain('Repeat it: ');
    expect(output.text()).not.toMatch(/one|two/);

    const again = fakeTerminal();
    const out2 = capture();
    typeAfterPrompts(again, out2, ['same\r', 'same\r']);
    await expect(promptPassphrase({ creating: true }, 'bob', again, out2)).resolves.toBe('same');
  });

  it('is cancelled by Ctrl-C', async () => {
    const input = fakeTerminal();
    const output = capture();
    typeAfterPrompts(input, output, ['abc\u0003']);
    await expect(promptPassphrase({ creating: false }, 'bob', input, output)).rejects.toThrow(PromptCancelledError);
    expect(input.rawModes).toEqual([true, false]);
  });

  it('reads one line from a pipe (a launcher passing it on), and nothing is no passphrase', async () => {
    const input = fakeTerminal(false);
    const output = capture();
    input.end('piped secret\nignored\n');
    await expect(promptPassphrase({ creating: true }, 'bob', input, output)).resolves.toBe('piped secret');
    expect(output.text()).toBe('');

    const empty = fakeTerminal(false);
    empty.end();
    await expect(promptPassphrase({ creating: false }, 'bob', empty, output)).rejects.toThrow(PromptCancelledError);
  });
});

describe('host database key options', () => {
  const io = { profile: 'bob', input: fakeTerminal(), output: capture() };

  it('default to the key file', () => {
    expect(hostDatabaseKeyOptions({ ...io, passphraseFlag: false, env: {} })).toEqual({});
  });

  it('take PARLEY_PASSPHRASE and remove it from the environment', () => {
    const env: Record<string, string | undefined> = { PARLEY_PASSPHRASE: 'from env', OTHER: 'x' };
    expect(hostDatabaseKeyOptions({ ...io, passphraseFlag: true, env })).toEqual({ passphrase: 'from env' });
    expect(env).toEqual({ OTHER: 'x' });
  });

  it('prompt when --passphrase is given without the environment variable', () => {
    const options = hostDatabaseKeyOptions({ ...io, passphraseFlag: true, env: {} });
    expect(typeof options.passphrase).toBe('function');
  });
});
