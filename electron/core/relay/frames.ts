/**
 * Typing for request/response pairs of the relay protocol: which frame answers which
 * request (shared/protocol/frames.ts documents the pairs).
 */
import type { ClientFrame, FrameOf, ServerFrame } from '../../../shared/protocol';
import { CHANNEL_RESPONSE_TYPE } from '../channels/frames';
import { GROUP_RESPONSE_TYPE } from '../groups/frames';

/**
 * Drops `id` from each frame type and accepts any Uint8Array for byte fields (zod infers
 * Uint8Array<ArrayBuffer>, but Buffers from SQLite or libsodium are ArrayBufferLike).
 */
type Widen<T> = T extends Uint8Array
  ? Uint8Array
  : T extends readonly (infer U)[]
    ? Widen<U>[]
    : T extends object
      ? { [K in keyof T]: Widen<T[K]> }
      : T;
type WidenBytes<T> = { [K in keyof T]: Widen<T[K]> };
type RequestShape<T> = T extends unknown ? WidenBytes<Omit<T, 'id'>> : never;

/** A client request before the socket numbers it. */
export type RelayRequest = RequestShape<ClientFrame>;
export type RequestType = ClientFrame['t'];

export const RESPONSE_TYPE = {
  register: 'session',
  login: 'session',
  profile: 'session',
  lookup: 'user',
  search: 'users',
  send: 'sent',
  prekeys: 'prekeyState',
  bundle: 'bundle',
  rekey: 'session',
  sync: 'ok',
  ack: 'ok',
  ping: 'ok',
  keysChanged: 'keysChangedList',
  ...CHANNEL_RESPONSE_TYPE,
  ...GROUP_RESPONSE_TYPE,
} as const satisfies Record<RequestType, ServerFrame['t']>;

/** `gJoin` through an approval link is answered by `gJoinPending` instead of `gState`. */
export type RelayResponse<T extends RequestType> = T extends 'gJoin'
  ? FrameOf<ServerFrame, 'gState' | 'gJoinPending'>
  : FrameOf<ServerFrame, (typeof RESPONSE_TYPE)[T]>;
export type HelloFrame = FrameOf<ServerFrame, 'hello'>;
export type MsgFrame = FrameOf<ServerFrame, 'msg'>;
export type ErrFrame = FrameOf<ServerFrame, 'err'>;
