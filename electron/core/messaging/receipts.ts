/**
 * Delivery and read receipts travel like messages: queued in the outbox (so they survive
 * restarts), sealed on the same ratchet session as messages right before they are sent,
 * relayed as opaque bodies. The relay never learns who
 * read what. Receipts are never answered with receipts.
 */
import { randomUUID } from 'node:crypto';
import type { Contact } from '../db/contacts';
import type { Store } from '../db/store';
import { encodePlaintext, MAX_RECEIPT_IDS } from '../crypto/plaintext';

export type ReceiptKind = 'delivered' | 'read';

/** Queues receipts for `ids` (split into chunks). Call inside the transaction that justifies them. */
export function enqueueReceipts(
  store: Store,
  peer: Contact,
  kind: ReceiptKind,
  ids: readonly string[],
  now: number,
): void {
  for (let start = 0; start < ids.length; start += MAX_RECEIPT_IDS) {
    const chunk = ids.slice(start, start + MAX_RECEIPT_IDS);
    const plaintext = encodePlaintext({ k: 'receipt', kind, ids: chunk });
    store.outbox.enqueue({
      msgId: randomUUID(),
      recipientId: peer.userId,
      kind: 'receipt',
      messageLocalId: null,
      plaintext,
      createdAt: now,
    });
  }
}
