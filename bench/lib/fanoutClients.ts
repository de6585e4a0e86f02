/**
 * Many lightweight WebSocket receivers for fan-out benchmarks: after setup they only count
 * binary messages and note when the last one arrived (no decoding), so the client side
 * costs the same for the relay and for the bare `ws` baseline.
 */
import WebSocket from 'ws';
import { now } from './stats';

export class Receivers {
  readonly sockets: WebSocket[] = [];
  private expected = 0;
  private arrived = 0;
  private last = 0;
  private done: (() => void) | undefined;

  /** Counts every binary message from now on, on every socket added. */
  add(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', () => {
      if (this.done === undefined) return;
      this.arrived++;
      if (this.arrived === this.expected) {
        this.last = now();
        const done = this.done;
        this.done = undefined;
        done();
      }
    });
  }

  /** Resolves with the time of the last of `count` arrivals (started after this call). */
  expect(count: number): Promise<number> {
    this.expected = count;
    this.arrived = 0;
    return new Promise((resolve) => {
      this.done = () => resolve(this.last);
    });
  }

  async closeAll(): Promise<void> {
    await Promise.all(
      this.sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.terminate();
          }),
      ),
    );
  }
}

/** Runs `task` for 0..count-1 with at most `parallel` at a time (a listen backlog is finite). */
export async function inBatches(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const i = next++;
        await task(i);
      }
    }),
  );
}

export function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
