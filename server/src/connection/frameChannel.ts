/**
 * The relay's side of one WebSocket: encodes frames, tracks how much is still buffered for
 * the peer, and lets the delivery pump wait until the buffer has drained.
 */
import WebSocket from 'ws';
import { encodeFrame, type ServerFrame } from '../../../shared/protocol';

/** The part of a frame channel the delivery pump needs (a fake in the pump's tests). */
export interface FrameSink {
  readonly open: boolean;
  /** Bytes queued for the peer and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  send(frame: ServerFrame): void;
  /** Resolves once everything sent so far has been written out (or the socket closed). */
  whenFlushed(): Promise<void>;
}

export class FrameChannel implements FrameSink {
  private sentCount = 0;
  private flushedCount = 0;
  private readonly flushWaiters: { target: number; resolve: () => void }[] = [];

  /**
   * @param onOverflow called when the peer has let more than `hardLimit` bytes pile up; the
   *   owner closes the connection (slow consumer).
   */
  constructor(
    private readonly ws: WebSocket,
    private readonly hardLimit: number,
    private readonly onOverflow: () => void,
  ) {
    // Pending write callbacks fire with an error when the socket dies; resolve waiters
    // here too in case a close races ahead of them.
    ws.once('close', () => this.releaseWaiters(Number.POSITIVE_INFINITY));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(frame: ServerFrame): void {
    this.sendEncoded(encodeFrame(frame));
  }

  /** Sends bytes already encoded with encodeFrame (a frame serialized once for many sockets). */
  sendEncoded(data: Uint8Array): void {
    if (!this.open) return;
    this.sentCount++;
    // ws invokes write callbacks in order, so counting them tells how far the flush got.
    this.ws.send(data, { binary: true }, () => {
      this.flushedCount++;
      this.releaseWaiters(this.flushedCount);
    });
    if (this.ws.bufferedAmount > this.hardLimit) this.onOverflow();
  }

  whenFlushed(): Promise<void> {
    if (!this.open || this.flushedCount >= this.sentCount) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push({ target: this.sentCount, resolve }));
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) {
      this.ws.close(code, reason);
    }
  }

  /** Drops the connection without a close handshake (a peer that stopped responding). */
  terminate(): void {
    this.ws.terminate();
  }

  private releaseWaiters(flushed: number): void {
    for (let i = this.flushWaiters.length - 1; i >= 0; i--) {
      const waiter = this.flushWaiters[i];
      if (waiter && waiter.target <= flushed) {
        this.flushWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
