import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../../shared/protocol';
import type { FrameSink } from '../connection/frameChannel';
import type { QueuedEnvelope } from '../storage/storage';
import { DeliveryPump } from './pump';

/** A queue of `count` envelopes with eids 1..count. */
function queueOf(count: number): QueuedEnvelope[] {
  return Array.from({ length: count }, (_, i) => ({
    eid: i + 1,
    senderId: 'u_AAAAAAAAAAAAAAAAAAAAAA',
    msgId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    seq: i + 1,
    ts: 1,
    body: new Uint8Array([i]),
  }));
}

/** Storage reading from an in-memory queue. */
function fakeStorage(queue: QueuedEnvelope[]) {
  return {
    readQueue: async (_deviceId: string, afterEid: number, limit: number) =>
      queue.filter((e) => e.eid > afterEid).slice(0, limit),
  };
}

/** A socket whose buffer fills by `frameBytes` per frame and drains when the test says so. */
class FakeSink implements FrameSink {
  readonly sent: ServerFrame[] = [];
  open = true;
  bufferedAmount = 0;
  private drainWaiters: (() => void)[] = [];
  constructor(private readonly frameBytes = 0) {}
  send(frame: ServerFrame): void {
    this.sent.push(frame);
    this.bufferedAmount += this.frameBytes;
  }
  whenFlushed(): Promise<void> {
    return this.bufferedAmount === 0 ? Promise.resolve() : new Promise((resolve) => this.drainWaiters.push(resolve));
  }
  drain(): void {
    this.bufferedAmount = 0;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
  eids(): number[] {
    return this.sent.map((frame) => (frame.t === 'msg' ? frame.eid : -1));
  }
}

function pumpFor(queue: QueuedEnvelope[], sink: FakeSink, window: number, highWater = 1_000_000) {
  const failures: unknown[] = [];
  const pump = new DeliveryPump({
    deviceId: 'd_x',
    storage: fakeStorage(queue),
    sink,
    window,
    highWater,
    onFailure: (error) => failures.push(error),
  });
  return { pump, failures };
}

describe('delivery pump', () => {
  it('pushes nothing before start, then the queue in order up to the window', async () => {
    const sink = new FakeSink();
    const { pump } = pumpFor(queueOf(5), sink, 2);
    pump.wake();
    await pump.idle();
    expect(sink.sent).toEqual([]);

    pump.start();
    await pump.idle();
    expect(sink.eids()).toEqual([1, 2]);
    expect(pump.inFlightCount).toBe(2);
    expect(sink.sent[0]).toMatchObject({ t: 'msg', eid: 1, seq: 1, from: 'u_AAAAAAAAAAAAAAAAAAAAAA' });

    pump.acknowledged([1]);
    await pump.idle();
    expect(sink.eids()).toEqual([1, 2, 3]);
    pump.acknowledged([2, 3]);
    await pump.idle();
    expect(sink.eids()).toEqual([1, 2, 3, 4, 5]);
  });

  it('picks up envelopes queued later when woken', async () => {
    const queue = queueOf(1);
    const sink = new FakeSink();
    const { pump } = pumpFor(queue, sink, 10);
    pump.start();
    await pump.idle();
    queue.push(...queueOf(3).slice(1));
    pump.wake();
    await pump.idle();
    expect(sink.eids()).toEqual([1, 2, 3]);
  });

  it('pauses above the high-water mark and resumes when the socket drains', async () => {
    const sink = new FakeSink(100);
    const { pump } = pumpFor(queueOf(6), sink, 10, 250);
    pump.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.eids()).toEqual([1, 2, 3]); // 300 bytes buffered > 250

    sink.drain();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.eids()).toEqual([1, 2, 3, 4, 5, 6]);
    sink.drain();
    await pump.idle();
  });

  it('stops pushing when stopped or when the socket closes', async () => {
    const sink = new FakeSink();
    const { pump } = pumpFor(queueOf(3), sink, 1);
    pump.start();
    await pump.idle();
    sink.open = false;
    pump.acknowledged([1]);
    await pump.idle();
    pump.stop();
    sink.open = true;
    pump.wake();
    await pump.idle();
    expect(sink.eids()).toEqual([1]);
  });

  it('reports a storage failure and stops', async () => {
    const sink = new FakeSink();
    const failures: unknown[] = [];
    const pump = new DeliveryPump({
      deviceId: 'd_x',
      storage: { readQueue: () => Promise.reject(new Error('disk gone')) },
      sink,
      window: 4,
      highWater: 1_000,
      onFailure: (error) => failures.push(error),
    });
    pump.start();
    await pump.idle();
    expect(failures).toHaveLength(1);
    expect(sink.sent).toEqual([]);
  });
});
