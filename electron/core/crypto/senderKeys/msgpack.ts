import { isE2eeError } from '../e2ee/errors';
import { unpack } from '../e2ee/msgpack';
import { badFormat } from './errors';

/** e2ee's strict unpack, with its bad_format reported as this module's error. */
export function unpackOrFail(bytes: Uint8Array, what: string): unknown {
  try {
    return unpack(bytes, what);
  } catch (error) {
    if (isE2eeError(error)) throw badFormat(`${what} is not valid MessagePack`);
    throw error;
  }
}
