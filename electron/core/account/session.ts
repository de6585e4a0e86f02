/**
 * This profile's account: who we are (null before sign-up), creating it, signing in on each
 * new relay connection, and profile changes.
 */
import { IpcError, type ProfileView } from '../../../shared/ipc';
import { REKEY_SIG_CONTEXT, type PublicUser } from '../../../shared/protocol';
import { generateIdentityKeyPair } from '../crypto/e2ee';
import { signWithContext } from '../crypto/e2ee/keys';
import { bytesEqual } from '../crypto/bytes';
import { signLoginChallenge } from '../crypto/keys';
import type { Logger } from '../api';
import type { Account } from '../db/account';
import type { Store } from '../db/store';
import { toIpcError } from '../errors';
import type { ViewEvents } from '../messaging/viewEvents';
import { profileViewOf } from '../messaging/views';
import type { RelayConnection } from '../relay/connection';
import type { RelaySocket } from '../relay/socket';
import type { DeviceKeys } from '../crypto/keys';
import { isRelayError, isTransient, RelayError } from '../relay/relayError';
import { loginOnSocket } from './login';
import type { PreKeyService } from './preKeys';
import { registerOnRelay, type SignUpInput } from './signUp';

export interface SessionOptions {
  store: Store;
  views: ViewEvents;
  logger: Logger;
  relayUrl: string;
  /** The connection to start once an account exists. */
  relay: () => RelayConnection;
  preKeys: PreKeyService;
  /** Our identity changed (key reset): unsent envelopes were forgotten, the outbox may go again. */
  onIdentityReset?(): void;
  handshakeTimeoutMs?: number;
}

