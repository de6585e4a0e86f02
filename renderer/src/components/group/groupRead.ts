import type { GroupMessageView } from '../../../../shared/ipc';

export interface GroupReadPoint {
  /** The newest line shown: what "read up to" names. */
  upToId: string;
  /** The newest line another member wrote (a new one means there is something new to read). */
  incomingId: string | undefined;
  /** Something is waiting to be marked read: unread lines, or others' timed messages whose countdown has not started. */
  pending: boolean;
}

/** Where a visible group's reading stands (null: nothing shown yet). */
export function groupReadPoint(messages: readonly GroupMessageView[], unread: number): GroupReadPoint | null {
  const newest = messages[messages.length - 1];
  if (!newest) return null;
  let incomingId: string | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (!messages[i]!.fromMe) {
      incomingId = messages[i]!.id;
      break;
    }
  }
  const unstarted = messages.some(
    (m) => !m.fromMe && m.kind === 'text' && (m.expiresIn ?? 0) > 0 && m.expiresAt === undefined,
  );
  return { upToId: newest.id, incomingId, pending: unread > 0 || unstarted };
}
