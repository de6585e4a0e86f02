/**
 * The relay's full frame unions: `clientFrame`/`serverFrame` (frames.ts) plus the group
 * frames (groups.ts).
 *
 * Why separate: the client core types every request/answer pair and every push exhaustively
 * over `ClientFrame`/`ServerFrame` (electron/core/relay/frames.ts, socket.ts). Group frames
 * join those unions in the same change that teaches the core to handle them (the group
 * client integration); until then the relay decodes and answers with these wider unions,
 * and a core that never sends a group frame never receives one.
 */
import { Packr } from 'msgpackr';
import { z } from 'zod';
import type { DecodeResult } from './codec';
import { clientFrame, serverFrame } from './frames';
import { groupClientFrames, groupServerFrames } from './groups';
import { LIMITS } from './limits';

export const relayClientFrame = z.discriminatedUnion('t', [...clientFrame.options, ...groupClientFrames]);
export type RelayClientFrame = z.infer<typeof relayClientFrame>;
export const relayServerFrame = z.discriminatedUnion('t', [...serverFrame.options, ...groupServerFrames]);
export type RelayServerFrame = z.infer<typeof relayServerFrame>;

// The same MessagePack settings as codec.ts.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export function encodeRelayFrame(frame: RelayClientFrame | RelayServerFrame): Uint8Array {
  return packr.pack(frame);
}

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
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    const re = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
    return {
      ok: false,
      code: 'bad_frame',
      message: `invalid frame${where}: ${issue?.message ?? 'unknown'}`,
      ...(re !== undefined ? { re } : {}),
    };
  }
  return { ok: true, frame: parsed.data };
}

export const decodeRelayClientFrame = (data: Uint8Array): DecodeResult<RelayClientFrame> =>
  decodeWith(relayClientFrame, data);
export const decodeRelayServerFrame = (data: Uint8Array): DecodeResult<RelayServerFrame> =>
  decodeWith(relayServerFrame, data);
