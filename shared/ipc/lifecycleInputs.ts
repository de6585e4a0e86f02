/**
 * Inputs and view parts shared by the 1:1 and the group halves of the contract (kept apart
 * so groups.ts need not import contract.ts, which imports it).
 */
import { z } from 'zod';

/** Self-destruct timers a chat or group may have, in seconds (0: off). */
export const TIMER_CHOICES = [0, 5, 30, 60, 300, 3_600, 86_400, 604_800] as const;
export const timerInput = z
  .number()
  .int()
  .refine((n) => (TIMER_CHOICES as readonly number[]).includes(n), 'not a supported timer');

/** The reactions one can pick. */
export const REACTION_CHOICES = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
/** A reaction, or '' to take ours back. */
export const reactionInput = z.union([z.enum(REACTION_CHOICES), z.literal('')]);

export const chatIdInput = z.string().min(1).max(128);
export const messageIdInput = z.string().min(1).max(64);
export const messageTextInput = z
  .string()
  .max(16_000, 'message too long')
  .refine((s) => s.trim().length > 0, 'message is empty');

/** The message a message answers, with a short preview (missing: deleted or expired). */
export const replyToView = z.object({
  id: z.string(),
  senderId: z.string().optional(),
  /** The quoted sender's display name (groups). */
  senderName: z.string().optional(),
  text: z.string().optional(),
  missing: z.boolean(),
});

/** Reactions: emoji → how many, and whether one is ours. */
export const reactionsView = z.array(
  z.object({ emoji: z.string(), count: z.number().int().positive(), mine: z.boolean() }),
);

/** What a message view says about its lifecycle, the same in 1:1 chats and groups. */
export const lifecycleViewFields = {
  /** The message this one answers (same conversation), with a short preview. */
  replyTo: replyToView.optional(),
  /** When its sender last edited it (ms since epoch). */
  editedAt: z.number().optional(),
  reactions: reactionsView.optional(),
  /** Self-destruct timer in seconds; for a timer line, the new timer (0: off). */
  expiresIn: z.number().int().nonnegative().optional(),
  /**
   * When it disappears (ms since epoch), once its countdown started (the recipient's when it
   * is seen; the sender's when read in 1:1 chats, when the relay took it in groups).
   */
  expiresAt: z.number().optional(),
  /** A copy its sender forwarded from another chat or group. */
  forwarded: z.boolean().optional(),
};
