import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger';

describe('JSON logger', () => {
  it('writes one JSON object per line at or above its level, fields unable to overwrite the basics', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({
      level: 'info',
      sink: { write: (line: string) => lines.push(line) },
      now: () => 0,
    });
    logger.debug('hidden');
    logger.info('hello', { conn: 'abc', msg: 'spoofed', level: 'error' });
    logger.error('bad', { code: 7 });
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'hello', conn: 'abc' },
      { time: '1970-01-01T00:00:00.000Z', level: 'error', msg: 'bad', code: 7 },
    ]);
  });
});
