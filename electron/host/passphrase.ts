/**
 * Host mode's database-key options: the key file by default; with `--passphrase`, a
 * passphrase asked on the terminal without echo (read as one line when stdin is not a
 * terminal, so a launcher can pipe it in); `PARLEY_PASSPHRASE` supplies it for automation.
 * The environment is the less safe channel (inherited by children unless removed, easy to
 * leave in shell history or CI logs), so it is read once and removed from this process's
 * environment before anything else is started.
 */
import type { Writable } from 'node:stream';
import type { DatabaseKeyOptions, PassphraseRequest } from '../core/api';

export const PASSPHRASE_FLAG = '--passphrase';
export const PASSPHRASE_ENV = 'PARLEY_PASSPHRASE';
export const PASSPHRASE_USAGE = `  ${PASSPHRASE_FLAG}      host mode: protect the profile's database with a passphrase, asked for on the terminal
                    (env ${PASSPHRASE_ENV} supplies it for automation; less safe than typing it)`;

export type PassphraseFlagResult = { ok: true; argv: string[]; passphrase: boolean } | { ok: false; error: string };

/**
 * Takes `--passphrase` (a switch: the passphrase itself never goes on the command line,
 * where `ps` shows it) out of argv, leaving the rest for parseLaunchOptions.
 */
export function extractPassphraseFlag(argv: readonly string[]): PassphraseFlagResult {
  const rest: string[] = [];
  let passphrase = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === PASSPHRASE_FLAG) {
      const next = argv[i + 1];
      // Never echo what follows: it may be the passphrase itself.
      if (next !== undefined && !next.startsWith('-')) return noValue();
      passphrase = true;
    } else if (arg.startsWith(`${PASSPHRASE_FLAG}=`)) {
      return noValue();
    } else {
      rest.push(arg);
    }
  }
  return { ok: true, argv: rest, passphrase };
}

const noValue = (): { ok: false; error: string } => ({
  ok: false,
  error: `${PASSPHRASE_FLAG} takes no value: the passphrase is asked for on the terminal (or set ${PASSPHRASE_ENV})`,
});

/** The user pressed Ctrl-C (or Ctrl-D on an empty line) at the prompt. */
export class PromptCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PromptCancelledError';
  }
}

/** The passphrases typed to create a profile did not match. */
export class PassphraseMismatchError extends Error {
  constructor() {
    super('the two passphrases did not match; nothing was created');
    this.name = 'PassphraseMismatchError';
  }
}

/** What the prompt needs of stdin (a tty.ReadStream, or a pipe). */
export interface PromptInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface HostKeyEnvironment {
  passphraseFlag: boolean;
  /** Read for PARLEY_PASSPHRASE, which is then deleted from it. */
  env: Record<string, string | undefined>;
  profile: string;
  input: PromptInput;
  output: Writable;
}

export function hostDatabaseKeyOptions(environment: HostKeyEnvironment): DatabaseKeyOptions {
  const fromEnv = environment.env[PASSPHRASE_ENV];
  delete environment.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { passphrase: fromEnv };
  if (!environment.passphraseFlag) return {};
  return {
    passphrase: (request) => promptPassphrase(request, environment.profile, environment.input, environment.output),
  };
}

/** Asks on a terminal without echo (twice when creating); reads one line from a pipe. */
export async function promptPassphrase(
  request: PassphraseRequest,
  profile: string,
  input: PromptInput,
  output: Writable,
): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return readLine(input);
  if (!request.creating) return readHidden(input, output, `Passphrase for profile "${profile}": `);
  const first = await readHidden(input, output, `New passphrase for profile "${profile}": `);
  const second = await readHidden(input, output, 'Repeat it: ');
  if (first !== second) throw new PassphraseMismatchError();
  return first;
}

function readHidden(input: PromptInput, output: Writable, prompt: string): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = input.isRaw ?? false;
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(new PromptCancelledError());
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u0015')
          value = ''; // Ctrl-U
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

function readLine(input: PromptInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
      if (err) reject(err);
      else resolve(buffered.replace(/\r?\n[\s\S]*$/, ''));
    };
    const onData = (chunk: string) => {
      buffered += chunk;
      if (buffered.includes('\n')) finish();
    };
    const onEnd = () => (buffered === '' ? finish(new PromptCancelledError()) : finish());
    input.setEncoding('utf8');
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
