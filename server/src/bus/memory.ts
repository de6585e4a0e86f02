/**
 * The in-process Bus: enough for a single relay node, which is the default deployment.
 */
import type { Bus, BusHandler, BusMessage, BusSubscription } from './bus';

export interface MemoryBusOptions {
  /** Called when a subscriber's handler throws; the other subscribers still get the message. */
  onHandlerError?: (error: unknown, topic: string) => void;
}

export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const topics = new Map<string, Set<BusHandler>>();
  let closed = false;

  const deliver = (topic: string, handler: BusHandler, message: BusMessage): void => {
    // Skip handlers that unsubscribed between publish and delivery.
    if (!topics.get(topic)?.has(handler)) return;
    try {
      handler(message);
    } catch (error) {
      options.onHandlerError?.(error, topic);
    }
  };

  return {
    publish(topic, message) {
      if (closed) return Promise.reject(new Error('bus is closed'));
      // Deliver on a later microtask, as a networked bus would: a publisher never runs
      // subscriber code in the middle of its own work (no re-entrancy).
      for (const handler of topics.get(topic) ?? []) {
        queueMicrotask(() => deliver(topic, handler, message));
      }
      return Promise.resolve();
    },

    subscribe(topic, handler) {
      if (closed) return Promise.reject(new Error('bus is closed'));
      let handlers = topics.get(topic);
      if (!handlers) {
        handlers = new Set();
        topics.set(topic, handlers);
      }
      // A Set would merge two subscriptions of the same function; wrap so each is distinct.
      const subscriber: BusHandler = (message) => handler(message);
      handlers.add(subscriber);
      const subscription: BusSubscription = {
        unsubscribe() {
          const current = topics.get(topic);
          if (current?.delete(subscriber) && current.size === 0) topics.delete(topic);
          return Promise.resolve();
        },
      };
      return Promise.resolve(subscription);
    },

    close() {
      closed = true;
      topics.clear();
      return Promise.resolve();
    },
  };
}
