/**
 * Delivery and read receipts travel like messages: encrypted to the peer, queued in the
 * outbox (so they survive restarts), relayed as opaque bodies. The relay never learns who
 * read what. Receipts are never answered with receipts.
 */
import { randomUUID } from 'node:crypto';
import type { Account } from '../db/account';
import type { Contact } from '../db/contacts';
import type { Store } from '../db/store';
import { sealEnvelope } from '../crypto/envelope';
import { encodePlaintext, MAX_RECEIPT_IDS } from '../crypto/plaintext';

export type ReceiptKind = 'delivered' | 'read';

/** Queues receipts for `ids` (split into chunks). Call inside the transaction that justifies them. */
export function enqueueReceipts(
  store: Store,
  account: Account,
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
      body: sealEnvelope(plaintext, peer.dhKey, account.keys.dhSecretKey),
      createdAt: now,
    });
  }
}
