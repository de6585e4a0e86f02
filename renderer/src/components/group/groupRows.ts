/**
 * The rows of a group's history, laid out as in a 1:1 chat: the history edge on top
 * (loading older lines / the beginning of the group), a separator before each new day, membership and timer lines as centred service rows, and runs of messages from the same
 * sender within a few minutes. The first bubble of a run carries the sender's name.
 */
import type { GroupMessageView } from '../../../../shared/ipc';
import { dayKey } from '../../format/time';
import { GROUP_WINDOW_MS } from '../chat/messageRows';

export type GroupRow =
  | { kind: 'edge'; key: 'edge' }
  | { kind: 'day'; key: string; at: number }
  | { kind: 'system'; key: string; message: GroupMessageView }
  | { kind: 'message'; key: string; message: GroupMessageView; firstInRun: boolean; lastInRun: boolean };

function sameRun(a: GroupMessageView, b: GroupMessageView): boolean {
  return (
    a.kind === 'text' &&
    b.kind === 'text' &&
    a.senderId === b.senderId &&
    dayKey(a.sentAt) === dayKey(b.sentAt) &&
    b.sentAt - a.sentAt < GROUP_WINDOW_MS
  );
}

/** No lines, no rows. */
export function buildGroupRows(messages: readonly GroupMessageView[]): GroupRow[] {
  if (messages.length === 0) return [];
  const rows: GroupRow[] = [{ kind: 'edge', key: 'edge' }];
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const next = messages[index + 1];
    const day = dayKey(message.sentAt);
    if (!previous || dayKey(previous.sentAt) !== day) rows.push({ kind: 'day', key: `day:${day}`, at: message.sentAt });
    if (message.kind !== 'text') {
      rows.push({ kind: 'system', key: message.id, message });
      return;
    }
    rows.push({
      kind: 'message',
      key: message.id,
      message,
      firstInRun: !previous || !sameRun(previous, message),
      lastInRun: !next || !sameRun(message, next),
    });
  });
  return rows;
}
