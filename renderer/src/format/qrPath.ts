/**
 * A QR code's modules as one SVG path: each run of dark modules in a row becomes one
 * rectangle, in module units (one module = 1 × 1), so the SVG scales crisply with its
 * viewBox. Pure, so it is tested without a DOM.
 */

/** The shape of `QRCode.create(...).modules` (qrcode's BitMatrix) that we need. */
export interface QrModules {
  size: number;
  /** Row-major, size × size; truthy = dark. */
  data: ArrayLike<number | boolean>;
}

/** Light modules around the code that scanners need (the spec asks for 4). */
export const QUIET_ZONE = 4;

export function qrModulesToPath({ size, data }: QrModules): string {
  if (!Number.isInteger(size) || size <= 0 || data.length < size * size) return '';
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y * size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  }
  return parts.join('');
}

/** The viewBox that shows the code with its quiet zone. */
export function qrViewBox(size: number, quietZone = QUIET_ZONE): string {
  return `${-quietZone} ${-quietZone} ${size + 2 * quietZone} ${size + 2 * quietZone}`;
}
