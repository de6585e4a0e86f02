import type { DeliveryStatus } from '../../../shared/ipc';

/**
 * Outgoing statuses only move forward: sending → sent → delivered → read. A late 'sent'
 * (after a resend) or a 'delivered' receipt arriving after 'read' must not move a message
 * back. 'failed' is terminal and leaves the order.
 */
const FORWARD_ORDER = ['sending', 'sent', 'delivered', 'read'] as const;
export type ForwardStatus = (typeof FORWARD_ORDER)[number];

/** The statuses a message may be in for `target` to be an advance. */
export function statusesBefore(target: ForwardStatus): ForwardStatus[] {
  return FORWARD_ORDER.slice(0, FORWARD_ORDER.indexOf(target));
}

export function isAdvance(from: DeliveryStatus, to: ForwardStatus): boolean {
  return from !== 'failed' && FORWARD_ORDER.indexOf(from) < FORWARD_ORDER.indexOf(to);
}
