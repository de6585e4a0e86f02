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
import type { ChannelStore } from '../channels/store';
import type { GroupStore } from '../groups/store';

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
  /**
   * The recipient identity key the body is encrypted for: store only if it is the recipient's
   * current identity key (else `identity_changed`).
   */
  readonly toKey?: Uint8Array;
  /** Self-destructing message: delete it if still undelivered at this time (ms since epoch). */
  readonly purgeAt?: number;
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
  /** `toKey` is not the recipient's current identity key: nothing was stored, no seq was used. */
  | { readonly status: 'identity_changed' }
  | { readonly status: 'queue_full'; readonly deviceId: string };

/** One envelope waiting in a device's queue. */
export interface QueuedEnvelope {
  readonly eid: number;
  readonly senderId: string;
  readonly msgId: string;
  readonly seq: number;
  readonly ts: number;
  readonly body: Uint8Array<ArrayBuffer>;
  /** Present for self-destructing messages: never deliver it at or after this time. */
  readonly purgeAt?: number;
}

/** A signed prekey as published: the identity key signed (id, createdAt, publicKey). */
export interface SignedPreKey {
  /** u32, chosen by the client. */
  readonly id: number;
  /** X25519 public key. */
  readonly publicKey: Uint8Array;
  /** ms since epoch, as signed by the client. */
  readonly createdAt: number;
  readonly signature: Uint8Array;
}

export interface OneTimePreKey {
  /** u32, chosen by the client; unique within one account's stock. */
  readonly id: number;
  /** X25519 public key. */
  readonly publicKey: Uint8Array;
}

export interface PreKeyUpload {
  readonly userId: string;
  /**
   * The identity key the caller verified `signedPreKey` with. The upload is stored only if
   * it is still the account's identity key when the write runs (else `identity_changed`), so
   * a concurrent rekey can never leave a prekey signed by the old key behind.
   */
  readonly identityKey: Uint8Array;
  /** Replaces the account's signed prekey. */
  readonly signedPreKey?: SignedPreKey;
  /**
   * Appended to the stock. Ids already in the stock, ids handed out before (under the same
   * identity key) and repeated ids of this upload (the first one counts) are ignored.
   */
  readonly oneTimePreKeys: readonly OneTimePreKey[];
  /** The stock may not grow above this many keys (else `prekey_limit`, nothing stored). */
  readonly maxOneTimePreKeys: number;
}

/** What the relay holds for one account after an upload. */
export interface PreKeyState {
  /** Id of the current signed prekey, null when none was published (or a rekey dropped it). */
  readonly signedPreKeyId: number | null;
  /** One-time prekeys in stock. */
  readonly oneTimeCount: number;
}

export type PreKeyUploadResult =
  | ({ readonly status: 'stored' } & PreKeyState)
  /** The stock would exceed maxOneTimePreKeys: nothing was stored (not the signed prekey either). */
  | ({ readonly status: 'prekey_limit' } & PreKeyState)
  /** The account's identity key is no longer `identityKey`: nothing was stored. */
  | { readonly status: 'identity_changed' }
  | { readonly status: 'unknown_account' };

/** What an X3DH initiator gets. */
export interface PreKeyBundle {
  readonly identity: {
    readonly identityKey: Uint8Array<ArrayBuffer>;
    readonly dhKey: Uint8Array<ArrayBuffer>;
    readonly dhKeySig: Uint8Array<ArrayBuffer>;
  };
  readonly signedPreKey: {
    readonly id: number;
    readonly publicKey: Uint8Array<ArrayBuffer>;
    readonly createdAt: number;
    readonly signature: Uint8Array<ArrayBuffer>;
  };
  /** Removed from the stock by the same transaction; null when the stock was empty. */
  readonly oneTimePreKey: { readonly id: number; readonly publicKey: Uint8Array<ArrayBuffer> } | null;
}

export type TakeBundleResult =
  | { readonly status: 'bundle'; readonly bundle: PreKeyBundle }
  /** The user has no signed prekey: nothing was taken from the stock. */
  | { readonly status: 'no_prekeys' }
  | { readonly status: 'not_found' };

