import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import type { RelayLink } from '../relay/link';
import { RelayError } from '../relay/relayError';
import { fakeUserId, openTestStore } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { KEY_CHECK_OVERLAP_MS, KEYS_CHECKED_SETTING, KeyChangeCheck } from './keyCheck';

const dirs = tempDirs();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  dirs.cleanup();
});

type Answer = { userIds: string[]; until: number; more: boolean } | Error;

function setup() {
  const store = openTestStore(dirs.make());
  cleanups.push(() => store.close());
  const asked: number[] = [];
  const answers: Answer[] = [];
  const link = {
    isOnline: () => true,
    request: async (frame: { t: string; since?: number }) => {
      if (frame.t !== 'keysChanged' || frame.since === undefined) throw new Error(`unexpected ${frame.t}`);
      asked.push(frame.since);
      const answer = answers.shift();
      if (!answer) throw new Error('no answer scripted');
      if (answer instanceof Error) throw answer;
      return { t: 'keysChangedList', re: 0, ...answer };
    },
  } as unknown as RelayLink;
  const refreshed: string[] = [];
  const failing = new Map<string, Error>();
  const directory = {
    refresh: async (userId: string) => {
      const error = failing.get(userId);
      if (error) throw error;
      refreshed.push(userId);
    },
  };
  const check = new KeyChangeCheck(store, link, directory, silentLogger);
  const mark = () => store.lifecycle.getSetting(KEYS_CHECKED_SETTING);
  return { store, check, asked, answers, refreshed, failing, mark };
}

describe('KeyChangeCheck', () => {
  it('asks for everything at first, then from its mark (relay clock) less the overlap', async () => {
    const { check, asked, answers, refreshed, mark } = setup();
    const bob = fakeUserId();
    answers.push({ userIds: [], until: 1_000_000, more: false });
    await check.start();
    expect(asked).toEqual([0]);
    expect(mark()).toBe('1000000');

    answers.push({ userIds: [bob], until: 2_000_000, more: false });
    await check.start();
    expect(asked).toEqual([0, 1_000_000 - KEY_CHECK_OVERLAP_MS]);
    expect(refreshed).toEqual([bob]);
    expect(mark()).toBe('2000000');

    // An answer behind the mark (another relay node's clock) never moves it back.
    answers.push({ userIds: [], until: 1_500_000, more: false });
    await check.start();
    expect(mark()).toBe('2000000');
  });

  it('keeps the mark when the request or a refresh fails, and asks the same again next time', async () => {
    const { store, check, asked, answers, refreshed, failing, mark } = setup();
    store.transaction(() => store.lifecycle.setSetting(KEYS_CHECKED_SETTING, '10000000'));
    const since = 10_000_000 - KEY_CHECK_OVERLAP_MS;
    const [bob, carol, gone] = [fakeUserId(), fakeUserId(), fakeUserId()];

    answers.push(new RelayError('timeout', 'no answer'));
    await check.start();
    expect(mark()).toBe('10000000');

    failing.set(carol, new RelayError('disconnected', 'offline'));
    failing.set(gone, new RelayError('not_found', 'no such user'));
    answers.push({ userIds: [gone, bob, carol], until: 11_000_000, more: false });
    await check.start();
    expect(refreshed).toEqual([bob]);
    expect(mark()).toBe('10000000');

    failing.delete(carol);
    answers.push({ userIds: [gone, bob, carol], until: 12_000_000, more: false });
    await check.start();
    expect(asked).toEqual([since, since, since]);
    // A user the relay no longer knows is skipped, not retried forever.
    expect(refreshed).toEqual([bob, bob, carol]);
    expect(mark()).toBe('12000000');
  });

  it('follows `more` page by page, moving the mark after each complete page', async () => {
    const { check, asked, answers, refreshed, failing, mark } = setup();
    const [bob, carol, dave] = [fakeUserId(), fakeUserId(), fakeUserId()];
    failing.set(dave, new RelayError('timeout', 'no answer'));
    answers.push({ userIds: [bob], until: 500, more: true });
    answers.push({ userIds: [carol, dave], until: 900, more: false });
    await check.start();
    expect(asked).toEqual([0, 500]);
    expect(refreshed).toEqual([bob, carol]);
    expect(mark()).toBe('500');
  });

  it('runs one check at a time; a login during a check runs another after it', async () => {
    const { check, asked, answers, mark } = setup();
    answers.push({ userIds: [], until: KEY_CHECK_OVERLAP_MS + 1, more: false });
    answers.push({ userIds: [], until: KEY_CHECK_OVERLAP_MS + 2, more: false });
    const first = check.start();
    const second = check.start();
    await Promise.all([first, second]);
    expect(asked).toEqual([0, 1]);
    expect(mark()).toBe(String(KEY_CHECK_OVERLAP_MS + 2));
    await check.stop();
    await check.start();
    expect(asked).toHaveLength(2);
  });
});
