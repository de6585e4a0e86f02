import type { ParseKeys } from 'i18next';
import type { MessageKind, MessageView } from '../../../shared/ipc/contract';

/** A message as one line of a chat-list preview: whitespace runs (newlines too) collapse to a space. */
export function previewText(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * The sentence for a line the core adds to the history itself (its text is empty); each
 * takes the peer's name as `name`.
 */
export const SYSTEM_LINE_KEYS = {
  keyChanged: 'security.keyChangedLine',
  undecryptable: 'security.undecryptableLine',
  timer: 'lifecycle.timerChanged',
} as const satisfies Record<Exclude<MessageKind, 'text'>, ParseKeys>;

export type SystemKind = keyof typeof SYSTEM_LINE_KEYS;
export type SystemLineKey = (typeof SYSTEM_LINE_KEYS)[SystemKind];

/**
 * The sentence key for a system line, or null for a message someone wrote. Views from an
 * older core may lack `kind`, and a kind this renderer does not know is shown as text.
 */
export function systemLineKey(kind: MessageKind | undefined): SystemLineKey | null {
  return kind && kind !== 'text' && Object.hasOwn(SYSTEM_LINE_KEYS, kind) ? SYSTEM_LINE_KEYS[kind] : null;
}

export type MessagePreview = { kind: 'text'; text: string } | { kind: 'system'; key: SystemLineKey };

/** What the chat list shows for a chat's last message: its text, or the wording of a system line. */
export function messagePreview(message: Pick<MessageView, 'kind' | 'text'>): MessagePreview {
  const key = systemLineKey(message.kind);
  return key ? { kind: 'system', key } : { kind: 'text', text: previewText(message.text) };
}
