/**
 * The per-launch secret that proves a bridge connection comes from the page we served (it
 * travels in the URL fragment, which the browser never sends to a server, and from there
 * in the WebSocket URL). 32 random bytes: unguessable, and compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function createBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensEqual(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  // timingSafeEqual needs equal lengths; the length of a token is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
