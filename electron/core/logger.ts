/**
 * Loggers for the core. Callers pass only metadata in `fields` (ids, counts, error codes):
 * message text and key material must never be logged, so nothing here tries to redact.
 */
import type { Logger } from './api';

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one line per entry to stderr: `time level [parley-core] msg {fields}`. */
export function createConsoleLogger(minLevel: Level = 'info'): Logger {
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minLevel]) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [parley-core] ${msg}${suffix}\n`);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A loggable description of a caught value: its message only, never a stack of data. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
