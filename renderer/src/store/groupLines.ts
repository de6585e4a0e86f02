/**
 * How a group's loaded lines are merged. Lines come from history pages (the newest one,
 * then older ones as the user scrolls up) and from `group.message` events, which may
 * overlap and race: every merge de-duplicates by id and keeps the core's local order.
 */
import type { GroupMessageView } from '../../../shared/ipc';

const STATUS_RANK: Record<NonNullable<GroupMessageView['status']>, number> = {
  sending: 0,
  failed: 1,
  sent: 1,
  read: 2,
};

/** How far along a line is: its status, then how many read it, then its latest edit. */
function progress(line: GroupMessageView): [number, number, number] {
  return [line.status ? STATUS_RANK[line.status] : 0, line.readCount ?? 0, line.editedAt ?? 0];
}

function furtherAlong(a: GroupMessageView, b: GroupMessageView): boolean {
  const pa = progress(a);
  const pb = progress(b);
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pa[i]! > pb[i]!;
  return false;
}

/**
 * Merges a page (which may be older than events that arrived while it was asked for) into
 * the lines held: by id, keeping whichever copy is further along (a page must not roll a
 * tick back from read to sent), in local order. Returns `held` itself when nothing changed.
 */
export function mergeGroupLines(
  held: readonly GroupMessageView[],
  page: readonly GroupMessageView[],
): readonly GroupMessageView[] {
  if (page.length === 0) return held;
  const byId = new Map(held.map((line) => [line.id, line]));
  let changed = false;
  for (const line of page) {
    const mine = byId.get(line.id);
    if (mine && (mine === line || furtherAlong(mine, line))) continue;
    byId.set(line.id, line);
    changed = true;
  }
  if (!changed) return held;
  return [...byId.values()].sort((a, b) => a.localId - b.localId);
}
