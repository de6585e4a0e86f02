/**
 * Private groups through a real relay and real WebSocket clients: signed membership changes,
 * one stored copy per message delivered to members only, in order, exactly once.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupMemberWire } from '../../shared/protocol';
import {
  GroupTestClient,
  createSyncedGroup,
  errCode,
  expectOk,
  membersOf,
  newGroupId,
  newInviteToken,
} from './testing/groups';
import { memberListHash } from './groups/signatures';
import { startTestRelay, type TestRelay } from './testing/relayFixture';

let relay: TestRelay;
const clients: GroupTestClient[] = [];
let counter = 0;

beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await relay.close();
});

async function users(count: number): Promise<GroupTestClient[]> {
  const made = await Promise.all(
    Array.from({ length: count }, () => GroupTestClient.signUp(relay.url, `user${counter++}x`)),
  );
  clients.push(...made);
  return made;
}

const createGroup = createSyncedGroup;

const without = (members: readonly GroupMemberWire[], userId: string) => members.filter((m) => m.userId !== userId);
const body = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('group list', () => {
  it("answers gList with the caller's groups and their versions, not others'", async () => {
    const [owner, bob, carol] = await users(3);
    const { gid } = await createGroup(owner!, [bob!], 'Listed');
    const listed = expectOk(await bob!.request({ t: 'gList' }), 'gListed');
    expect(listed.groups).toEqual([{ gid, version: 1 }]);
    expect(expectOk(await carol!.request({ t: 'gList' }), 'gListed').groups).toEqual([]);
  });
});

describe('group messages', () => {
  it('50 members: every member receives every other member’s message exactly once, in order; stored once', async () => {
    const all = await users(50);
    const [owner, ...others] = all;
    const { gid } = await createGroup(owner!, others);
    const senders = all.slice(0, 5);
    const sends = [];
    for (let round = 0; round < 4; round++) {
      for (const s of senders) sends.push(s.send(gid, body(`${s.userId}:${round}`)));
    }
    const answers = await Promise.all(sends);
    const seqs = answers.map((a) => expectOk(a, 'gSent').seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const expectedCount = (c: GroupTestClient) => (senders.includes(c) ? 16 : 20);
    await Promise.all(all.map((c) => c.waitUntil(() => c.messages.length >= expectedCount(c))));
    await settle();
    for (const c of all) {
      expect(c.messages).toHaveLength(expectedCount(c));
      const got = c.messages.map((m) => m.seq);
      expect(got).toEqual([...got].sort((a, b) => a - b));
      expect(new Set(got).size).toBe(got.length);
      expect(c.messages.every((m) => m.from !== c.userId)).toBe(true);
      for (const m of c.messages) expect(text(m.body).startsWith(m.from)).toBe(true);
    }
    // Per sender, its messages arrive in its send order.
    for (const s of senders) {
      const fromS = all[10]!.messages.filter((m) => m.from === s.userId).map((m) => text(m.body));
      expect(fromS).toEqual([0, 1, 2, 3].map((r) => `${s.userId}:${r}`));
    }
    // One stored copy: once every member acknowledges, the relay deletes it.
    expect((await relay.storage.groups.messagesAfter(gid, owner!.userId, 0, 100, Date.now())).length).toBe(20);
    await Promise.all(all.map((c) => c.request({ t: 'gAck', gid, seq: 20 })));
    expect(await relay.storage.groups.messagesAfter(gid, owner!.userId, 0, 100, Date.now())).toEqual([]);
  });

  it('a re-sent msgId is answered with the original seq and delivered once', async () => {
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    const first = expectOk(await a!.send(gid, body('x'), '00000000-0000-4000-8000-000000000001'), 'gSent');
    const again = expectOk(await a!.send(gid, body('x'), '00000000-0000-4000-8000-000000000001'), 'gSent');
    expect(again).toMatchObject({ seq: first.seq, duplicate: true });
    await b!.waitUntil(() => b!.messages.length >= 1);
    await settle();
    expect(b!.messages).toHaveLength(1);
  });

  it('a member who reconnects catches up from its cursor', async () => {
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    await a!.send(gid, body('1'));
    await b!.waitUntil(() => b!.messages.length >= 1);
    expectOk(await b!.request({ t: 'gAck', gid, seq: 1 }), 'ok');
    // b goes away; two more messages; b comes back on a new connection and syncs.
    await b!.close();
    clients.splice(clients.indexOf(b!), 1);
    await a!.send(gid, body('2'));
    await a!.send(gid, body('3'));
    const back = await GroupTestClient.signIn(relay.url, b!.identity);
    clients.push(back);
    expectOk(await back.request({ t: 'gSync' }), 'ok');
    await back.waitUntil(() => back.messages.length >= 2);
    await settle();
    expect(back.messages.map((m) => text(m.body))).toEqual(['2', '3']);
  });

  it('a member who sends before it has received earlier messages still gets them', async () => {
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    // b is away while a writes; it comes back and sends before it syncs.
    await b!.close();
    clients.splice(clients.indexOf(b!), 1);
    await a!.send(gid, body('from a'));
    const back = await GroupTestClient.signIn(relay.url, b!.identity);
    clients.push(back);
    expect(expectOk(await back.send(gid, body('from b')), 'gSent').seq).toBe(2);
    expectOk(await back.request({ t: 'gSync' }), 'ok');
    await back.waitUntil(() => back.messages.length >= 1);
    await settle();
    expect(back.messages.map((m) => text(m.body))).toEqual(['from a']);
    // Acknowledging past its own message moves its cursor past both.
    expectOk(await back.request({ t: 'gAck', gid, seq: 2 }), 'ok');
  });

  it('pushes at most 256 messages beyond the last gAck, then resumes on gAck', async () => {
    await relay.close();
    relay = await startTestRelay({ limits: { rateBurst: 1000 } });
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    const sends = Array.from({ length: 300 }, (_, i) => a!.send(gid, body(String(i))));
    for (const answer of await Promise.all(sends)) expectOk(answer, 'gSent');
    await b!.waitUntil(() => b!.messages.length >= 256);
    await settle();
    expect(b!.messages).toHaveLength(256);
    expectOk(await b!.request({ t: 'gAck', gid, seq: 256 }), 'ok');
    await b!.waitUntil(() => b!.messages.length >= 300);
    await settle();
    expect(b!.messages.map((m) => m.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('keeps at most maxBacklog messages: a member who never acknowledges sees a gap, not an unbounded queue', async () => {
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    const store = relay.storage.groups;
    for (let i = 1; i <= 5; i++) {
      expect(
        await store.appendMessage(gid, a!.userId, `00000000-0000-4000-8000-00000000000${i}`, body(`${i}`), i, 3),
      ).toMatchObject({ status: 'stored', seq: i });
    }
    const kept = await store.messagesAfter(gid, b!.userId, 0, 10, Date.now());
    expect(kept.map((m) => m.seq)).toEqual([3, 4, 5]);
  });

  it('a non-member cannot send, read the state or the log, or ack', async () => {
    const [a, b, outsider] = await users(3);
    const { gid } = await createGroup(a!, [b!]);
    expect(errCode(await outsider!.send(gid, body('hi')))).toBe('not_group_member');
    expect(errCode(await outsider!.request({ t: 'gInfo', gid }))).toBe('not_group_member');
    expect(errCode(await outsider!.request({ t: 'gLog', gid, after: 0 }))).toBe('not_group_member');
    expect(errCode(await outsider!.request({ t: 'gAck', gid, seq: 1 }))).toBe('not_group_member');
    expect(errCode(await outsider!.send(newGroupId(), body('hi')))).toBe('not_group_member');
    const state = expectOk(await a!.request({ t: 'gInfo', gid }), 'gState');
    expect(state.group.head).toBe(0);
  });
});

describe('membership changes', () => {
  it('after a removal the removed member receives nothing and can no longer send', async () => {
    const [a, b, c] = await users(3);
    const { gid, members } = await createGroup(a!, [b!, c!]);
    await a!.send(gid, body('before'));
    await b!.waitUntil(() => b!.messages.length >= 1);
    const after = without(members, b!.userId);
    const removal = a!.change(gid, 1, 'remove', after, { targets: [b!.userId] });
    const state = expectOk(await a!.request({ t: 'gChange', change: removal }), 'gState');
    expect(state.group.members.map((m) => m.userId).sort()).toEqual([a!.userId, c!.userId].sort());
    await b!.waitUntil(() => b!.frames.some((f) => f.t === 'gChanged' && f.change.action === 'remove'));
    await a!.send(gid, body('after'));
    await c!.waitUntil(() => c!.messages.length >= 2);
    await settle();
    expect(b!.messages.map((m) => text(m.body))).toEqual(['before']);
    expect(errCode(await b!.send(gid, body('still here?')))).toBe('not_group_member');
    expect(await relay.storage.groups.messagesAfter(gid, b!.userId, 0, 10, Date.now())).toEqual([]);
  });

  it('a member can leave; the owner cannot', async () => {
    const [a, b] = await users(2);
    const { gid, members } = await createGroup(a!, [b!]);
    const leave = b!.change(gid, 1, 'leave', without(members, b!.userId), { targets: [b!.userId] });
    expectOk(await b!.request({ t: 'gChange', change: leave }), 'gState');
    const ownerLeaves = a!.change(gid, 2, 'leave', [], { targets: [a!.userId] });
    expect(errCode(await a!.request({ t: 'gChange', change: ownerLeaves }))).toBe('bad_group_change');
  });

  it('a non-admin cannot add, remove, rename or create invite links; nothing changes', async () => {
    const [a, b, c, d] = await users(4);
    const { gid, members } = await createGroup(a!, [b!, c!]);
    const add = c!.change(gid, 1, 'add', [...members, { userId: d!.userId, role: 'member' }], { targets: [d!.userId] });
    expect(errCode(await c!.request({ t: 'gChange', change: add }))).toBe('not_group_admin');
    const remove = c!.change(gid, 1, 'remove', without(members, b!.userId), { targets: [b!.userId] });
    expect(errCode(await c!.request({ t: 'gChange', change: remove }))).toBe('not_group_admin');
    const rename = c!.change(gid, 1, 'rename', members, { name: 'Mine now' });
    expect(errCode(await c!.request({ t: 'gChange', change: rename }))).toBe('not_group_admin');
    const invite = c!.change(gid, 1, 'invite', members, { invite: { token: newInviteToken(), approval: false } });
    expect(errCode(await c!.request({ t: 'gChange', change: invite }))).toBe('not_group_admin');
    const promote = c!.change(gid, 1, 'promote', members, { targets: [c!.userId] });
    expect(errCode(await c!.request({ t: 'gChange', change: promote }))).toBe('not_owner');
    const state = expectOk(await a!.request({ t: 'gInfo', gid }), 'gState');
    expect(state.group).toMatchObject({ version: 1, name: 'Team' });
    expect(state.group.members).toHaveLength(3);
  });

  it('refuses forged changes: wrong signer, tampered after signing, wrong actor, wrong hash, stale version', async () => {
    const [a, b, c, d] = await users(4);
    const { gid, members } = await createGroup(a!, [b!, c!]);
    const withD = [...members, { userId: d!.userId, role: 'member' as const }];
    const genuine = a!.change(gid, 1, 'add', withD, { targets: [d!.userId] });
    // Signed by someone else's key (a relay or member forging the admin's change).
    const wrongSigner = a!.sign({ ...genuine, sig: undefined, ts: undefined } as never, c!.identity);
    expect(errCode(await a!.request({ t: 'gChange', change: wrongSigner }))).toBe('bad_signature');
    // Tampered after signing.
    const tampered = { ...genuine, targets: [b!.userId] };
    expect(errCode(await a!.request({ t: 'gChange', change: tampered }))).toBe('bad_signature');
    // An admin's genuine change submitted by another member.
    expect(errCode(await c!.request({ t: 'gChange', change: genuine }))).toBe('bad_group_change');
    // A member list hash that is not the list after the change.
    const badHash = a!.change(gid, 1, 'add', members, { targets: [d!.userId] });
    expect(errCode(await a!.request({ t: 'gChange', change: badHash }))).toBe('bad_group_change');
    // A version that is not current + 1.
    const stale = a!.change(gid, 0, 'rename', members, { name: 'x' });
    expect(errCode(await a!.request({ t: 'gChange', change: stale }))).toBe('group_version_conflict');
    expect(expectOk(await a!.request({ t: 'gInfo', gid }), 'gState').group.version).toBe(1);
    // The genuine one still applies, and the signed log replays.
    expectOk(await a!.request({ t: 'gChange', change: genuine }), 'gState');
    const log = expectOk(await d!.request({ t: 'gLog', gid, after: 0 }), 'gChanges');
    expect(log.changes.map((ch) => [ch.version, ch.action])).toEqual([
      [1, 'create'],
      [2, 'add'],
    ]);
    expect(Buffer.from(log.changes[1]!.sig!)).toEqual(Buffer.from(genuine.sig!));
  });

  it('the owner promotes admins; an admin adds members but cannot remove another admin', async () => {
    const [a, b, c, d] = await users(4);
    const { gid, members } = await createGroup(a!, [b!, c!]);
    const promoted = members.map((m) => (m.userId === b!.userId ? { ...m, role: 'admin' as const } : m));
    expectOk(
      await a!.request({ t: 'gChange', change: a!.change(gid, 1, 'promote', promoted, { targets: [b!.userId] }) }),
      'gState',
    );
    await b!.waitUntil(() => b!.frames.some((f) => f.t === 'gChanged' && f.change.version === 2));
    const withD = [...promoted, { userId: d!.userId, role: 'member' as const }];
    expectOk(
      await b!.request({ t: 'gChange', change: b!.change(gid, 2, 'add', withD, { targets: [d!.userId] }) }),
      'gState',
    );
    // c becomes admin too; b may not remove c.
    const both = withD.map((m) => (m.userId === c!.userId ? { ...m, role: 'admin' as const } : m));
    expectOk(
      await a!.request({ t: 'gChange', change: a!.change(gid, 3, 'promote', both, { targets: [c!.userId] }) }),
      'gState',
    );
    const removeC = b!.change(gid, 4, 'remove', without(both, c!.userId), { targets: [c!.userId] });
    expect(errCode(await b!.request({ t: 'gChange', change: removeC }))).toBe('not_owner');
  });
});

describe('invite links', () => {
  it('an open link admits at once; once revoked, joining is refused', async () => {
    const [a, b, d, e] = await users(4);
    const { gid, members } = await createGroup(a!, [b!]);
    const link = { token: newInviteToken(), approval: false };
    expectOk(
      await a!.request({ t: 'gChange', change: a!.change(gid, 1, 'invite', members, { invite: link }) }),
      'gState',
    );
    const joined = expectOk(await d!.request({ t: 'gJoin', token: link.token }), 'gState');
    expect(joined.group.members.map((m) => m.userId)).toContain(d!.userId);
    const log = expectOk(await a!.request({ t: 'gLog', gid, after: 2 }), 'gChanges');
    expect(log.changes[0]).toMatchObject({ action: 'join', actor: d!.userId, sig: null, version: 3 });
    const withD = [...members, { userId: d!.userId, role: 'member' as const }];
    expectOk(
      await a!.request({ t: 'gChange', change: a!.change(gid, 3, 'revoke', withD, { invite: link }) }),
      'gState',
    );
    expect(errCode(await e!.request({ t: 'gJoin', token: link.token }))).toBe('invalid_invite');
    expect(errCode(await e!.request({ t: 'gJoin', token: newInviteToken() }))).toBe('invalid_invite');
  });

  it('an approval link makes a request the admins see; an admin’s signed add lets the user in', async () => {
    const [a, b, e] = await users(3);
    const { gid, members } = await createGroup(a!, [b!]);
    const link = { token: newInviteToken(), approval: true };
    expectOk(
      await a!.request({ t: 'gChange', change: a!.change(gid, 1, 'invite', members, { invite: link }) }),
      'gState',
    );
    await a!.send(gid, body('before e'));
    expectOk(await e!.request({ t: 'gJoin', token: link.token }), 'gJoinPending');
    await a!.waitUntil(() => a!.frames.some((f) => f.t === 'gJoinReq' && f.userId === e!.userId));
    expect(expectOk(await a!.request({ t: 'gInfo', gid }), 'gState').group.pending).toEqual([e!.userId]);
    expect(expectOk(await b!.request({ t: 'gInfo', gid }), 'gState').group.pending).toEqual([]);
    expect(errCode(await e!.send(gid, body('let me in')))).toBe('not_group_member');
    const withE = [...members, { userId: e!.userId, role: 'member' as const }];
    const approve = a!.change(gid, 2, 'add', withE, { targets: [e!.userId] });
    expectOk(await a!.request({ t: 'gChange', change: approve }), 'gState');
    await e!.waitUntil(() => e!.frames.some((f) => f.t === 'gChanged' && f.change.version === 3));
    expectOk(await e!.request({ t: 'gSync' }), 'ok');
    expect(expectOk(await a!.request({ t: 'gInfo', gid }), 'gState').group.pending).toEqual([]);
    await a!.send(gid, body('welcome'));
    await e!.waitUntil(() => e!.messages.length >= 1);
    await settle();
    // A new member is sent nothing from before it joined.
    expect(e!.messages.map((m) => text(m.body))).toEqual(['welcome']);
  });
});

describe('bad requests', () => {
  it('a taken group id, a create naming unknown users and one above 1,000 members are refused', async () => {
    const [a, b] = await users(2);
    const { gid } = await createGroup(a!, [b!]);
    const again = a!.sign({
      gid,
      version: 1,
      action: 'create',
      actor: a!.userId,
      targets: [],
      name: 'Again',
      invite: null,
      memberHash: memberListHash(membersOf(a!.userId, [])) as Uint8Array<ArrayBuffer>,
    });
    expect(errCode(await a!.request({ t: 'gCreate', change: again }))).toBe('group_exists');
    const ghosts = Array.from({ length: 2 }, () => `u_${randomBytes(16).toString('base64url').slice(0, 22)}`);
    const ghostGroup = a!.sign({
      gid: newGroupId(),
      version: 1,
      action: 'create',
      actor: a!.userId,
      targets: ghosts,
      name: 'Ghosts',
      invite: null,
      memberHash: memberListHash(membersOf(a!.userId, ghosts)) as Uint8Array<ArrayBuffer>,
    });
    expect(errCode(await a!.request({ t: 'gCreate', change: ghostGroup }))).toBe('not_found');
    const crowd = Array.from({ length: 1000 }, (_, i) => `u_${String(i).padStart(22, '0')}`);
    const tooBig = a!.sign({
      gid: newGroupId(),
      version: 1,
      action: 'create',
      actor: a!.userId,
      targets: crowd,
      name: 'Crowd',
      invite: null,
      memberHash: memberListHash(membersOf(a!.userId, crowd)) as Uint8Array<ArrayBuffer>,
    });
    expect(errCode(await a!.request({ t: 'gCreate', change: tooBig }))).toBe('group_full');
  });
});
