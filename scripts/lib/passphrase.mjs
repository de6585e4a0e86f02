// `npm start -- --passphrase`: the app runs in its own process group (see children.mjs), so it
// cannot read the terminal itself; npm start asks here, without echo, and pipes the answer
// to host mode's stdin (one line), which is what `dist/host.js --passphrase` reads when its
// stdin is not a terminal. Plain Node, no dependencies.

export const PASSPHRASE_FLAG = '--passphrase';
export const PASSPHRASE_USAGE = `  ${PASSPHRASE_FLAG}      host mode: protect the profile's database with a passphrase, asked for on the terminal
                    (env PARLEY_PASSPHRASE supplies it for automation; less safe than typing it)`;

/** Takes `--passphrase` (a switch, never followed by the secret) out of the arguments. */
export function takePassphraseFlag(argv) {
  const args = [];
  let passphrase = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === PASSPHRASE_FLAG && (next === undefined || next.startsWith('-'))) passphrase = true;
    else if (arg === PASSPHRASE_FLAG || arg.startsWith(`${PASSPHRASE_FLAG}=`)) {
      return { ok: false, error: `${PASSPHRASE_FLAG} takes no value: the passphrase is asked for on the terminal` };
    } else args.push(arg);
  }
  return { ok: true, args, passphrase };
}

/** Reads a line from the terminal without echo; null on Ctrl-C / Ctrl-D. */
export function readHidden(prompt, input = process.stdin, output = process.stderr) {
  output.write(prompt);
  return new Promise((resolve) => {
    let value = '';
    const finish = (result) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(value);
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return finish(null);
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

/**
 * Asks for the profile's passphrase (twice when `creating`). Returns the passphrase, or
 * `{ error }` when there is no terminal, the user cancelled, or the two did not match.
 */
export async function askPassphrase(profile, creating) {
  if (!process.stdin.isTTY) {
    return { error: `${PASSPHRASE_FLAG} needs a terminal to ask on (or set PARLEY_PASSPHRASE)` };
  }
  const first = await readHidden(
    creating ? `New passphrase for profile "${profile}": ` : `Passphrase for profile "${profile}": `,
  );
  if (first === null) return { error: 'cancelled' };
  if (!creating) return { passphrase: first };
  const second = await readHidden('Repeat it: ');
  if (second === null) return { error: 'cancelled' };
  if (first !== second) return { error: 'the two passphrases did not match; nothing was created' };
  return { passphrase: first };
}
