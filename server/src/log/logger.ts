/**
 * Structured logging for the relay. Lines are JSON so an operator can ship them anywhere.
 *
 * Rule for every call site: fields carry ids, codes and counts — never message bodies,
 * keys, signatures or challenges. The relay cannot read bodies, but it must not copy the
 * ciphertext into a second place either.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Something that accepts text, like process.stderr. */
export interface LineSink {
  write(line: string): unknown;
}

export interface JsonLoggerOptions {
  /** Default: process.stderr (stdout is reserved for the machine-readable URL line). */
  sink?: LineSink;
  /** Lowest level written. Default: info. */
  level?: LogLevel;
  /** Default: Date.now. */
  now?: () => number;
}

/** Writes one JSON object per line: {"time":…,"level":…,"msg":…, ...fields}. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const sink = options.sink ?? process.stderr;
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const now = options.now ?? Date.now;
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const line: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg: message };
      for (const [key, value] of Object.entries(fields ?? {})) {
        // A field can never overwrite time, level or msg.
        if (!(key in line)) line[key] = value;
      }
      sink.write(`${JSON.stringify(line)}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Discards everything; for tests and embedders that do their own reporting. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An error's message for a log line, without its stack or attached data. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
