/** A wall clock and a monotonic clock tests move by hand (never used by production code). */
import type { ExpiryClock } from '../messaging/expiry';

export class FakeClock implements ExpiryClock {
  wall = 1_700_000_000_000;
  mono = 1_000;
  now = () => this.wall;
  monotonic = () => this.mono;
  advance(ms: number) {
    this.wall += ms;
    this.mono += ms;
  }
}
