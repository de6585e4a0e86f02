/**
 * What travels inside an envelope: a MessagePack-encoded tagged union, validated on the way
 * in because it comes from another person's device and may be anything. Unknown extra fields
 * are dropped rather than refused, so a newer peer can add optional fields.
 */
import { z } from 'zod';
import { msgIdSchema } from '../../../shared/protocol';
import { packr } from './msgpack';

/** Same limit as `messages.send` in the IPC contract. */
export const MAX_TEXT_LENGTH = 16_000;
/** Message ids per receipt; a longer list is split over several receipts. */
export const MAX_RECEIPT_IDS = 1_000;

/**
 * Self-destruct timers a chat may have, in seconds (0 = off): off, 5 s, 30 s, 1 min, 5 min,
 * 1 h, 1 day, 1 week. Anything else from a peer is refused.
 */
export const TIMER_VALUES = [0, 5, 30, 60, 300, 3_600, 86_400, 604_800] as const;
export const timerSeconds = z
  .number()
  .int()
  .refine((n) => (TIMER_VALUES as readonly number[]).includes(n), 'not a supported timer');

/** The reactions a message can carry (one per person; '' takes it back). */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

const timestamp = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const textPlaintext = z.object({
  k: z.literal('text'),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
  /** Sender's clock when written, ms since epoch. */
  sentAt: timestamp,
  /** The message this one answers (its id, same chat). */
  replyTo: msgIdSchema.optional(),
  /** Self-destruct timer in seconds (counted from when the recipient has seen it); absent = none. */
  expiresIn: timerSeconds.refine((n) => n > 0).optional(),
  /** A copy the sender forwarded from another chat (shown as "Forwarded"). */
  forwarded: z.literal(true).optional(),
});

/**
 * The chat's timer changed (0 = off); applies to messages written after it. `restate`
 * (groups): the timer in effect since `sentAt`, told again for members who joined after it
 * was set — applied like a change, but no line when nothing changes.
 */
export const timerPlaintext = z.object({
  k: z.literal('timer'),
  expiresIn: timerSeconds,
  sentAt: timestamp,
  restate: z.literal(true).optional(),
});

/** The sender changed the text of one of its own messages. */
export const editPlaintext = z.object({
  k: z.literal('edit'),
  target: msgIdSchema,
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
  editedAt: timestamp,
});

/** The sender deleted one of its own messages for everyone. */
export const deletePlaintext = z.object({ k: z.literal('delete'), target: msgIdSchema });

/** The sender's reaction to a message (either side's); '' removes it. */
export const reactionPlaintext = z.object({
  k: z.literal('reaction'),
  target: msgIdSchema,
  emoji: z.union([z.enum(REACTION_EMOJI), z.literal('')]),
  at: timestamp,
});

/** Ephemeral: the sender is typing. Never stored. */
export const typingPlaintext = z.object({ k: z.literal('typing') });

export const receiptPlaintext = z.object({
  k: z.literal('receipt'),
  kind: z.enum(['delivered', 'read']),
  ids: z.array(msgIdSchema).min(1).max(MAX_RECEIPT_IDS),
});

/**
 * A group member's Sender Keys distribution (crypto/senderKeys `skd1` bytes) for group `gid`:
 * only ever sent inside a 1:1 ratchet session, which authenticates the sender. Never shown.
 */
export const senderKeyPlaintext = z.object({
  k: z.literal('senderKey'),
  gid: z.string().regex(/^g_[A-Za-z0-9_-]{22}$/),
  skd: z.instanceof(Uint8Array).refine((b) => b.byteLength <= 1024, 'distribution too large'),
});

/**
 * A group member has seen our group messages `ids` in group `gid`: sent to each message's
 * sender only, inside the 1:1 session (the group never learns who read what). Never shown.
 */
export const groupReadPlaintext = z.object({
  k: z.literal('groupRead'),
  gid: z.string().regex(/^g_[A-Za-z0-9_-]{22}$/),
  ids: z.array(msgIdSchema).min(1).max(MAX_RECEIPT_IDS),
});

export const plaintextSchema = z.discriminatedUnion('k', [
  textPlaintext,
  receiptPlaintext,
  timerPlaintext,
  editPlaintext,
  deletePlaintext,
  reactionPlaintext,
  typingPlaintext,
  senderKeyPlaintext,
  groupReadPlaintext,
]);
export type Plaintext = z.infer<typeof plaintextSchema>;
export type ControlPlaintext = Exclude<
  Plaintext,
  TextPlaintext | ReceiptPlaintext | SenderKeyPlaintext | GroupReadPlaintext
>;
export type SenderKeyPlaintext = z.infer<typeof senderKeyPlaintext>;
export type GroupReadPlaintext = z.infer<typeof groupReadPlaintext>;
export const PLAINTEXT_KINDS: ReadonlySet<string> = new Set(plaintextSchema.options.map((o) => o.shape.k.value));
export type TextPlaintext = z.infer<typeof textPlaintext>;
export type ReceiptPlaintext = z.infer<typeof receiptPlaintext>;

export class PlaintextError extends Error {
  constructor(
    message: string,
    /** The payload is well-formed but of a kind this build does not know. */
    readonly unknownKind = false,
  ) {
    super(message);
    this.name = 'PlaintextError';
  }
}

export function encodePlaintext(plaintext: Plaintext): Uint8Array {
  // Validate our own output too: a bug here would otherwise surface only on the peer.
  return packr.pack(plaintextSchema.parse(plaintext));
}

export function decodePlaintext(data: Uint8Array): Plaintext {
  let raw: unknown;
  try {
    raw = packr.unpack(data);
  } catch {
    throw new PlaintextError('plaintext is not valid MessagePack');
  }
  const parsed = plaintextSchema.safeParse(raw);
  if (!parsed.success) {
    // A kind this build does not know (a newer peer): refused as such, so the receiver can
    // drop it quietly instead of showing an undecryptable line.
    const kind = (raw as { k?: unknown } | null)?.k;
    if (typeof kind === 'string' && !PLAINTEXT_KINDS.has(kind))
      throw new PlaintextError('unknown plaintext kind', true);
    const issue = parsed.error.issues[0];
    // The path and issue message describe the shape only, never the content.
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new PlaintextError(`invalid plaintext${where}: ${issue?.code ?? 'unknown'}`);
  }
  return parsed.data;
}
