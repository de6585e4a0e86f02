/**
 * How a conversation's messages are ordered and merged. Messages arrive from several
 * sources that may overlap and race (history pages, live events, the result of a send),
 * so every merge de-duplicates by id and re-establishes the order.
 */
import type { DeliveryStatus, MessageView } from '../../../shared/ipc/contract';

/**
 * Committed messages (those with a relay sequence number) come first, in sequence order;
 * messages still in the outbox follow in the order they were written.
 */
export function compareMessages(a: MessageView, b: MessageView): number {
  if (a.seq !== undefined && b.seq !== undefined) {
    if (a.seq !== b.seq) return a.seq - b.seq;
  } else if (a.seq !== undefined) {
    return -1;
  } else if (b.seq !== undefined) {
    return 1;
  }
  if (a.sentAt !== b.sentAt) return a.sentAt - b.sentAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const STATUS_PROGRESS: Record<DeliveryStatus, number> = {
  sending: 0,
  failed: 1,
  sent: 1,
  delivered: 2,
  read: 3,
};

function progress(message: MessageView): number {
  const status = message.status ? STATUS_PROGRESS[message.status] : 0;
  return status * 2 + (message.seq !== undefined ? 1 : 0);
}

/**
 * Which of two copies of the same message to keep when a snapshot (a history page, a
 * repeated `message.added`) meets what we already hold: the one further along. A page
 * requested before a `message.updated` arrived must not roll a tick back from Read to Sent.
 */
export function newerCopy(held: MessageView, incoming: MessageView): MessageView {
  return progress(held) > progress(incoming) ? held : incoming;
}

export type MergeMode =
  /** `incoming` may be stale (history pages, added events): keep whichever copy is further along. */
  | 'snapshot'
  /** `incoming` is the core's latest word (`message.updated`): it replaces what we hold. */
  | 'authoritative';

/**
 * Merges `incoming` into the sorted, duplicate-free `list`, returning a new sorted,
 * duplicate-free list (or `list` itself when nothing changed, so selectors stay stable).
 */
export function mergeMessages(
  list: readonly MessageView[],
  incoming: readonly MessageView[],
  mode: MergeMode = 'snapshot',
): readonly MessageView[] {
  if (incoming.length === 0) return list;
  const next = list.slice();
  const indexById = new Map<string, number>();
  next.forEach((message, index) => indexById.set(message.id, index));
  let changed = false;
  let needsSort = false;

  for (const message of incoming) {
    const at = indexById.get(message.id);
    if (at === undefined) {
      const last = next[next.length - 1];
      if (last && compareMessages(last, message) > 0) needsSort = true;
      indexById.set(message.id, next.length);
      next.push(message);
      changed = true;
      continue;
    }
    const held = next[at]!;
    const kept = mode === 'authoritative' ? message : newerCopy(held, message);
    if (kept === held) continue;
    if (kept.seq !== held.seq || kept.sentAt !== held.sentAt) needsSort = true;
    next[at] = kept;
    changed = true;
  }

  if (!changed) return list;
  if (needsSort) next.sort(compareMessages);
  return next;
}

/** Replaces a message we already hold; a message we never loaded is left for history to bring. */
export function replaceMessage(list: readonly MessageView[], message: MessageView): readonly MessageView[] {
  if (!list.some((held) => held.id === message.id)) return list;
  return mergeMessages(list, [message], 'authoritative');
}
