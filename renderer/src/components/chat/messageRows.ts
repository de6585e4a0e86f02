/**
 * The rows of the virtualized message list: a history edge on top (loading / beginning of
 * the conversation), then messages with a separator before each new day. Messages from
 * the same side within a few minutes form a group: they sit closer and only the last one
 * has a tail. Lines the core adds itself (a key change, an undecryptable message) are
 * service rows, centred, and end any group around them.
 */
import type { MessageView } from '../../../../shared/ipc/contract';
import { systemLineKey, type SystemLineKey } from '../../format/preview';
import { dayKey } from '../../format/time';

export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export type MessageRow =
  | { kind: 'edge'; key: 'edge' }
  | { kind: 'day'; key: string; at: number }
  | { kind: 'message'; key: string; message: MessageView; firstInGroup: boolean; lastInGroup: boolean }
  | { kind: 'system'; key: string; message: MessageView; sentence: SystemLineKey };

function sameGroup(a: MessageView, b: MessageView): boolean {
  return (
    systemLineKey(a.kind) === null &&
    systemLineKey(b.kind) === null &&
    a.fromMe === b.fromMe &&
    dayKey(a.sentAt) === dayKey(b.sentAt) &&
    b.sentAt - a.sentAt < GROUP_WINDOW_MS
  );
}

/** No messages, no rows: an empty conversation shows its own invitation instead. */
export function buildMessageRows(messages: readonly MessageView[]): MessageRow[] {
  if (messages.length === 0) return [];
  const rows: MessageRow[] = [{ kind: 'edge', key: 'edge' }];
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const next = messages[index + 1];
    const day = dayKey(message.sentAt);
    if (!previous || dayKey(previous.sentAt) !== day) rows.push({ kind: 'day', key: `day:${day}`, at: message.sentAt });
    const sentence = systemLineKey(message.kind);
    if (sentence) {
      rows.push({ kind: 'system', key: message.id, message, sentence });
      return;
    }
    rows.push({
      kind: 'message',
      key: message.id,
      message,
      firstInGroup: !previous || !sameGroup(previous, message),
      lastInGroup: !next || !sameGroup(message, next),
    });
  });
  return rows;
}
