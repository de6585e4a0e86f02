/** zod building blocks shared by the bundle, envelope and state schemas. */
import { z } from 'zod';
import { copyBytes } from './bytes';

/**
 * Bytes of an exact length (or at most `max`). The output is a fresh Uint8Array: msgpackr
 * decodes `bin` to Buffers that are views into the input, and parsed keys must neither
 * alias a buffer the caller may reuse nor be Buffers (whose `slice` shares memory).
 */
export function bytesOf(exact: number) {
  return z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength === exact, `expected ${exact} bytes`)
    .transform(copyBytes);
}

export function bytesUpTo(min: number, max: number) {
  return z
    .instanceof(Uint8Array)
    .refine((b) => b.byteLength >= min && b.byteLength <= max, `expected ${min}..${max} bytes`)
    .transform(copyBytes);
}

export const u32 = z.number().int().min(0).max(0xffffffff);
/** Milliseconds since the epoch. */
export const timestamp = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The first issue's shape, never content: safe to put in an error message. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return `${issue.code}${where}`;
}
