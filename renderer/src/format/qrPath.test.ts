import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrModulesToPath, qrViewBox } from './qrPath';

/** Reads a path of `M x y h w v1 h-w z` runs back into the set of dark cells. */
function darkCells(path: string): Set<string> {
  const cells = new Set<string>();
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    for (let i = 0; i < Number(w); i++) cells.add(`${Number(x) + i},${y}`);
  }
  return cells;
}

describe('QR modules to an SVG path', () => {
  it('merges each run of dark modules in a row into one rectangle', () => {
    // 3 × 3: row 0 all dark, row 1 the middle, row 2 the two ends.
    const data = [1, 1, 1, 0, 1, 0, 1, 0, 1];
    expect(qrModulesToPath({ size: 3, data })).toBe('M0 0h3v1h-3zM1 1h1v1h-1zM0 2h1v1h-1zM2 2h1v1h-1z');
  });

  it('draws nothing for an all-light or malformed matrix', () => {
    expect(qrModulesToPath({ size: 2, data: [0, 0, 0, 0] })).toBe('');
    expect(qrModulesToPath({ size: 3, data: [1, 1] })).toBe('');
    expect(qrModulesToPath({ size: 0, data: [] })).toBe('');
  });

  it('covers exactly the dark modules of a real code', () => {
    const { modules } = create('parley-safety-number:v1:0123456789', { errorCorrectionLevel: 'M' });
    const path = qrModulesToPath(modules);
    const expected = new Set<string>();
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) expected.add(`${x},${y}`);
    }
    expect(darkCells(path)).toEqual(expected);
    // The finder pattern's top row: seven dark modules in one run.
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true);
  });

  it('leaves a quiet zone round the code', () => {
    expect(qrViewBox(25)).toBe('-4 -4 33 33');
  });
});
