import { describe, expect, it } from 'vitest';
import { checkOutboundEvent } from './outboundEvents';

const profile = { userId: 'u_1', username: 'ann', displayName: 'Ann' };

describe('checkOutboundEvent', () => {
  it('passes a contract event through', () => {
    expect(checkOutboundEvent('session.changed', { profile })).toEqual({
      ok: true,
      envelope: { name: 'session.changed', payload: { profile } },
    });
  });

  it('strips fields the contract does not declare, so nothing secret reaches the renderer', () => {
    const leaky = { profile: { ...profile, identitySecretKey: 'c2VjcmV0' } };
    const result = checkOutboundEvent('session.changed', leaky);
    expect(result).toEqual({ ok: true, envelope: { name: 'session.changed', payload: { profile } } });
    expect(JSON.stringify(result)).not.toContain('c2VjcmV0');
  });

  it('refuses unknown events and payloads that break the contract', () => {
    expect(checkOutboundEvent('keys.exported', {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unknown/),
    });
    expect(checkOutboundEvent('connection.changed', { state: 'sideways', relayUrl: 'ws://x' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^connection.changed payload breaks the contract \(state: /),
    });
  });
});
