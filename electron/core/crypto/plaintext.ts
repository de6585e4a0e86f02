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

export const textPlaintext = z.object({
  k: z.literal('text'),
  text: z.string().min(1).max(MAX_TEXT_LENGTH),
  /** Sender's clock when written, ms since epoch. */
  sentAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});

export const receiptPlaintext = z.object({
  k: z.literal('receipt'),
  kind: z.enum(['delivered', 'read']),
  ids: z.array(msgIdSchema).min(1).max(MAX_RECEIPT_IDS),
});

export const plaintextSchema = z.discriminatedUnion('k', [textPlaintext, receiptPlaintext]);
export type Plaintext = z.infer<typeof plaintextSchema>;
export type TextPlaintext = z.infer<typeof textPlaintext>;
export type ReceiptPlaintext = z.infer<typeof receiptPlaintext>;

export class PlaintextError extends Error {
  constructor(message: string) {
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
    const issue = parsed.error.issues[0];
    // The path and issue message describe the shape only, never the content.
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new PlaintextError(`invalid plaintext${where}: ${issue?.code ?? 'unknown'}`);
  }
  return parsed.data;
}
