import { describe, expect, it } from 'vitest';
import { relayForTest, signUpForTest } from './testSupport';
import { expectFrame } from './testing/client';

describe('relay directory', () => {
  it('looks users up by username or id, and answers not_found for nobody', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const bob = await signUpForTest(url, 'bob');

    const byName = expectFrame(await alice.client.lookup({ username: 'bob' }), 'user');
    expect(byName.user.userId).toBe(bob.user.userId);
    expect(Buffer.from(byName.user.dhKey)).toEqual(Buffer.from(bob.identity.dhKey));
    const byId = expectFrame(await alice.client.lookup({ userId: bob.user.userId }), 'user');
    expect(byId.user.username).toBe('bob');
    expect(await alice.client.lookup({ username: 'carol' })).toMatchObject({ t: 'err', code: 'not_found' });
    expect(await alice.client.lookup({ userId: 'u_AAAAAAAAAAAAAAAAAAAAAA' })).toMatchObject({
      t: 'err',
      code: 'not_found',
    });
  });

  it('requires exactly one of username and userId', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    const both = await alice.client.request({ t: 'lookup', username: 'alice', userId: alice.user.userId });
    const neither = await alice.client.request({ t: 'lookup' });
    expect(both).toMatchObject({ t: 'err', code: 'bad_frame' });
    expect(neither).toMatchObject({ t: 'err', code: 'bad_frame' });
  });

  it('searches by username prefix, case-insensitively, treating _ and % literally', async () => {
    const { url } = await relayForTest();
    const alice = await signUpForTest(url, 'alice');
    for (const name of ['abb', 'a_b', 'abe']) await signUpForTest(url, name);
    const found = async (prefix: string) =>
      expectFrame(await alice.client.search(prefix), 'users').users.map((user) => user.username);

    expect(await found('a_')).toEqual(['a_b']); // not 'abb'
    expect(await found('AB')).toEqual(['abb', 'abe']);
    expect(await found('a')).toEqual(['a_b', 'abb', 'abe', 'alice']);
    expect(await found('%')).toEqual([]);
    expect(await found('zed')).toEqual([]);
  });

  it('returns at most maxSearchResults users', async () => {
    const { url } = await relayForTest({ limits: { maxSearchResults: 2 } });
    const alice = await signUpForTest(url, 'alice');
    for (const name of ['amy', 'ann']) await signUpForTest(url, name);
    expect(expectFrame(await alice.client.search('a'), 'users').users.map((user) => user.username)).toEqual([
      'alice',
      'amy',
    ]);
  });
});
