/**
 * This profile's account: who we are (null before sign-up), creating it, signing in on each
 * new relay connection, and profile changes.
 */
import { IpcError, type ProfileView } from '../../../shared/ipc';
import type { PublicUser } from '../../../shared/protocol';
import type { Logger } from '../api';
import type { Account } from '../db/account';
import type { Store } from '../db/store';
import { toIpcError } from '../errors';
import type { ViewEvents } from '../messaging/viewEvents';
import { profileViewOf } from '../messaging/views';
import type { RelayConnection } from '../relay/connection';
import type { RelaySocket } from '../relay/socket';
import { loginOnSocket } from './login';
import { registerOnRelay, type SignUpInput } from './signUp';

export interface SessionOptions {
  store: Store;
  views: ViewEvents;
  logger: Logger;
  relayUrl: string;
  /** The connection to start once an account exists. */
  relay: () => RelayConnection;
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
    const user = await loginOnSocket(socket, account);
    this.adoptRelayProfile(user);
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
