import { describe, expect, it } from 'vitest';
import { bannerState, type BannerInput } from './bannerState';

const base: BannerInput = {
  link: 'up',
  relay: { state: 'online', relayUrl: 'ws://relay' },
  retryAt: null,
  showRelay: true,
  now: 100_000,
};

describe('connection banner', () => {
  it('is hidden when everything is online, or before the relay matters', () => {
    expect(bannerState(base)).toEqual({ kind: 'hidden' });
    expect(bannerState({ ...base, relay: { state: 'offline', relayUrl: '' }, showRelay: false })).toEqual({
      kind: 'hidden',
    });
  });

  it('says the core is lost before anything about the relay', () => {
    expect(bannerState({ ...base, link: 'down', relay: { state: 'offline', relayUrl: '' } })).toEqual({
      kind: 'coreLost',
    });
    expect(bannerState({ ...base, link: 'down', showRelay: false })).toEqual({ kind: 'coreLost' });
  });

  it('counts down to the next reconnect attempt in whole seconds, rounding up', () => {
    const offline = { ...base, relay: { state: 'offline' as const, relayUrl: '' }, retryAt: 104_200 };
    expect(bannerState(offline)).toEqual({ kind: 'offline', retryInSeconds: 5 });
    expect(bannerState({ ...offline, now: 104_000 })).toEqual({ kind: 'offline', retryInSeconds: 1 });
    expect(bannerState({ ...offline, now: 104_200 })).toEqual({ kind: 'connecting' });
  });

  it('says offline without a number when the core gave no retry time, and connecting while it tries', () => {
    expect(bannerState({ ...base, relay: { state: 'offline', relayUrl: '' } })).toEqual({
      kind: 'offline',
      retryInSeconds: null,
    });
    expect(bannerState({ ...base, relay: { state: 'connecting', relayUrl: '' } })).toEqual({ kind: 'connecting' });
  });
});
