import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../shared/protocol';
import { resolveLimits } from './limits';

describe('relay limits', () => {
  it('defaults to the protocol limits and applies overrides', () => {
    expect(resolveLimits()).toEqual(LIMITS);
    expect(resolveLimits({ maxQueueDepth: 3, rateBurst: undefined })).toEqual({ ...LIMITS, maxQueueDepth: 3 });
  });

  it('rejects limits that cannot work', () => {
    expect(() => resolveLimits({ heartbeatMs: 0 })).toThrow(/heartbeatMs/);
    expect(() => resolveLimits({ ratePerSecond: Number.NaN })).toThrow(/ratePerSecond/);
    expect(() => resolveLimits({ maxFrameBytes: LIMITS.maxFrameBytes + 1 })).toThrow(/protocol limits/);
    expect(() => resolveLimits({ deliveryWindow: LIMITS.deliveryWindow + 1 })).toThrow(/deliveryWindow/);
    expect(() => resolveLimits({ sendBufferHighWater: 10, sendBufferHardLimit: 5 })).toThrow(/sendBufferHardLimit/);
  });
});
