/**
 * Live fan-out of channel pushes to online subscribers.
 *
 * A push is serialized ONCE: MessagePack-encoded, then framed as one complete unmasked
 * WebSocket binary frame (preFrame below), and that single Buffer is written to every
 * subscriber's TCP socket. Node's socket keeps a reference to it, not a copy, so a thousand
 * slow readers share one buffer. There are no per-subscriber queue rows or frames.
 *
 * Slow subscribers: a socket whose send buffer already holds more than `bufferCap` bytes is
 * skipped and marked behind for that channel. When its buffer drains it gets one
 * `chanResync` hint and catches up by sequence (chanSync), like after a reconnect. So a
 * slow reader never delays the others, and the relay holds at most ~bufferCap bytes for it.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { encodeFrame, type ServerFrame } from '../../../shared/protocol';

/** ws's private parts used to write a pre-framed buffer. Checked at run time; ws.send is the fallback. */
interface WsInternals {
  _socket?: Socket;
  _sender?: { _queue?: unknown[]; _state?: number };
}

/** Views reported per connection are counted once; the memory for that is bounded. */
const MAX_SEEN_PER_CONNECTION = 512;

/** One connection as a receiver of channel pushes. */
export class ChannelListener {
  /** Channels this connection receives pushes of. */
  readonly channels = new Set<string>();
  private readonly behind = new Set<string>();
  private waitingForDrain = false;
  private readonly seenViews = new Set<string>();

  constructor(
    private readonly ws: WebSocket,
    /** Sends a frame the ordinary way (for resync hints). */
    private readonly sendFrame: (frame: ServerFrame) => void,
  ) {}

  /** True the first time this connection reports a view of (channel, seq). */
  firstView(channelId: string, seq: number): boolean {
    const key = `${channelId}:${seq}`;
    if (this.seenViews.has(key)) return false;
    if (this.seenViews.size >= MAX_SEEN_PER_CONNECTION) this.seenViews.clear();
    this.seenViews.add(key);
    return true;
  }

  /** Writes one pre-framed push; false when skipped (closed, or over the buffer cap). */
  write(channelId: string, wsFrame: Buffer, payload: Uint8Array, bufferCap: number): boolean {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > bufferCap) {
      this.markBehind(channelId);
      return false;
    }
    const internals = ws as unknown as WsInternals;
    const socket = internals._socket;
    const sender = internals._sender;
    if (socket && !socket.destroyed && sender && (sender._queue?.length ?? 0) === 0 && (sender._state ?? 0) === 0) {
      socket.write(wsFrame);
    } else {
      ws.send(payload, { binary: true });
    }
    return true;
  }

  private markBehind(channelId: string): void {
    this.behind.add(channelId);
    if (this.waitingForDrain) return;
    const socket = (this.ws as unknown as WsInternals)._socket;
    if (!socket) return;
    this.waitingForDrain = true;
    socket.once('drain', () => {
      this.waitingForDrain = false;
      const channelIds = [...this.behind];
      this.behind.clear();
      if (channelIds.length > 0 && this.ws.readyState === WebSocket.OPEN) {
        this.sendFrame({ t: 'chanResync', channelIds });
      }
    });
  }
}

export interface PublishResult {
  readonly written: number;
  readonly skipped: number;
}

export class ChannelHub {
  private readonly listeners = new Map<string, Set<ChannelListener>>();

  constructor(private readonly bufferCap: number) {}

  attach(channelId: string, listener: ChannelListener): void {
    let set = this.listeners.get(channelId);
    if (!set) {
      set = new Set();
      this.listeners.set(channelId, set);
    }
    set.add(listener);
    listener.channels.add(channelId);
  }

  detach(channelId: string, listener: ChannelListener): void {
    listener.channels.delete(channelId);
    const set = this.listeners.get(channelId);
    if (!set) return;
    set.delete(listener);
    if (set.size === 0) this.listeners.delete(channelId);
  }

  /** The connection closed. */
  detachAll(listener: ChannelListener): void {
    for (const channelId of [...listener.channels]) this.detach(channelId, listener);
  }

  /** Online listeners of a channel (for tests and metrics). */
  listenerCount(channelId: string): number {
    return this.listeners.get(channelId)?.size ?? 0;
  }

  /** Serializes `frame` once and writes it to every online listener of the channel. */
  publish(channelId: string, frame: ServerFrame): PublishResult {
    const set = this.listeners.get(channelId);
    if (!set || set.size === 0) return { written: 0, skipped: 0 };
    const payload = encodeFrame(frame);
    const wsFrame = preFrame(payload);
    let written = 0;
    let skipped = 0;
    for (const listener of set) {
      if (listener.write(channelId, wsFrame, payload, this.bufferCap)) written++;
      else skipped++;
    }
    return { written, skipped };
  }
}

/**
 * One complete, unmasked, final binary WebSocket frame holding `payload` (RFC 6455 §5.2:
 * FIN + opcode 2, then a 7-bit, 16-bit or 64-bit length; servers never mask), as one Buffer
 * ready for socket.write.
 */
export function preFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}
