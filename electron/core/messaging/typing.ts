/**
 * Typing indicators: ephemeral, never in the outbox. Sent only while online, only on an
 * existing session (no bundle fetch for them), at most once per TYPING_INTERVAL_MS per peer,
 * still end-to-end encrypted (a ratchet message like any other; the new session state is
 * committed before the envelope goes out). The relay drops it if undelivered within
 * TYPING_PURGE_MS, so an offline peer never gets stale ones.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../api';
import { deserializeSessionState, ratchetEncrypt, serializeSessionState } from '../crypto/e2ee';
import { encodePlaintext } from '../crypto/plaintext';
import type { Store } from '../db/store';
import { describeError } from '../logger';
import type { RelayLink } from '../relay/link';
import { messageAd } from './sealing';

export const TYPING_INTERVAL_MS = 3_000;
export const TYPING_PURGE_MS = 10_000;

export class TypingSender {
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly link: RelayLink,
    private readonly logger: Logger,
  ) {}

  /** A message went to the peer (which ends "typing" there): the next keystroke may announce again. */
  reset(peerId: string): void {
    this.lastSent.delete(peerId);
  }

  /** Best effort: returns whether an indicator went out. */
  send(peerId: string): boolean {
    const now = Date.now();
    if (!this.link.isOnline()) return false;
    if (now - (this.lastSent.get(peerId) ?? -Infinity) < TYPING_INTERVAL_MS) return false;
    const { store } = this;
    if (store.security.get(peerId).sendingHeld) return false;
    const msgId = randomUUID();
    const sealed = store.transaction(() => {
      const current = store.sessions.current(peerId);
      if (!current) return null;
      const state = deserializeSessionState(current.state);
      const result = ratchetEncrypt(state, encodePlaintext({ k: 'typing' }), messageAd(msgId));
      store.sessions.update(peerId, result.state.baseKey, serializeSessionState(result.state), now);
      return { body: result.message, toKey: result.state.remoteIdentity.identityKey };
    });
    if (!sealed) return false;
    this.lastSent.set(peerId, now);
    this.link
      .request({ t: 'send', msgId, to: peerId, body: sealed.body, toKey: sealed.toKey, purgeAt: now + TYPING_PURGE_MS })
      .catch((err: unknown) => this.logger.debug('typing indicator not sent', { error: describeError(err) }));
    return true;
  }
}
