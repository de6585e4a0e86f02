/**
 * A scripted stand-in for the relay connection in unit tests of the services. Each request
 * is recorded; `answer` decides the reply (default: `sent` with increasing seqs, `user`
 * from `users`). Like the relay, it refuses a send whose `after` it has not stored with
 * `out_of_order`, and a send whose `toKey` is not the recipient's identity key (when the
 * recipient is in `users`) with `identity_changed`, before consulting the script.
 *
 * Prekeys: links of several devices can share one FakePreKeyServer; `prekeys` uploads go to
 * the link's `selfId`, `bundle` hands out a user's signed prekey and one one-time prekey
 * (each at most once), `rekey` replaces the user's identity in `users` and drops its prekeys.
 */
import type { OneTimePreKeyWire, PreKeyBundleWire, PublicUser, SignedPreKeyWire } from '../../../shared/protocol';
import { bytesEqual } from '../crypto/bytes';
import type { RelayRequest, RelayResponse } from '../relay/frames';
import type { RelayLink } from '../relay/link';
import { RelayError } from '../relay/relayError';

export type SendRequest = Extract<RelayRequest, { t: 'send' }>;

interface FakePreKeys {
  signed: SignedPreKeyWire | null;
  oneTime: OneTimePreKeyWire[];
}

/** The relay's prekey store, shared by the FakeLinks of several devices. */
export class FakePreKeyServer {
  readonly byUser = new Map<string, FakePreKeys>();
  /** One-time prekey ids handed out, per user. */
  readonly handedOut = new Map<string, number[]>();

  of(userId: string): FakePreKeys {
    let entry = this.byUser.get(userId);
    if (!entry) {
      entry = { signed: null, oneTime: [] };
      this.byUser.set(userId, entry);
    }
    return entry;
  }

  bundle(user: PublicUser): PreKeyBundleWire | null {
    const entry = this.of(user.userId);
    if (!entry.signed) return null;
    const oneTime = entry.oneTime.shift() ?? null;
    if (oneTime) this.handedOut.set(user.userId, [...(this.handedOut.get(user.userId) ?? []), oneTime.id]);
    return {
      identity: { identityKey: user.identityKey, dhKey: user.dhKey, dhKeySig: user.dhKeySig },
      signedPreKey: entry.signed,
      oneTimePreKey: oneTime,
    };
  }
}

export interface FakeLinkOptions {
  /** The signed-in user (whose prekeys `prekeys` uploads). */
  selfId?: string;
  preKeys?: FakePreKeyServer;
  /** Shared users table (lookups, bundles' identities, toKey checks). */
  users?: Map<string, PublicUser>;
}

export class FakeLink implements RelayLink {
  online = true;
  readonly requests: RelayRequest[] = [];
  readonly users: Map<string, PublicUser>;
  readonly preKeys: FakePreKeyServer;
  selfId: string | undefined;
  private seq = 0;
  /** msgIds answered with `sent` (the relay's de-duplication records). */
  readonly stored = new Set<string>();
  /** Override to script answers to `send`; throw a RelayError to refuse. */
  answerSend: (frame: SendRequest) => Promise<RelayResponse<'send'>> | RelayResponse<'send'> = (frame) =>
    this.sent(frame);

  constructor(options: FakeLinkOptions = {}) {
    this.users = options.users ?? new Map();
    this.preKeys = options.preKeys ?? new FakePreKeyServer();
    this.selfId = options.selfId;
  }

  isOnline(): boolean {
    return this.online;
  }

  get sends(): SendRequest[] {
    return this.requests.filter((r): r is SendRequest => r.t === 'send');
  }

  sent(frame: SendRequest, duplicate = false): RelayResponse<'send'> {
    this.stored.add(frame.msgId);
    return { t: 'sent', re: 0, msgId: frame.msgId, seq: ++this.seq, ts: 1_000 + this.seq, duplicate };
  }

  async request<F extends RelayRequest>(frame: F): Promise<RelayResponse<F['t']>> {
    if (!this.online) throw new RelayError('disconnected', 'not connected to the relay');
    this.requests.push(frame);
    switch (frame.t) {
      case 'send': {
        const send = frame as SendRequest;
        if (send.after !== undefined && !this.stored.has(send.after)) {
          throw new RelayError('out_of_order', `message ${send.after} is not stored; send it first`);
        }
        const recipient = this.users.get(send.to);
        if (send.toKey !== undefined && recipient && !bytesEqual(recipient.identityKey, send.toKey)) {
          throw new RelayError('identity_changed', 'the recipient has a new identity key');
        }
        return (await this.answerSend(send)) as RelayResponse<F['t']>;
      }
      case 'lookup': {
        const user = frame.userId === undefined ? undefined : this.users.get(frame.userId);
        if (!user) throw new RelayError('not_found', 'no such user');
        return { t: 'user', re: 0, user } as RelayResponse<F['t']>;
      }
      case 'prekeys': {
        if (!this.selfId) throw new Error('FakeLink needs selfId for prekeys');
        const entry = this.preKeys.of(this.selfId);
        if (frame.signedPreKey) entry.signed = frame.signedPreKey as SignedPreKeyWire;
        for (const key of frame.oneTimePreKeys) {
          if (!entry.oneTime.some((k) => k.id === key.id)) entry.oneTime.push(key as OneTimePreKeyWire);
        }
        return {
          t: 'prekeyState',
          re: 0,
          signedPreKeyId: entry.signed?.id ?? null,
          oneTimeCount: entry.oneTime.length,
        } as RelayResponse<F['t']>;
      }
      case 'bundle': {
        const user = this.users.get(frame.userId);
        if (!user) throw new RelayError('not_found', 'no such user');
        const bundle = this.preKeys.bundle(user);
        if (!bundle) throw new RelayError('no_prekeys', 'no prekeys published yet');
        return { t: 'bundle', re: 0, userId: user.userId, bundle } as RelayResponse<F['t']>;
      }
      case 'rekey': {
        const user = this.selfId === undefined ? undefined : this.users.get(this.selfId);
        if (!user) throw new Error('FakeLink needs selfId (in users) for rekey');
        const next = {
          ...user,
          identityKey: frame.identityKey,
          dhKey: frame.dhKey,
          dhKeySig: frame.dhKeySig,
        } as PublicUser;
        this.users.set(user.userId, next);
        this.preKeys.byUser.delete(user.userId);
        return { t: 'session', re: 0, user: next } as RelayResponse<F['t']>;
      }
      default:
        throw new Error(`FakeLink does not script ${frame.t}`);
    }
  }
}
