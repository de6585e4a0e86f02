/**
 * A publish/subscribe channel for small notifications between relay connections — possibly
 * on different relay nodes. It carries hints ("device D has new envelopes"), never message
 * data: the storage is the source of truth and a lost notification only delays delivery
 * until the device's next sync or ack.
 *
 * The in-process implementation (memory.ts) is the default; a NATS implementation can
 * follow with the same interface, which is why everything here is async and every message
 * is a plain JSON-serializable object.
 */

/** Everything relay nodes tell each other. */
export type BusMessage =
  /** New envelopes were committed to the device's queue. */
  | { readonly kind: 'envelopes' }
  /**
   * A connection signed in as the device. The newest session wins: an older connection of
   * the same device that hears this closes itself (see connection.ts).
   */
  | { readonly kind: 'session_opened'; readonly sessionId: string; readonly openedAt: number }
  /** A user this device has a conversation with replaced their identity keys. */
  | { readonly kind: 'contact_rekeyed'; readonly userId: string };

export type BusHandler = (message: BusMessage) => void;

export interface BusSubscription {
  /** Stops delivery to this handler. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface Bus {
  /** Delivers the message to every current subscriber of the topic, on any node. */
  publish(topic: string, message: BusMessage): Promise<void>;
  /** Resolves once the subscription is active: messages published after that reach it. */
  subscribe(topic: string, handler: BusHandler): Promise<BusSubscription>;
  /** Releases the bus. Callers close only buses they created. */
  close(): Promise<void>;
}

/** The topic of one device: queue notifications and session takeover for that device. */
export function deviceTopic(deviceId: string): string {
  return `device.${deviceId}`;
}
