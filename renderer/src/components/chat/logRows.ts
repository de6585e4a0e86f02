/**
 * What the 1:1 chat's and a group's logs share about their rows: a guess at each kind's
 * height before it is measured, and which message a row shows (how jumping finds it).
 */

/** The row kinds both logs have; only message rows are jumped to. */
export type ConversationRow = { kind: 'edge' | 'day' | 'system' } | { kind: 'message'; message: { id: string } };

const ESTIMATED_HEIGHT: Record<ConversationRow['kind'], number> = { edge: 56, day: 44, message: 52, system: 44 };

export const estimateSize = <R extends ConversationRow>(row: R) => ESTIMATED_HEIGHT[row.kind];

export const messageIdOf = <R extends ConversationRow>(row: R) => (row.kind === 'message' ? row.message.id : undefined);
