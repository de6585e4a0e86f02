/** Server-assigned identifiers: a prefix and 16 random bytes as 22 base64url characters. */
import { randomBytes } from 'node:crypto';

/** `u_…`, matching the protocol's userIdSchema. */
export const newUserId = (): string => `u_${randomBytes(16).toString('base64url')}`;

/** `d_…`; device ids never leave the relay. */
export const newDeviceId = (): string => `d_${randomBytes(16).toString('base64url')}`;
