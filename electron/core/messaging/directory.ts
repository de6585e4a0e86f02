/**
 * Who is who: resolves user ids to pinned contact records, looking them up on the relay
 * when unknown. Keys are trusted on first use: a record is accepted only if its dhKeySig
 * verifies. Once pinned, a record with a different identity key is never taken silently:
 * it goes through identity.ts (keyChanged line in the chat, sessions dropped, sending held
 * if the user had verified the contact). A new DH key signed by the pinned identity key is
 * accepted, so a peer can rotate it.
 */
import type { PublicUser } from '../../../shared/protocol';
import type { Logger } from '../api';
import { bytesEqual } from '../crypto/bytes';
import { verifyDhKeySig } from '../crypto/keys';
import type { Contact } from '../db/contacts';
import type { Store } from '../db/store';
import type { RelayLink } from '../relay/link';
import { RelayError } from '../relay/relayError';
import { adoptPeerIdentity, identityOf, type IdentityChange } from './identity';

export class ContactKeyError extends Error {
  constructor(
    readonly userId: string,
    message: string,
  ) {
    super(message);
    this.name = 'ContactKeyError';
  }
}

export class UserDirectory {
  constructor(
    private readonly store: Store,
    private readonly link: RelayLink,
    private readonly logger: Logger,
    /** A pinned contact's identity changed (after the commit). */
    private readonly onIdentityChanged: (change: IdentityChange) => void = () => {},
  ) {}

  /**
   * The pinned contact for `userId`, looked up and pinned if unknown. Throws RelayError /
   * ContactKeyError. `via` sends the lookup on a specific connection (the one an envelope
   * arrived on) instead of the current online session.
   */
  async resolve(userId: string, via: Pick<RelayLink, 'request'> = this.link): Promise<Contact> {
    const known = this.store.contacts.get(userId);
    if (known) return known;
    const { user } = await via.request({ t: 'lookup', userId });
    if (user.userId !== userId) {
      throw new RelayError('protocol', 'the relay answered a lookup with a different user');
    }
    return this.pin(user);
  }

  /**
   * Looks a pinned contact up again (the relay hinted that its keys changed) and applies
   * what it finds under the pinning rules below: a new identity key shows the notice now,
   * not at the next send. Unknown users are left alone.
   */
  async refresh(userId: string): Promise<void> {
    if (!this.store.contacts.get(userId)) return;
    const { user } = await this.link.request({ t: 'lookup', userId });
    if (user.userId !== userId) {
      throw new RelayError('protocol', 'the relay answered a lookup with a different user');
    }
    this.pin(user);
  }

  /** Verifies and stores a relay record under the pinning rules above. */
  pin(user: PublicUser, now = Date.now()): Contact {
    if (!verifyDhKeySig(user)) {
      this.logger.warn('relay returned a user whose DH key signature does not verify', { userId: user.userId });
      throw new ContactKeyError(user.userId, 'the published keys of this user do not verify');
    }
    const pinned = this.store.contacts.get(user.userId);
    if (pinned && !bytesEqual(pinned.identityKey, user.identityKey)) {
      this.logger.warn('a pinned contact has a new identity key', { userId: user.userId });
      const change = this.store.transaction(() => {
        const adopted = adoptPeerIdentity(this.store, user.userId, identityOf(user), { now });
        const current = this.store.contacts.get(user.userId)!;
        this.store.contacts.put({ ...current, username: user.username, displayName: user.displayName });
        return adopted;
      });
      if (change) this.onIdentityChanged(change);
      return this.store.contacts.get(user.userId)!;
    }
    const contact: Contact = {
      userId: user.userId,
      username: user.username,
      displayName: user.displayName,
      identityKey: user.identityKey,
      dhKey: user.dhKey,
      dhKeySig: user.dhKeySig,
      updatedAt: now,
    };
    this.store.contacts.put(contact);
    return contact;
  }

  /** Users whose username starts with `prefix` (already normalised), minus `excludeUserId`. */
  async search(prefix: string, excludeUserId: string): Promise<PublicUser[]> {
    const { users } = await this.link.request({ t: 'search', prefix });
    return users.filter((user) => {
      if (user.userId === excludeUserId) return false;
      if (verifyDhKeySig(user)) return true;
      this.logger.warn('search result with an unverifiable DH key left out', { userId: user.userId });
      return false;
    });
  }
}
