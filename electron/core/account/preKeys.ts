/**
 * Keeps this device's prekeys published, so others can start sessions while it is offline:
 *
 *  - the signed prekey ring (current + previous during its grace period) is created on
 *    first use and rotated per DEFAULT_SIGNED_PREKEY_POLICY; the relay gets the current
 *    public key whenever it reports another id;
 *  - one-time prekeys are topped up to TARGET when the relay holds fewer than LOW_WATER.
 *    Their secrets are committed BEFORE the public halves are uploaded (a crash in between
 *    leaves keys we can open with, never published keys we cannot), and are marked uploaded
 *    once the relay confirmed; ids come from a persisted counter and are never reused.
 *
 * `maintain` runs after every login (before the connection counts as online), after a key
 * reset, and after a peer's session-starting message consumed one of our one-time prekeys.
 * Runs are serialised.
 */
import type { OneTimePreKeyWire, SignedPreKeyWire } from '../../../shared/protocol';
import { LIMITS } from '../../../shared/protocol';
import type { Logger } from '../api';
import {
  createSignedPreKeyRing,
  DEFAULT_SIGNED_PREKEY_POLICY,
  generateOneTimePreKeys,
  rotateSignedPreKeyRing,
  type SignedPreKey,
  type SignedPreKeyRing,
  type SignedPreKeyRotationPolicy,
} from '../crypto/e2ee';
import type { Account } from '../db/account';
import type { StoredSignedPreKey } from '../db/preKeys';
import type { Store } from '../db/store';
import { describeError } from '../logger';
import { signedPreKeyRing } from './preKeyRing';
import type { RelayLink } from '../relay/link';

/** Replenish when the relay holds fewer one-time prekeys than this… */
export const ONE_TIME_PREKEY_LOW_WATER = 30;
/** …up to this many. */
export const ONE_TIME_PREKEY_TARGET = 100;
/**
 * Uploaded one-time prekey secrets kept at most. Far more than a relay ever holds at once
 * (it hands out the oldest first), so a legitimate late first message still finds its key.
 */
export const MAX_STORED_ONE_TIME_PREKEYS = 2_000;

export interface PreKeyStatus {
  signedPreKeyId: number;
  oneTimeCount: number;
}

export class PreKeyService {
  private queue: Promise<unknown> = Promise.resolve();

  private readonly policy: SignedPreKeyRotationPolicy;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    options: { policy?: SignedPreKeyRotationPolicy; now?: () => number } = {},
  ) {
    this.policy = options.policy ?? DEFAULT_SIGNED_PREKEY_POLICY;
    this.now = options.now ?? Date.now;
  }

  /** Brings the relay's prekeys for `account` up to date over `link`. Throws RelayError. */
  maintain(link: Pick<RelayLink, 'request'>, account: Account): Promise<PreKeyStatus> {
    const run = this.queue.then(() => this.maintainNow(link, account));
    this.queue = run.catch(() => {});
    return run;
  }

  /** maintain(), logging a failure instead of throwing (the next login tries again). */
  async maintainQuietly(link: Pick<RelayLink, 'request'>, account: Account): Promise<void> {
    try {
      await this.maintain(link, account);
    } catch (err) {
      this.logger.warn('could not publish prekeys', { error: describeError(err) });
    }
  }

  private async maintainNow(link: Pick<RelayLink, 'request'>, account: Account): Promise<PreKeyStatus> {
    const ring = this.currentRing(account, this.now());
    let state = await link.request({ t: 'prekeys', oneTimePreKeys: [] });
    if (state.signedPreKeyId !== ring.current.id) {
      state = await link.request({ t: 'prekeys', signedPreKey: signedWire(ring.current), oneTimePreKeys: [] });
      this.logger.info('published a signed prekey', { id: ring.current.id });
    }
    let count = state.oneTimeCount;
    if (count < ONE_TIME_PREKEY_LOW_WATER) {
      const wanted = ONE_TIME_PREKEY_TARGET - count;
      const pending = this.store.preKeys.pendingUpload(wanted);
      const fresh = wanted - pending.length;
      const keys: { id: number; publicKey: Uint8Array }[] = pending.map((k) => ({ id: k.id, publicKey: k.publicKey }));
      if (fresh > 0) {
        // Secrets first, committed, then the upload.
        const created = this.store.transaction(() => {
          const first = this.store.preKeys.takeOneTimeIds(fresh);
          const generated = generateOneTimePreKeys(first, fresh).map((k) => ({
            id: k.id,
            publicKey: k.keyPair.publicKey,
            secretKey: k.keyPair.secretKey,
          }));
          this.store.preKeys.insertOneTimePreKeys(generated, this.now());
          return generated;
        });
        keys.push(...created.map((k) => ({ id: k.id, publicKey: k.publicKey })));
      }
      for (let start = 0; start < keys.length; start += LIMITS.maxOneTimePreKeysPerUpload) {
        const chunk = keys.slice(start, start + LIMITS.maxOneTimePreKeysPerUpload);
        state = await link.request({ t: 'prekeys', oneTimePreKeys: chunk.map(oneTimeWire) });
        this.store.preKeys.markUploaded(chunk.map((k) => k.id));
      }
      count = state.oneTimeCount;
      const pruned = this.store.preKeys.pruneOneTimePreKeys(MAX_STORED_ONE_TIME_PREKEYS);
      this.logger.info('published one-time prekeys', { uploaded: keys.length, stock: count, pruned });
    }
    return { signedPreKeyId: ring.current.id, oneTimeCount: count };
  }

  /** The signed prekey ring as it should be now (created or rotated and stored if needed). */
  private currentRing(account: Account, now: number): SignedPreKeyRing {
    const { store } = this;
    return store.transaction(() => {
      const stored = signedPreKeyRing(store.preKeys.signedPreKeys());
      let ring: SignedPreKeyRing;
      if (!stored) {
        ring = createSignedPreKeyRing(account.keys, now, store.preKeys.takeSignedId());
      } else {
        ring = rotateSignedPreKeyRing(stored, account.keys, now, this.policy).ring;
        if (ring === stored) return stored;
      }
      store.preKeys.replaceSignedPreKeys(ringRows(ring));
      store.preKeys.signedIdUsed(ring.current.id);
      return ring;
    });
  }
}

function ringRows(ring: SignedPreKeyRing): StoredSignedPreKey[] {
  const row = (key: SignedPreKey, retiredAt: number | null): StoredSignedPreKey => ({
    id: key.id,
    publicKey: key.keyPair.publicKey,
    secretKey: key.keyPair.secretKey,
    signature: key.signature,
    createdAt: key.createdAt,
    retiredAt,
  });
  const rows = [row(ring.current, null)];
  if (ring.previous && ring.previousRetiredAt !== null) rows.push(row(ring.previous, ring.previousRetiredAt));
  return rows;
}

function signedWire(key: SignedPreKey): SignedPreKeyWire {
  return {
    id: key.id,
    publicKey: key.keyPair.publicKey as SignedPreKeyWire['publicKey'],
    createdAt: key.createdAt,
    signature: key.signature as SignedPreKeyWire['signature'],
  };
}

function oneTimeWire(key: { id: number; publicKey: Uint8Array }): OneTimePreKeyWire {
  return { id: key.id, publicKey: key.publicKey as OneTimePreKeyWire['publicKey'] };
}
