import { useMemo, useSyncExternalStore } from 'react';

interface Clock {
  read(): number;
  subscribe(onChange: () => void): () => void;
}

function createClock(intervalMs: number): Clock {
  let now = Date.now();
  return {
    read: () => now,
    subscribe(onChange) {
      // Fresh on (re)activation: React re-reads the snapshot right after subscribing, so a
      // countdown that starts long after mount does not show a stale first value.
      now = Date.now();
      const timer = setInterval(() => {
        now = Date.now();
        onChange();
      }, intervalMs);
      return () => clearInterval(timer);
    },
  };
}

const idle = () => () => {};

/** The current time, refreshed every `intervalMs` while `active` (for countdowns). */
export function useNow(intervalMs: number, active = true): number {
  const clock = useMemo(() => createClock(intervalMs), [intervalMs]);
  return useSyncExternalStore(active ? clock.subscribe : idle, clock.read);
}
