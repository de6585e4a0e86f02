/**
 * Delay before the next reconnect attempt: exponential from 250 ms, capped at 8 s, with
 * jitter so many windows of a restarted host do not reconnect in lockstep.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(8_000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