export interface Rekey {
  readonly userId: string;
  /**
   * The identity key the caller verified the handover with: the rekey happens only if it is
   * still the account's identity key when the write runs (else `identity_changed`).
   */
  readonly previousIdentityKey: Uint8Array;
  readonly identityKey: Uint8Array;
  readonly dhKey: Uint8Array;
  readonly dhKeySig: Uint8Array;
  /** Stored as the account's identity change time (`keysChanged`). Default Date.now(). */
  readonly now?: number;
}

/** A conversation partner whose identity key changed (`keysChanged`). */
export interface KeyChange {
  readonly userId: string;
  /** When the identity key last changed, ms since epoch (relay clock). */
  readonly changedAt: number;
}

export type RekeyResult =
  | { readonly status: 'rekeyed'; readonly user: PublicUser }
  /** Another account has the new identity key: nothing changed. */
  | { readonly status: 'identity_exists' }
  /** The account's identity key is no longer `previousIdentityKey`: nothing changed. */
  | { readonly status: 'identity_changed' }
  | { readonly status: 'unknown_account' };

export interface Storage {
  /** Channels: posts stored once, members, admins, invites, aggregated views (same database). */
  readonly channels: ChannelStore;
  /** Private groups: membership, the signed change log, messages stored once with per-member cursors (same database). */
  readonly groups: GroupStore;

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
   * Replaces the identity key, DH key and its signature of an account and, in the same
   * transaction, deletes its signed prekey and its one-time prekeys (they were signed by, or
   * published under, the old identity). Queued envelopes are untouched.
   */
  rekeyAccount(rekey: Rekey): Promise<RekeyResult>;

  /**
   * The devices of every user who has a 1:1 conversation with `userId` (either direction):
   * whom to tell that `userId` replaced its keys.
   */
  conversationPartnerDevices(userId: string): Promise<string[]>;

  /**
   * The users who have a 1:1 conversation with `userId` (the same partners as
   * conversationPartnerDevices) and whose identity key last changed after `since`, oldest
   * change first (ties by user id), at most `limit`.
   */
  partnerKeyChangesSince(userId: string, since: number, limit: number): Promise<KeyChange[]>;

  /**
   * In one transaction: checks the identity key and the stock limit, replaces the signed
   * prekey (if given) and adds the new one-time prekeys. Answers the resulting state. An
   * upload with no keys changes nothing and answers the state.
   */
  storePreKeys(upload: PreKeyUpload): Promise<PreKeyUploadResult>;
  /**
   * A user's bundle for X3DH. A write: the one-time prekey (the lowest id in stock) is chosen
   * and deleted by one statement of one transaction (SQLite: DELETE … RETURNING inside the
   * IMMEDIATE transaction; PostgreSQL: DELETE … WHERE key = (SELECT … FOR UPDATE SKIP LOCKED)
   * RETURNING), and the promise resolves only after that deletion is committed, so each
   * one-time prekey is handed out at most once, ever, even with concurrent callers on several
   * relay nodes and across a crash.
   */
  /** `oneTime: false` serves the signed prekey alone; `now` stamps a used one-time prekey id. */
  takePreKeyBundle(userId: string, options?: { oneTime: boolean; now?: number }): Promise<TakeBundleResult>;

  /**
   * In one transaction: de-duplicate on (senderId, msgId), check `after`, check `toKey`, assign the next
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
  /**
   * Forgets the ids of one-time prekeys handed out before `before`. They guard against a retried
   * upload putting a used key back in stock; retries come within minutes, so keep months.
   */
  pruneUsedOneTimePreKeys(before: number): Promise<number>;
  /**
   * Deletes queued envelopes whose purge deadline is at or before `now` (self-destructing
   * messages nobody fetched in time), then returns the space (SQLite: a TRUNCATE checkpoint,
   * so with secure_delete no copy of their bytes stays in the files). The count deleted.
   */
  purgeExpiredEnvelopes(now: number): Promise<number>;

  /** Releases the database. Idempotent. */
  close(): Promise<void>;
}
