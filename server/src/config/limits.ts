/**
 * The limits one relay instance enforces: the protocol defaults (shared/protocol LIMITS),
 * optionally overridden — tests lower them to reach a limit quickly, operators may tune them.
 */
import { LIMITS } from '../../../shared/protocol';

/** LIMITS with plain numbers (the protocol constant is `as const`, so its values are literals). */
export type RelayLimits = { readonly [K in keyof typeof LIMITS]: number };

export function resolveLimits(overrides: Partial<RelayLimits> = {}): RelayLimits {
  const limits: RelayLimits = { ...LIMITS, ...stripUndefined(overrides) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`relay limit ${name} must be a positive number, got ${String(value)}`);
    }
  }
  // The codec and the frame schemas validate against the protocol constants, so a relay can
  // only tighten the frame and body limits, never widen them.
  if (limits.maxFrameBytes > LIMITS.maxFrameBytes || limits.maxBodyBytes > LIMITS.maxBodyBytes) {
    throw new RangeError('maxFrameBytes and maxBodyBytes cannot exceed the protocol limits');
  }
  if (limits.deliveryWindow > LIMITS.deliveryWindow) {
    // Clients acknowledge at most LIMITS.deliveryWindow eids per ack frame.
    throw new RangeError(`deliveryWindow cannot exceed ${LIMITS.deliveryWindow}`);
  }
  if (limits.sendBufferHardLimit < limits.sendBufferHighWater) {
    throw new RangeError('sendBufferHardLimit must be at least sendBufferHighWater');
  }
  return limits;
}

function stripUndefined(overrides: Partial<RelayLimits>): Partial<RelayLimits> {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}
