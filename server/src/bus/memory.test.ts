import { describe, expect, it } from 'vitest';
import type { BusMessage } from './bus';
import { createMemoryBus } from './memory';

const envelopes: BusMessage = { kind: 'envelopes' };
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('in-process bus', () => {
  it('delivers to every subscriber of the topic only, after publish returns', async () => {
    const bus = createMemoryBus();
    const received: string[] = [];
    await bus.subscribe('device.a', () => received.push('a1'));
    await bus.subscribe('device.a', () => received.push('a2'));
    await bus.subscribe('device.b', () => received.push('b'));

    const published = bus.publish('device.a', envelopes);
    expect(received).toEqual([]); // never runs subscriber code inside publish
    await published;
    await settle();
    expect(received.sort()).toEqual(['a1', 'a2']);
    await bus.close();
  });

  it('stops delivering after unsubscribe, even for messages already published', async () => {
    const bus = createMemoryBus();
    const received: BusMessage[] = [];
    const subscription = await bus.subscribe('device.a', (message) => received.push(message));
    const published = bus.publish('device.a', envelopes);
    const unsubscribed = subscription.unsubscribe();
    await Promise.all([published, unsubscribed, subscription.unsubscribe()]);
    await settle();
    expect(received).toEqual([]);
    await bus.close();
  });

  it('keeps delivering to others when a handler throws, and reports the error', async () => {
    const errors: unknown[] = [];
    const bus = createMemoryBus({ onHandlerError: (error) => errors.push(error) });
    const received: BusMessage[] = [];
    await bus.subscribe('t', () => {
      throw new Error('boom');
    });
    await bus.subscribe('t', (message) => received.push(message));
    await bus.publish('t', envelopes);
    await settle();
    expect(received).toEqual([envelopes]);
    expect(errors).toHaveLength(1);
    await bus.close();
  });

  it('refuses use after close', async () => {
    const bus = createMemoryBus();
    await bus.close();
    await expect(bus.publish('t', envelopes)).rejects.toThrow(/closed/);
    await expect(bus.subscribe('t', () => undefined)).rejects.toThrow(/closed/);
  });
});
