/**
 * Host mode carries the same contract over a loopback WebSocket (JSON text frames) instead
 * of Electron IPC. These are the only frames on that socket.
 *
 *   renderer → host   { id, name, input }            a request
 *   host → renderer   { id, result }                 its IpcResult
 *   host → renderer   { event, payload }             a contract event
 *
 * The page is served at http://127.0.0.1:PORT/#token=TOKEN; the renderer connects to
 * ws://127.0.0.1:PORT/bridge?token=TOKEN. The host checks the token (constant time), the
 * Origin and the Host header before accepting the upgrade.
 */
import { z } from 'zod';
import type { IpcResult } from './result';

export const hostRequestFrame = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(64),
  input: z.unknown(),
});
export type HostRequestFrame = z.infer<typeof hostRequestFrame>;

export interface HostResultFrame {
  id: number;
  result: IpcResult<unknown>;
}
export interface HostEventFrame {
  event: string;
  payload: unknown;
}
export type HostServerFrame = HostResultFrame | HostEventFrame;

/** Largest request frame the host accepts (a long message plus JSON overhead). */
export const HOST_MAX_FRAME_BYTES = 256 * 1024;
