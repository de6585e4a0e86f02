import { Packr } from 'msgpackr';
import { copyBytes } from './bytes';
import { BadFormatError } from './errors';

/**
 * MessagePack for envelopes and stored state: plain maps (no records extension), so the
 * bytes are self-describing and another version of this code can read them.
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

/**
 * Returns a plain Uint8Array of its own. msgpackr returns a Node Buffer that is a view into
 * a larger buffer it shares between calls; a caller's `slice()` of that would be a view too.
 */
export function pack(value: unknown): Uint8Array {
  const packed = packr.pack(value);
  const out = new Uint8Array(packed.byteLength);
  out.set(packed);
  return out;
}

/** Unpacks exactly one value; trailing bytes or invalid MessagePack → bad_format. */
export function unpack(bytes: Uint8Array, what: string): unknown {
  try {
    // On a copy: msgpackr caches a DataView on its input as an expando property.
    return packr.unpack(copyBytes(bytes));
  } catch {
    throw new BadFormatError(`${what} is not valid MessagePack`);
  }
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
