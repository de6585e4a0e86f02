import { describe, expect, it } from 'vitest';
import { groupMessage } from '../../test-support/fakeBridge';
import { groupReadPoint } from './groupRead';

describe('group read point', () => {
  it('is nothing for an empty group', () => {
    expect(groupReadPoint([], 3)).toBeNull();
  });

  it('reads up to the newest line shown, naming the newest line others wrote', () => {
    const lines = [groupMessage({ id: 'theirs' }), groupMessage({ id: 'ours', fromMe: true })];
    expect(groupReadPoint(lines, 0)).toEqual({ upToId: 'ours', incomingId: 'theirs', pending: false });
    expect(groupReadPoint(lines, 1)?.pending).toBe(true);
  });

  it('has something pending while others’ timed messages have not started counting down', () => {
    const waiting = groupMessage({ id: 't', expiresIn: 5 });
    expect(groupReadPoint([waiting], 0)?.pending).toBe(true);
    expect(groupReadPoint([{ ...waiting, expiresAt: 99 }], 0)?.pending).toBe(false);
    // Ours count down from when the relay took them, not when we read them.
    expect(groupReadPoint([groupMessage({ fromMe: true, expiresIn: 5 })], 0)).toMatchObject({
      incomingId: undefined,
      pending: false,
    });
  });
});