export class Session {
  private account: Account | null;
  /** Serialises sign-ups: a second concurrent call sees the first one's account. */
  private signUpQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SessionOptions) {
    this.account = options.store.account.get();
  }

  current(): Account | null {
    return this.account;
  }

  /** The account, or IpcError not_signed_in. */
  require(): Account {
    if (!this.account) throw new IpcError('not_signed_in', 'create an account first');
    return this.account;
  }

  signUp(input: SignUpInput): Promise<ProfileView> {
    const attempt = this.signUpQueue.then(() => this.signUpNow(input));
    this.signUpQueue = attempt.catch(() => {});
    return attempt;
  }

  /** RelaySessionHooks.authenticate: sign in on a fresh connection. */
  async authenticate(socket: RelaySocket): Promise<void> {
    const account = this.account;
    if (!account) throw new Error('cannot sign in without an account');
    const pending = this.options.store.account.pendingKeys();
    let user: PublicUser;
    try {
      user = await loginOnSocket(socket, account);
    } catch (err) {
      // A key reset whose answer we never saw may have gone through: try the new keys.
      if (!pending || !isRelayError(err, 'auth_failed')) throw err;
      user = await loginOnSocket(socket, { ...account, keys: pending });
    }
    this.settlePendingReset(user);
    this.adoptRelayProfile(user);
    // Before the connection counts as online: peers can start sessions with us from then on.
    await this.options.preKeys.maintainQuietly(socket, this.require());
  }

  /**
   * A key reset is pending (stored, the relay asked, no answer seen): the relay's record of
   * us says whether it happened. Completes it locally, or forgets it.
   */
  private settlePendingReset(user: PublicUser): void {
    const { store } = this.options;
    const pending = store.account.pendingKeys();
    const account = this.account;
    if (!pending || !account) return;
    if (bytesEqual(user.identityKey, pending.identityPublicKey)) {
      this.completeReset(pending);
    } else if (bytesEqual(user.identityKey, account.keys.identityPublicKey)) {
      store.account.clearPendingKeys();
    }
  }

  /** The relay has our new identity: adopt it here, in one transaction. */
  private completeReset(keys: DeviceKeys): void {
    const { store, logger } = this.options;
    const account = this.require();
    store.transaction(() => {
      store.account.replaceKeys(keys);
      store.account.clearPendingKeys();
      store.sessions.deleteAll();
      store.preKeys.deleteAll();
      store.outbox.unsealAll();
    });
    this.account = { ...account, keys };
    logger.info('identity keys reset', { userId: account.userId });
    this.options.onIdentityReset?.();
  }

  /**
   * Replaces this device's identity keys: `rekey` on the online connection (the new key
   * signs its challenge, the old key signs the handover), then, in one transaction, the new
   * keys replace the old, every ratchet session and prekey goes (they belong to the old
   * identity), and unsent envelopes are forgotten so they are sealed again. Then fresh
   * prekeys are published. Contacts see a changed safety number.
   */
  resetKeys(): Promise<ProfileView> {
    const attempt = this.signUpQueue.then(() => this.resetKeysNow());
    this.signUpQueue = attempt.catch(() => {});
    return attempt;
  }

  private async resetKeysNow(): Promise<ProfileView> {
    const { store } = this.options;
    const relay = this.options.relay();
    try {
      if (store.account.pendingKeys()) {
        // An earlier reset's outcome is unknown: settle it first (the relay knows).
        const { user } = await relay.request({ t: 'lookup', userId: this.require().userId });
        this.settlePendingReset(user);
        if (store.account.pendingKeys()) {
          throw new IpcError('relay_error', 'an earlier key reset is not settled yet; try again');
        }
      }
      const account = this.require();
      const fresh = generateIdentityKeyPair();
      const keys: DeviceKeys = {
        identityPublicKey: fresh.identityPublicKey,
        identitySecretKey: fresh.identitySecretKey,
        dhPublicKey: fresh.dhPublicKey,
        dhSecretKey: fresh.dhSecretKey,
        dhKeySig: fresh.dhKeySig,
      };
      // Stored before the relay hears of it (see pending_identity).
      store.account.setPendingKeys(keys);
      let user: PublicUser;
      try {
        ({ user } = await relay.requestSigned((hello) => ({
          t: 'rekey',
          identityKey: keys.identityPublicKey,
          dhKey: keys.dhPublicKey,
          dhKeySig: keys.dhKeySig,
          sig: signLoginChallenge(hello.challenge, keys.identitySecretKey),
          handover: signWithContext(
            account.keys.identitySecretKey,
            REKEY_SIG_CONTEXT,
            keys.identityPublicKey,
            keys.dhPublicKey,
          ),
        })));
      } catch (err) {
        // Refused: nothing changed on the relay. Otherwise (no answer) the next login settles it.
        if (isRelayError(err) && !isTransient(err)) store.account.clearPendingKeys();
        throw err;
      }
      if (user.userId !== account.userId || !bytesEqual(user.identityKey, keys.identityPublicKey)) {
        throw new RelayError('protocol', 'the relay answered the key reset with other keys');
      }
      this.completeReset(keys);
      await this.options.preKeys.maintainQuietly(relay, this.require());
      return profileViewOf(this.require());
    } catch (err) {
      throw toIpcError(err);
    }
  }

  async updateProfile(displayName: string): Promise<ProfileView> {
    this.require();
    let user: PublicUser;
    try {
      ({ user } = await this.options.relay().request({ t: 'profile', displayName }));
    } catch (err) {
      throw toIpcError(err);
    }
    this.adoptRelayProfile(user);
    return profileViewOf(this.require());
  }

  private async signUpNow(input: SignUpInput): Promise<ProfileView> {
    if (this.account) throw new IpcError('already_signed_in', `already signed in as @${this.account.username}`);
    const { store, views, logger, relayUrl } = this.options;
    let account: Account;
    try {
      account = await registerOnRelay(relayUrl, input, logger, this.options.handshakeTimeoutMs);
    } catch (err) {
      const mapped = toIpcError(err);
      if (mapped instanceof IpcError && mapped.code === 'offline') {
        throw new IpcError('offline', `cannot reach the relay at ${relayUrl}; check that it is running`);
      }
      throw mapped;
    }
    // Persisted only now that the relay accepted it: a failed sign-up leaves no account behind.
    store.account.insert(account);
    this.account = account;
    logger.info('account created', { userId: account.userId });
    views.sessionChanged(account);
    this.options.relay().start();
    return profileViewOf(account);
  }

  /** The relay's record of us is authoritative for names (keys were checked by the caller). */
  private adoptRelayProfile(user: PublicUser): void {
    const account = this.account;
    if (!account) return;
    if (account.username === user.username && account.displayName === user.displayName) return;
    this.options.store.account.updateProfile({ username: user.username, displayName: user.displayName });
    this.account = { ...account, username: user.username, displayName: user.displayName };
    this.options.views.sessionChanged(this.account);
  }
}
