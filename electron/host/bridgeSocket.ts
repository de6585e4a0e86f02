/**
 * One bridge connection: request frames in, result frames out (shared/ipc/hostWire.ts).
 * Every request goes through `dispatch`, exactly like Electron IPC. A frame that is bad but
 * answerable (too large, wrong shape) gets an error result under its id and the socket stays
 * usable; a frame that cannot be answered because it has no id (not JSON, binary, no id)
 * closes the socket with 1003, which the renderer's client treats as a dropped link.
 */
import type { RawData, WebSocket } from 'ws';
import { dispatch } from '../../shared/ipc/dispatch';
import { HOST_MAX_FRAME_BYTES, hostRequestFrame, type HostResultFrame } from '../../shared/ipc/hostWire';
import { fail, type IpcResult } from '../../shared/ipc/result';
import type { Core, Logger } from '../core/api';
import { describeError } from '../core/logger';

/**
 * Frames up to this size are read far enough to answer them with an error; larger ones
 * make ws close the socket with 1009 before we see them.
 */
export const BRIDGE_SOCKET_MAX_PAYLOAD = HOST_MAX_FRAME_BYTES * 4;
/** Requests one socket may have running at once; more are answered rate_limited. */
export const MAX_IN_FLIGHT_REQUESTS = 64;

const UNSUPPORTED_DATA = 1003;

export function serveBridgeSocket(ws: WebSocket, core: Pick<Core, 'handlers'>, logger: Logger): void {
  let inFlight = 0;
  const reply = (id: number, result: IpcResult<unknown>) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame: HostResultFrame = { id, result };
    ws.send(JSON.stringify(frame));
  };
  const onInternalError = (name: string, err: unknown) =>
    logger.error('request failed in the core', { request: name, error: describeError(err) });

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return refuse('the bridge speaks JSON text frames');
    const text = rawText(data);
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return refuse('a frame is not valid JSON');
    }
    const id = frameId(frame);
    if (id === null) return refuse('a request frame has no valid id');

    if (Buffer.byteLength(text) > HOST_MAX_FRAME_BYTES) {
      return reply(id, fail('invalid_input', `request too large (at most ${HOST_MAX_FRAME_BYTES / 1024} KiB)`));
    }
    const parsed = hostRequestFrame.safeParse(frame);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return reply(id, fail('invalid_input', `malformed request frame (${field}${issue?.message ?? 'invalid'})`));
    }
    if (inFlight >= MAX_IN_FLIGHT_REQUESTS) {
      return reply(id, fail('rate_limited', 'too many requests at once; wait for answers before sending more'));
    }
    inFlight++;
    void dispatch(core.handlers, parsed.data.name, parsed.data.input, onInternalError).then((result) => {
      inFlight--;
      reply(id, result);
    });
  });

  function refuse(reason: string): void {
    logger.warn('closing a bridge connection that broke the wire format', { reason });
    ws.close(UNSUPPORTED_DATA, reason);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** The id of a request frame, if it has a usable one: needed to answer even a bad frame. */
function frameId(frame: unknown): number | null {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return null;
  const id = (frame as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
