/**
 * MessagePack framing for the relay protocol. Encoding is plain msgpackr; decoding
 * validates against the frame schemas, so nothing unvalidated reaches protocol code.
 */
import { Packr } from 'msgpackr';
import type { z } from 'zod';
import { clientFrame, serverFrame, type ClientFrame, type ServerFrame } from './frames';
import { LIMITS } from './limits';

// Plain maps, no records/structures extension: every frame is self-describing, so peers
// of different versions (or other languages) can read it.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export function encodeFrame(frame: ClientFrame | ServerFrame): Uint8Array {
  return packr.pack(frame);
}

export type DecodeResult<T> =
  { ok: true; frame: T } | { ok: false; code: 'bad_frame' | 'frame_too_large'; message: string; re?: number };

function decodeWith<T>(schema: z.ZodType<T>, data: Uint8Array): DecodeResult<T> {
  if (data.byteLength > LIMITS.maxFrameBytes) {
    return {
      ok: false,
      code: 'frame_too_large',
      message: `frame of ${data.byteLength} bytes exceeds ${LIMITS.maxFrameBytes}`,
    };
  }
  let raw: unknown;
  try {
    raw = packr.unpack(data);
  } catch {
    return { ok: false, code: 'bad_frame', message: 'not valid MessagePack' };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    // Echo the request id when there is a usable one, so the client can match the error.
    const re =
      typeof raw === 'object' && raw !== null && Number.isSafeInteger((raw as { id?: unknown }).id)
        ? (raw as { id: number }).id
        : undefined;
    return {
      ok: false,
      code: 'bad_frame',
      message: `invalid frame${where}: ${issue?.message ?? 'unknown'}`,
      ...(re !== undefined && re >= 0 ? { re } : {}),
    };
  }
  return { ok: true, frame: parsed.data };
}

export const decodeClientFrame = (data: Uint8Array): DecodeResult<ClientFrame> => decodeWith(clientFrame, data);
export const decodeServerFrame = (data: Uint8Array): DecodeResult<ServerFrame> => decodeWith(serverFrame, data);
