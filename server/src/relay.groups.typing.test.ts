/**
 * Group typing signals through a running relay: pushed to the other members that are
 * online now, never stored or delivered later, refused for non-members, and at most
 * one per (sender, group) every two seconds.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ServerFrame } from '../../shared/protocol';
import { TYPING_INTERVAL_MS } from './groups/services';
import { GroupTestClient, createSyncedGroup, errCode, expectOk, newGroupId } from './testing/groups';
import { relayForTest } from './testSupport';

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
const typings = (c: GroupTestClient) =>
  c.frames.filter((f): f is Extract<ServerFrame, { t: 'gTyping' }> => f.t === 'gTyping');

async function client(connect: Promise<GroupTestClient>): Promise<GroupTestClient> {
  const made = await connect;
  onTestFinished(() => made.close());
  return made;
}

async function signUpAll(url: string, names: readonly string[]): Promise<GroupTestClient[]> {
  return Promise.all(names.map((name) => client(GroupTestClient.signUp(url, name))));
}

describe('group typing signals', () => {
  it('reach the other online members, not the sender, outsiders or a member who connects later', async () => {
    const relay = await relayForTest();
    const [a, b, c, d, outsider] = await signUpAll(relay.url, ['amy', 'ben', 'cal', 'dee', 'out']);
    const { gid } = await createSyncedGroup(a!, [b!, c!, d!]);
    expectOk(await outsider!.request({ t: 'gSync' }), 'ok');
    await d!.close(); // offline while a types

    expectOk(await a!.request({ t: 'gTyping', gid }), 'ok');
    for (const member of [b!, c!]) {
      const [signal] = await member.waitUntil(() => (typings(member).length > 0 ? typings(member) : undefined));
      expect(signal).toEqual({ t: 'gTyping', gid, from: a!.userId });
    }
    const back = await client(GroupTestClient.signIn(relay.url, d!.identity));
    expectOk(await back.request({ t: 'gSync' }), 'ok');
    await settle();
    for (const conn of [a!, outsider!, back]) expect(typings(conn)).toEqual([]);
    expect(typings(b!)).toHaveLength(1);
    // Nothing was stored for it.
    expect(expectOk(await a!.request({ t: 'gInfo', gid }), 'gState').group.head).toBe(0);
  });

  it('is refused with not_group_member for a non-member and for an unknown group', async () => {
    const relay = await relayForTest();
    const [a, b, outsider] = await signUpAll(relay.url, ['dot', 'eli', 'fay']);
    const { gid } = await createSyncedGroup(a!, [b!]);
    expectOk(await outsider!.request({ t: 'gSync' }), 'ok');
    expect(errCode(await outsider!.request({ t: 'gTyping', gid }))).toBe('not_group_member');
    expect(errCode(await a!.request({ t: 'gTyping', gid: newGroupId() }))).toBe('not_group_member');
    await settle();
    expect(typings(a!)).toEqual([]);
    expect(typings(b!)).toEqual([]);
  });

  it('pushes at most one signal per sender and group every two seconds; the rest are answered ok', async () => {
    let now = 3_000_000;
    const relay = await relayForTest({ now: () => now });
    const [a, b] = await signUpAll(relay.url, ['gus', 'hal']);
    const { gid } = await createSyncedGroup(a!, [b!]);
    expectOk(await a!.request({ t: 'gTyping', gid }), 'ok');
    expectOk(await a!.request({ t: 'gTyping', gid }), 'ok');
    // Another sender in the same group is not held back by a's signal.
    expectOk(await b!.request({ t: 'gTyping', gid }), 'ok');
    await a!.waitUntil(() => typings(a!).length >= 1);
    await settle();
    expect(typings(b!)).toHaveLength(1);
    now += TYPING_INTERVAL_MS;
    expectOk(await a!.request({ t: 'gTyping', gid }), 'ok');
    await b!.waitUntil(() => typings(b!).length >= 2);
    await settle();
    expect(typings(b!)).toHaveLength(2);
  });
});
