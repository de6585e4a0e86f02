/**
 * Sealing an outbox row: the one place outgoing payloads are encrypted (X3DH + Double
 * Ratchet, crypto/e2ee). The OutboxSender calls it right before a row's first send:
 *
 *   current session with the recipient → ratchetEncrypt;
 *   none → the caller fetches a prekey bundle and calls again with it → initiateSession
 *   (verifies the bundle's signatures) → the bundle's identity is compared with the pinned
 *   one (identity.ts) → ratchetEncrypt.
 *
 * The new session state and the row's envelope (with the identity key it was sealed for)
 * are written in ONE transaction, before anything goes on the wire; resends reuse the
 * stored bytes. A crash before the commit leaves the old state and no envelope (the row is
 * simply sealed again, under the same message key that was never sent); after it, the
 * stored envelope is what gets sent. So one message key never protects two ciphertexts.
 *
 * `sealWithSessions` does the same for a run of queued rows whose recipients already have a
 * session, in one transaction: one durable commit for a burst instead of one per row.
 */
import {
  deserializeSessionState,
  initiateSession,
  isE2eeError,
  ratchetEncrypt,
  serializeSessionState,
  type SessionState,
} from '../crypto/e2ee';
import { utf8 } from '../crypto/bytes';
import type { Account } from '../db/account';
import type { OutboxRecord } from '../db/outbox';
import type { Store } from '../db/store';
import { adoptPeerIdentity, type IdentityChange } from './identity';

export type SealOutcome =
  /** The row has its envelope (sealed now or before). */
  | { kind: 'sealed'; row: OutboxRecord; change: IdentityChange | null }
  /** No session with the recipient: fetch a bundle and call again with it. */
  | { kind: 'needBundle' }
  /** Sending to the recipient waits for the user (a verified contact's key changed). */
  | { kind: 'held'; change: IdentityChange | null }
  /** The row is gone (sent and recorded meanwhile, or its message deleted). */
  | { kind: 'gone' };

export interface SealHooks {
  /** Test seam: runs inside the transaction after encryption, before the commit. */
  beforeCommit?(row: OutboxRecord): void;
}

/** The AEAD associated data of a message: its id, so the relay cannot relabel envelopes. */
export const messageAd = (msgId: string): Uint8Array => utf8(msgId);

export function sealRow(
  store: Store,
  account: Account,
  rowId: number,
  bundle: unknown,
  hooks: SealHooks = {},
): SealOutcome {
  return store.transaction((): SealOutcome => {
    const row = store.outbox.get(rowId);
    if (!row) return { kind: 'gone' };
    if (row.body !== null) return { kind: 'sealed', row, change: null };
    if (row.plaintext === null) throw new Error(`outbox row ${row.id} has neither plaintext nor body`);
    const peerId = row.recipientId;
    if (store.security.get(peerId).sendingHeld) return { kind: 'held', change: null };

    const now = Date.now();
    let change: IdentityChange | null = null;
    let state: SessionState;
    let isNew = false;
    const current = store.sessions.current(peerId);
    if (current) {
      state = deserializeSessionState(current.state);
    } else {
      if (bundle === undefined || bundle === null) return { kind: 'needBundle' };
      // The keys as committed now, not as the pass saw them: a key reset may have completed
      // while the bundle was fetched, and a session must never start from retired keys.
      const live = store.account.get() ?? account;
      const initiated = initiateSession({
        identity: live.keys,
        bundle,
        localUserId: account.userId,
        remoteUserId: peerId,
      });
      change = adoptPeerIdentity(store, peerId, initiated.remoteIdentity, { now });
      if (change?.held) return { kind: 'held', change };
      state = initiated.state;
      isNew = true;
    }

    const sealed = ratchetEncrypt(state, row.plaintext, messageAd(row.msgId));
    const serialized = serializeSessionState(sealed.state);
    if (isNew) store.sessions.putCurrent(peerId, sealed.state.baseKey, serialized, now);
    else store.sessions.update(peerId, sealed.state.baseKey, serialized, now);
    const sealedFor = sealed.state.remoteIdentity.identityKey;
    store.outbox.setSealed(row.id, sealed.message, sealedFor);
    const result: OutboxRecord = { ...row, body: sealed.message, sealedFor };
    hooks.beforeCommit?.(result);
    return { kind: 'sealed', row: result, change };
  });
}

/** Rows sealed together at most (one transaction). */
export const SEAL_BATCH = 64;

/**
 * Seals up to `limit` unsealed rows from `fromId` on, in queue order, whose recipients have
 * a current session and are not held, in ONE transaction (session states and envelopes
 * together). Rows of other recipients are left for sealRow. Returns how many were sealed.
 */
export function sealWithSessions(store: Store, fromId: number, limit = SEAL_BATCH, hooks: SealHooks = {}): number {
  return store.transaction(() => {
    const skip = store.security.heldRecipients();
    const sessions = new Map<string, SessionState>();
    let sealed = 0;
    for (const row of store.outbox.unsealedFrom(fromId, limit)) {
      const peerId = row.recipientId;
      if (skip.has(peerId) || row.plaintext === null) continue;
      let state = sessions.get(peerId);
      if (!state) {
        const current = store.sessions.current(peerId);
        try {
          state = current ? deserializeSessionState(current.state) : undefined;
        } catch (err) {
          if (!isE2eeError(err)) throw err;
          state = undefined;
        }
        if (!state) {
          skip.add(peerId);
          continue;
        }
      }
      const result = ratchetEncrypt(state, row.plaintext, messageAd(row.msgId));
      sessions.set(peerId, result.state);
      const sealedFor = result.state.remoteIdentity.identityKey;
      store.outbox.setSealed(row.id, result.message, sealedFor);
      hooks.beforeCommit?.({ ...row, body: result.message, sealedFor });
      sealed++;
    }
    const now = Date.now();
    for (const [peerId, state] of sessions) {
      store.sessions.update(peerId, state.baseKey, serializeSessionState(state), now);
    }
    return sealed;
  });
}
