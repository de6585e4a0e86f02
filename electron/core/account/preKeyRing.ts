/** This device's signed prekey ring and prekey stores, read from the database. */
import { findSignedPreKey, type ResponderPreKeys, type SignedPreKey, type SignedPreKeyRing } from '../crypto/e2ee';
import type { StoredSignedPreKey } from '../db/preKeys';
import type { Store } from '../db/store';

/** This device's prekeys as acceptSession needs them, read from the store. */
export function responderPreKeys(store: Store, now: number): ResponderPreKeys {
  return {
    signedPreKey(id) {
      const ring = signedPreKeyRing(store.preKeys.signedPreKeys());
      const key = ring ? findSignedPreKey(ring, id, now) : undefined;
      return key ? { publicKey: key.keyPair.publicKey, secretKey: key.keyPair.secretKey } : undefined;
    },
    oneTimePreKey(id) {
      const key = store.preKeys.oneTimePreKey(id);
      return key ? { publicKey: key.publicKey, secretKey: key.secretKey } : undefined;
    },
    consumeOneTimePreKey(id) {
      store.preKeys.consumeOneTimePreKey(id);
    },
  };
}

export function toSignedPreKey(row: StoredSignedPreKey): SignedPreKey {
  return {
    id: row.id,
    keyPair: { publicKey: row.publicKey, secretKey: row.secretKey },
    createdAt: row.createdAt,
    signature: row.signature,
  };
}

/** The stored signed prekeys as a ring (null before the first one was made). */
export function signedPreKeyRing(rows: readonly StoredSignedPreKey[]): SignedPreKeyRing | null {
  const current = rows.find((r) => r.retiredAt === null);
  if (!current) return null;
  const previous = rows.filter((r) => r.retiredAt !== null).sort((a, b) => b.retiredAt! - a.retiredAt!)[0];
  return {
    current: toSignedPreKey(current),
    previous: previous ? toSignedPreKey(previous) : null,
    previousRetiredAt: previous ? previous.retiredAt : null,
  };
}
