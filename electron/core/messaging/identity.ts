/**
 * A peer's identity key changes (they reset their keys, reinstalled, or someone is in the
 * middle): whenever a bundle, a lookup or a verified session-starting message shows an
 * identity key other than the pinned one, `adoptPeerIdentity`
 *
 *  - pins the new keys and drops every ratchet session with the peer (they belong to the
 *    old identity), and forgets the envelopes of unsent outbox rows (sealed for a session
 *    that is gone) so they are sealed again;
 *  - adds a 'keyChanged' line to the direct chat and sets key_changed;
 *  - if the user had verified the peer: unverified, and sending held until the user
 *    accepts the change ('security.acceptKeyChange'). Receiving goes on.
 *
 * Everything here is synchronous and runs inside the caller's transaction, so the change
 * commits together with whatever revealed it (a received message, a sealed row).
 */
import { randomUUID } from 'node:crypto';
import type { PublicUser } from '../../../shared/protocol';
import { bytesEqual } from '../crypto/bytes';
import { verifyDhKeySig } from '../crypto/keys';
import { directChatId } from '../db/chats';
import type { Store } from '../db/store';
import { GroupRepo } from '../groups/repo';
import type { RelayLink } from '../relay/link';
import { RelayError } from '../relay/relayError';

export interface PeerIdentity {
  identityKey: Uint8Array;
  dhKey: Uint8Array;
  dhKeySig: Uint8Array;
}

export interface IdentityChange {
  peerId: string;
  chatId: string;
  /** The keyChanged line, to announce once committed. */
  lineLocalId: number | null;
  /** Sending to the peer now waits for the user. */
  held: boolean;
}

export interface AdoptOptions {
  now: number;
  /** The relay seq of the message that revealed the change (the line goes just before it). */
  atSeq?: number | null;
}

/** Call inside a transaction; `identity` must be verified (dhKeySig) by the caller. Null if nothing changed. */
export function adoptPeerIdentity(
  store: Store,
  peerId: string,
  identity: PeerIdentity,
  options: AdoptOptions,
): IdentityChange | null {
  const pinned = store.contacts.get(peerId);
  if (!pinned) throw new Error(`no contact record for ${peerId}`);
  const { now } = options;
  if (bytesEqual(pinned.identityKey, identity.identityKey)) {
    // Same identity; a new DH key signed by it is a rotation, not a change.
    if (!bytesEqual(pinned.dhKey, identity.dhKey)) {
      store.contacts.put({ ...pinned, dhKey: identity.dhKey, dhKeySig: identity.dhKeySig, updatedAt: now });
    }
    return null;
  }
  store.contacts.put({
    ...pinned,
    identityKey: identity.identityKey,
    dhKey: identity.dhKey,
    dhKeySig: identity.dhKeySig,
    updatedAt: now,
  });
  store.sessions.deleteForPeer(peerId);
  store.outbox.unsealForRecipient(peerId);
  // Sender keys we gave the old identity may never open on the new one (a key reset loses
  // them): every group we share gets a fresh chain, distributed to all, before our next message.
  new GroupRepo(store.db).rotateGroupsWith(peerId);
  const before = store.security.get(peerId);
  const held = before.verified || before.sendingHeld;
  store.security.put(peerId, { verified: false, keyChanged: true, sendingHeld: held });
  const { chat } = store.chats.ensureDirect(peerId, now);
  const lineLocalId = store.messages.insertSystemLine({
    chatId: chat.id,
    id: randomUUID(),
    kind: 'keyChanged',
    senderId: peerId,
    sentAt: now,
    seq: options.atSeq ?? null,
    relayTs: null,
  });
  return { peerId, chatId: directChatId(peerId), lineLocalId, held };
}

/**
 * Looks the peer up on the relay (after a send was refused with identity_changed) and adopts
 * what it publishes. Unsent envelopes for the peer are forgotten either way: the relay said
 * they were sealed for a key it no longer has.
 */
export async function refreshPeerIdentity(
  store: Store,
  link: Pick<RelayLink, 'request'>,
  peerId: string,
): Promise<IdentityChange | null> {
  const { user } = await link.request({ t: 'lookup', userId: peerId });
  if (user.userId !== peerId) throw new RelayError('protocol', 'the relay answered a lookup with a different user');
  if (!verifyDhKeySig(user)) throw new RelayError('protocol', 'the published keys of this user do not verify');
  return store.transaction(() => {
    const change = adoptPeerIdentity(store, peerId, identityOf(user), { now: Date.now() });
    if (!change) store.outbox.unsealForRecipient(peerId);
    return change;
  });
}

export function identityOf(user: Pick<PublicUser, 'identityKey' | 'dhKey' | 'dhKeySig'>): PeerIdentity {
  return { identityKey: user.identityKey, dhKey: user.dhKey, dhKeySig: user.dhKeySig };
}
