/** Timed group lines as a source of the expiry scheduler (messaging/expiry.ts). */
import type { ExpirySource } from '../messaging/expiry';
import type { GroupRepo } from './repo';

export const GROUP_EXPIRY_SOURCE = 'groups';

/**
 * Due lines are removed like a delete (repo.remove: the line, its queued edits, its reactions;
 * a tombstone stays) inside the sweep's transaction; `announce` runs after the commit.
 */
export function groupExpirySource(
  repo: GroupRepo,
  announce: (removed: { groupId: string; id: string }[]) => void,
): ExpirySource {
  return {
    name: GROUP_EXPIRY_SOURCE,
    due: (now) => repo.due(now),
    nextDue: () => repo.nextDue(),
    expireAt: (localId) => repo.messageByLocalId(localId)?.expire_at ?? null,
    remove: (localId, now) => {
      const removed = repo.remove(localId, now);
      return removed ? { scope: removed.groupId, id: removed.id } : null;
    },
    announce: (removed) => announce(removed.map(({ scope, id }) => ({ groupId: scope, id }))),
  };
}
