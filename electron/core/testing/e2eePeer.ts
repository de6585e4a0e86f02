/**
 * An in-memory peer device for unit tests of the services: real X3DH + Double Ratchet
 * (crypto/e2ee), no database. It publishes prekeys on a FakePreKeyServer, opens envelopes
 * the service under test sends it, and seals envelopes to it.
 */
import {
  acceptSession,
  createSignedPreKeyRing,
  generateOneTimePreKeys,
  initiateSession,
  parseEnvelope,
  ratchetDecrypt,
  ratchetEncrypt,
  signedPreKeyPublic,
  startsNewSession,
  type SessionState,
  type SignedPreKeyRing,
  type X25519KeyPair,
} from '../crypto/e2ee';
import { utf8 } from '../crypto/bytes';
import { decodePlaintext, encodePlaintext, type Plaintext } from '../crypto/plaintext';
import type { Account } from '../db/account';
import type { OneTimePreKeyWire, PreKeyBundleWire, PublicUser, SignedPreKeyWire } from '../../../shared/protocol';
import type { FakePreKeyServer } from './fakeLink';
import { makeAccount, publicUserOf } from './fixtures';

export class TestPeer {
  readonly account: Account;
  private ring: SignedPreKeyRing;
  private readonly oneTime = new Map<number, X25519KeyPair>();
  private nextOneTimeId = 1;
  /** Per correspondent: sessions, current first. */
  private readonly sessions = new Map<string, SessionState[]>();

  constructor(name: string, account: Account = makeAccount(name)) {
    this.account = account;
    this.ring = createSignedPreKeyRing(account.keys, Date.now(), 1);
  }

  get user(): PublicUser {
    return publicUserOf(this.account);
  }

  get userId(): string {
    return this.account.userId;
  }

  /** Publishes the signed prekey and `count` fresh one-time prekeys on the fake relay. */
  publish(server: FakePreKeyServer, count = 5): void {
    const entry = server.of(this.userId);
    entry.signed = this.signedWire();
    for (const key of generateOneTimePreKeys(this.nextOneTimeId, count)) {
      this.oneTime.set(key.id, key.keyPair);
      entry.oneTime.push({ id: key.id, publicKey: key.keyPair.publicKey } as OneTimePreKeyWire);
    }
    this.nextOneTimeId += count;
  }

  /** A bundle straight from this peer (no one-time prekey), e.g. to set up a session beforehand. */
  bundle(): PreKeyBundleWire {
    const user = this.user;
    return {
      identity: { identityKey: user.identityKey, dhKey: user.dhKey, dhKeySig: user.dhKeySig },
      signedPreKey: this.signedWire(),
      oneTimePreKey: null,
    };
  }

  get unusedOneTimePreKeys(): number {
    return this.oneTime.size;
  }

  /** Opens an envelope `from` sent with message id `msgId`. Throws E2eeError. */
  open(from: string, msgId: string, body: Uint8Array, now = Date.now()): Plaintext {
    const envelope = parseEnvelope(body);
    const sessions = this.sessions.get(from) ?? [];
    const ad = utf8(msgId);
    if (sessions.every((s) => startsNewSession(s, envelope)) && envelope.alg === 'x3dh1') {
      const accepted = acceptSession({
        identity: this.account.keys,
        message: body,
        preKeys: {
          signedPreKey: (id) => (id === this.ring.current.id ? this.ring.current.keyPair : undefined),
          oneTimePreKey: (id) => this.oneTime.get(id),
          consumeOneTimePreKey: (id) => this.oneTime.delete(id),
        },
        now,
        localUserId: this.userId,
        remoteUserId: from,
        ad,
      });
      this.sessions.set(from, [accepted.state, ...sessions]);
      return decodePlaintext(accepted.plaintext);
    }
    let lastError: unknown = new Error('no session');
    for (const [i, state] of sessions.entries()) {
      if (startsNewSession(state, envelope)) continue;
      try {
        const result = ratchetDecrypt(state, body, now, ad);
        const rest = sessions.filter((_, j) => j !== i);
        this.sessions.set(from, [result.state, ...rest]);
        return decodePlaintext(result.plaintext);
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }

  /** Seals `plaintext` to `to`, starting a session from `bundle` if there is none. */
  seal(to: string, msgId: string, plaintext: Plaintext, bundle?: unknown): Uint8Array {
    return this.sealBytes(to, msgId, encodePlaintext(plaintext), bundle);
  }

  /** Seals arbitrary payload bytes (e.g. an invalid payload a buggy or newer peer might send). */
  sealBytes(to: string, msgId: string, payload: Uint8Array, bundle?: unknown): Uint8Array {
    let sessions = this.sessions.get(to) ?? [];
    if (sessions.length === 0) {
      if (!bundle) throw new Error(`${this.account.username} has no session with ${to} and no bundle`);
      const started = initiateSession({
        identity: this.account.keys,
        bundle,
        localUserId: this.userId,
        remoteUserId: to,
      });
      sessions = [started.state];
    }
    const sealed = ratchetEncrypt(sessions[0]!, payload, utf8(msgId));
    this.sessions.set(to, [sealed.state, ...sessions.slice(1)]);
    return sealed.message;
  }

  /** Forgets every session (e.g. after this peer's keys were replaced). */
  forgetSessions(): void {
    this.sessions.clear();
  }

  private signedWire(): SignedPreKeyWire {
    return signedPreKeyPublic(this.ring.current) as SignedPreKeyWire;
  }
}
