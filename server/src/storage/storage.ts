/**
 * What the relay persists, behind an async interface so a PostgreSQL implementation can
 * replace SQLite without touching callers.
 *
 * Rules for implementations:
 * - every method that changes rows is atomic, and its promise resolves only once the change
 *   is durably committed (the relay answers `sent` on that promise);
 * - writes are applied in the order the methods were called, even when the caller does not
 *   wait for one before calling the next: a relay connection pipelines its sends and
 *   relies on this for their sequence numbers (and for `after`);
 * - several writes may share one transaction (group commit), as long as a write that fails
 *   is rolled back alone and a transaction that fails rejects every write in it.
 *
 * Model: a user (account) owns devices; today every account has exactly one device, but
 * queues are per device so multi-device accounts can follow without a data migration.
 */
import type { PublicUser } from '../../../shared/protocol';

export interface NewAccount {
  readonly username: string;
  readonly displayName: string;
  readonly identityKey: Uint8Array;
  readonly dhKey: Uint8Array;
  readonly dhKeySig: Uint8Array;
}

/** A signed-in principal: the user and the device the connection speaks for. */
export interface Account {
  readonly user: PublicUser;
  readonly deviceId: string;
}

export type CreateAccountResult =
  | { readonly status: 'created'; readonly account: Account }
  | { readonly status: 'username_taken' }
  | { readonly status: 'identity_exists' };

export interface NewEnvelope {
  readonly senderId: string;
  readonly msgId: string;
  readonly recipientId: string;
  /** Opaque ciphertext, stored byte for byte. */
  readonly body: Uint8Array;
  /** Commit timestamp to record (ms since epoch). */
  readonly now: number;
  /** A recipient device holding this many envelopes refuses more (queue_full). */
  readonly maxQueueDepth: number;
  /** Store only if the sender's message with this msgId is stored (else `out_of_order`). */
  readonly after?: string;
}

export type EnqueueResult =
  /** Committed: the per-conversation seq and one queue entry per recipient device. */
  | {
      readonly status: 'stored';
      readonly seq: number;
      readonly ts: number;
      readonly deliveries: readonly { readonly deviceId: string; readonly eid: number }[];
    }
  /** (sender, msgId) was stored before: nothing new was stored; the original seq and ts. */
  | { readonly status: 'duplicate'; readonly seq: number; readonly ts: number }
  /** `after` is not stored: nothing was stored, no seq was used. */
  | { readonly status: 'out_of_order' }
  | { readonly status: 'unknown_recipient' }
  | { readonly status: 'queue_full'; readonly deviceId: string };

/** One envelope waiting in a device's queue. */
export interface QueuedEnvelope {
  readonly eid: number;
  readonly senderId: string;
  readonly msgId: string;
  readonly seq: number;
  readonly ts: number;
  readonly body: Uint8Array<ArrayBuffer>;
}

export interface Storage {
  /** Creates the user and its first device in one transaction. */
  createAccount(account: NewAccount, now: number): Promise<CreateAccountResult>;
  findAccountByIdentityKey(identityKey: Uint8Array): Promise<Account | undefined>;
  findUserById(userId: string): Promise<PublicUser | undefined>;
  findUserByUsername(username: string): Promise<PublicUser | undefined>;
  /**
   * Users whose username starts with `prefix` (literally: `_` and `%` are not wildcards),
   * case-insensitively, ordered by username.
   */
  searchUsersByUsernamePrefix(prefix: string, limit: number): Promise<PublicUser[]>;
  /** The updated user, or undefined when the user does not exist. */
  updateDisplayName(userId: string, displayName: string): Promise<PublicUser | undefined>;

  /**
   * In one transaction: de-duplicate on (senderId, msgId), check `after`, assign the next
   * sequence number of the conversation {senderId, recipientId}, and queue the envelope for
   * every device of the recipient, refusing when a queue already holds maxQueueDepth envelopes.
   *
   * Queue ids (eid) are per device, positive, increasing, never reused, and become visible
   * in increasing order (the delivery pump reads a device's queue with a cursor).
   */
  enqueueEnvelope(envelope: NewEnvelope): Promise<EnqueueResult>;
  /** Up to `limit` envelopes of the device's queue with eid > afterEid, in eid order. */
  readQueue(deviceId: string, afterEid: number, limit: number): Promise<QueuedEnvelope[]>;
  /** Deletes these envelopes of this device's queue (others' eids are untouched); the count deleted. */
  deleteEnvelopes(deviceId: string, eids: readonly number[]): Promise<number>;
  /** How many envelopes wait for the device. */
  queueDepth(deviceId: string): Promise<number>;
  /**
   * Forgets de-duplication records of messages sent before `before` (ms since epoch). A resend
   * older than that would be delivered again, so keep the window well above any client's
   * retry horizon.
   */
  pruneSentRecords(before: number): Promise<number>;

  /** Releases the database. Idempotent. */
  close(): Promise<void>;
}
