/**
 * Pushes one device's queue to its connection: envelopes in queue order, at most `window`
 * unacknowledged at a time, pausing while the socket's send buffer is above `highWater`.
 *
 * The pump starts when the client sends `sync` and is woken by anything that may let it make
 * progress: an ack (frees window slots), or a bus notification (new envelopes). Nothing is
 * deleted here: an envelope stays queued until the client acknowledges it, so a connection
 * that drops mid-flight gets the same envelopes again next time (at-least-once).
 */
import type { FrameSink } from '../connection/frameChannel';
import type { Storage } from '../storage/storage';

export interface DeliveryPumpOptions {
  readonly deviceId: string;
  readonly storage: Pick<Storage, 'readQueue'>;
  readonly sink: FrameSink;
  /** Unacknowledged envelopes allowed in flight. */
  readonly window: number;
  /** Buffered bytes above which pushing waits for the socket to drain. */
  readonly highWater: number;
  /** The queue could not be read; the pump has stopped. */
  readonly onFailure: (error: unknown) => void;
  /** Clock for purge deadlines (ms since epoch). Default Date.now. */
  readonly now?: () => number;
}

export class DeliveryPump {
  private started = false;
  private stopped = false;
  /** Highest eid pushed on this connection; the next read starts after it. */
  private cursor = 0;
  private readonly inFlight = new Set<number>();
  private running: Promise<void> | undefined;
  private wakeRequested = false;

  constructor(private readonly options: DeliveryPumpOptions) {}

  /** Begins delivery (the client sent `sync`). Calling it again just wakes the pump. */
  start(): void {
    this.started = true;
    this.wake();
  }

  /** Something changed (new envelopes, free window slots): look at the queue again. */
  wake(): void {
    if (!this.started || this.stopped) return;
    this.wakeRequested = true;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** The client committed these envelopes (and the relay deleted them): free their slots. */
  acknowledged(eids: readonly number[]): void {
    for (const eid of eids) this.inFlight.delete(eid);
    this.wake();
  }

  stop(): void {
    this.stopped = true;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Resolves when the pump is not touching storage (used before closing it). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      // A wake during a pass (e.g. a notification racing a read) schedules another pass.
      while (this.wakeRequested && !this.stopped) {
        this.wakeRequested = false;
        await this.pushUntilBlocked();
      }
    } catch (error) {
      this.stopped = true;
      this.options.onFailure(error);
    }
  }

  /** Pushes until the queue is empty, the window is full, or the connection went away. */
  private async pushUntilBlocked(): Promise<void> {
    const { sink, storage, deviceId, window, highWater } = this.options;
    for (;;) {
      if (this.stopped || !sink.open) return;
      if (sink.bufferedAmount > highWater) {
        await sink.whenFlushed();
        continue;
      }
      const free = window - this.inFlight.size;
      if (free <= 0) return; // the next ack wakes us
      const batch = await storage.readQueue(deviceId, this.cursor, free);
      let pushedAll = true;
      const now = (this.options.now ?? Date.now)();
      for (const envelope of batch) {
        if (this.stopped || !sink.open) return;
        if (envelope.purgeAt !== undefined && envelope.purgeAt <= now) {
          // A self-destructing message past its deadline: never delivered; the sweep deletes it.
          this.cursor = envelope.eid;
          continue;
        }
        sink.send({
          t: 'msg',
          eid: envelope.eid,
          msgId: envelope.msgId,
          from: envelope.senderId,
          seq: envelope.seq,
          ts: envelope.ts,
          body: envelope.body,
        });
        this.inFlight.add(envelope.eid);
        this.cursor = envelope.eid;
        if (sink.bufferedAmount > highWater) {
          // The rest of the batch is read again after the drain.
          pushedAll = false;
          break;
        }
      }
      if (pushedAll && batch.length < free) return; // caught up with the queue
    }
  }
}
