/**
 * Opaque paging cursors for messages.history. A cursor is the history-order key of the
 * oldest message of the page the caller already has: (pending, seq_key, local_id), see the
 * messages table. The renderer must treat it as an opaque string.
 */
export interface HistoryKey {
  /** 1 for messages without a relay seq yet (they sort after all sequenced ones). */
  pending: 0 | 1;
  /** The relay seq, or 0 when pending. */
  seqKey: number;
  localId: number;
}

const VERSION = 'h1';

export function encodeHistoryCursor(key: HistoryKey): string {
  return Buffer.from(`${VERSION}:${key.pending}:${key.seqKey}:${key.localId}`, 'utf8').toString('base64url');
}

/** Null when the string is not a cursor this version produced. */
export function decodeHistoryCursor(cursor: string): HistoryKey | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(cursor)) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) return null;
  const [pending, seqKey, localId] = parts.slice(1).map((p) => (/^\d{1,16}$/.test(p) ? Number(p) : NaN));
  if (pending !== 0 && pending !== 1) return null;
  if (!Number.isSafeInteger(seqKey) || !Number.isSafeInteger(localId)) return null;
  return { pending, seqKey: seqKey!, localId: localId! };
}
