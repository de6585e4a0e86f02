import { describe, expect, it } from 'vitest';
import type { BridgeLink, LinkState } from '../bridge/link';
import { createAppStore } from '../store/appStore';
import { watchLink } from './linkWatcher';

function controllableLink(initial: LinkState): BridgeLink & { set(state: LinkState): void } {
  const listeners = new Set<(state: LinkState) => void>();
  let current = initial;
  return {
    get state() {
      return current;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state) {
      current = state;
      listeners.forEach((listener) => listener(state));
    },
  };
}

describe('link watcher', () => {
  it('mirrors the link state and resyncs only when it comes back after being down', () => {
    const link = controllableLink('connecting');
    const store = createAppStore();
    let resyncs = 0;
    watchLink(link, store, () => resyncs++);
    expect(store.getState().connection.link).toBe('connecting');

    link.set('up');
    expect(resyncs).toBe(0);
    link.set('down');
    expect(store.getState().connection.link).toBe('down');
    link.set('connecting');
    link.set('up');
    expect(store.getState().connection.link).toBe('up');
    expect(resyncs).toBe(1);
  });
});
