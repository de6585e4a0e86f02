/**
 * Message keys kept for messages that have not arrived yet (out-of-order delivery). Bounded
 * three ways: at most MAX_SKIP new keys per chain per message (a larger gap is refused),
 * at most MAX_SKIPPED_KEYS in total (oldest evicted first), and at most SKIPPED_KEY_TTL_MS
 * old. A key is removed when its message decrypts, so a replay finds nothing.
 *
 * The list is immutable: every operation returns a new array and never touches the old
 * one, which may still belong to a state the caller keeps.
 */
import { bytesEqual } from './bytes';
import { TooManySkippedError } from './errors';
import { kdfChain } from './kdf';

export const MAX_SKIP = 1000;
export const MAX_SKIPPED_KEYS = 2000;
export const SKIPPED_KEY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface SkippedMessageKey {
  /** Sender ratchet key of the chain the message belongs to. */
  readonly dh: Uint8Array;
  readonly n: number;
  readonly messageKey: Uint8Array;
  /** When the key was derived (the `now` of that decrypt), ms. */
  readonly storedAt: number;
}

export interface ChainState {
  readonly key: Uint8Array;
  /** Number of the next message in this chain. */
  readonly n: number;
}

export function findSkipped(keys: readonly SkippedMessageKey[], dh: Uint8Array, n: number): number {
  return keys.findIndex((k) => k.n === n && bytesEqual(k.dh, dh));
}

export function withoutIndex(keys: readonly SkippedMessageKey[], index: number): readonly SkippedMessageKey[] {
  return [...keys.slice(0, index), ...keys.slice(index + 1)];
}

/** Drops keys older than the TTL. A clock that went backwards expires nothing. */
export function pruneExpired(keys: readonly SkippedMessageKey[], now: number): readonly SkippedMessageKey[] {
  const kept = keys.filter((k) => now - k.storedAt < SKIPPED_KEY_TTL_MS);
  return kept.length === keys.length ? keys : kept;
}

/** Appends, then evicts the oldest beyond the total cap. Keys are appended in the order they were derived. */
export function appendCapped(
  keys: readonly SkippedMessageKey[],
  added: readonly SkippedMessageKey[],
): readonly SkippedMessageKey[] {
  if (added.length === 0) return keys;
  const all = [...keys, ...added];
  return all.length > MAX_SKIPPED_KEYS ? all.slice(all.length - MAX_SKIPPED_KEYS) : all;
}

export function assertSkippable(chain: ChainState, until: number): void {
  if (until - chain.n > MAX_SKIP) throw new TooManySkippedError(`gap of more than ${MAX_SKIP} messages`);
}

/**
 * Advances `chain` to message number `until`, returning the keys of the messages in
 * between (to be stored). Throws too_many_skipped before deriving anything if the gap
 * exceeds MAX_SKIP.
 */
export function skipTo(
  chain: ChainState,
  dh: Uint8Array,
  until: number,
  now: number,
): { chain: ChainState; skipped: SkippedMessageKey[] } {
  assertSkippable(chain, until);
  const skipped: SkippedMessageKey[] = [];
  let key = chain.key;
  for (let n = chain.n; n < until; n++) {
    const step = kdfChain(key);
    skipped.push({ dh, n, messageKey: step.messageKey, storedAt: now });
    key = step.chainKey;
  }
  return { chain: { key, n: Math.max(chain.n, until) }, skipped };
}
