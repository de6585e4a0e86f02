/**
 * The core's event hub: every contract event leaves the core through here. A throwing
 * listener is logged and skipped so one broken subscriber cannot stop delivery to others.
 */
import type { EventName, EventPayload } from '../../shared/ipc';
import type { CoreEventListener, Logger } from './api';
import { describeError } from './logger';

export class CoreEvents {
  private readonly listeners = new Set<CoreEventListener>();

  constructor(private readonly logger: Logger) {}

  on(listener: CoreEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch (err) {
        this.logger.error('event listener threw', { event: name, error: describeError(err) });
      }
    }
  }
}
