/**
 * Private groups between real cores through a real relay: Sender Keys distributed over the
 * 1:1 sessions, a 50-member group, removal (the removed member cannot read what follows),
 * joining (no earlier messages), replayed and reordered delivery, refusals of forged or
 * unauthorised changes, and a relay database without plaintext.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type GroupMessageView } from '../../../shared/ipc';
import type { GroupChangeWire } from '../../../shared/protocol';
import {
  deserializeReceiverKeyState,
  deserializeSenderKeyState,
  groupDecrypt,
  groupEncrypt,
  isSenderKeyError,
} from '../crypto/senderKeys';
import { packr } from '../crypto/msgpack';
import { utf8 } from '../crypto/bytes';
import { memberList, memberListHash, signChange } from '../groups/log';
import type { GroupService } from '../groups/service';
import { FrameProxy } from './frameProxy';
import { Harness, signUp, waitFor, type TestClient } from './harness';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(() => h.cleanup());

async function member(name: string, relayUrl?: string): Promise<{ client: TestClient; groups: () => GroupService }> {
  let service: GroupService | null = null;
  const client = await h.client(name, relayUrl ?? h.relay.url, {
    inspectGroups: (g) => {
      service = g;
    },
  });
  await signUp(client, name, name.toUpperCase());
  return { client, groups: () => service! };
}

const userIdOf = async (client: TestClient) => (await client.call('session.status', {})).profile!.userId;

async function texts(client: TestClient, groupId: string): Promise<string[]> {
  const { messages } = await client.call('groups.history', { groupId });
  return messages.filter((m) => m.kind === 'text').map((m) => m.text);
}

async function waitForTexts(client: TestClient, groupId: string, expected: string[]): Promise<GroupMessageView[]> {
  await waitFor(
    async () => {
      const got = await texts(client, groupId).catch((): string[] => []);
      return expected.every((t) => got.includes(t));
    },
    `${client.name} to read ${expected.join(', ')}`,
  );
  return (await client.call('groups.history', { groupId })).messages;
}

type RelayRow = { seq: number; sender_id: string; msg_id: string; ts: number; body: Uint8Array };

function relayRows(dbFile: string, gid: string): RelayRow[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT seq, sender_id, msg_id, ts, body FROM group_messages WHERE group_id = ? ORDER BY seq')
      .all(gid) as RelayRow[];
  } finally {
    db.close();
  }
}

/** The push the relay would send for a stored row (to feed a core directly). */
const gMsgOf = (gid: string, row: RelayRow) => ({
  t: 'gMsg' as const,
  gid,
  seq: row.seq,
  from: row.sender_id,
  msgId: row.msg_id,
  ts: row.ts,
  body: row.body as Uint8Array<ArrayBuffer>,
});

describe('groups between cores', () => {
  it('delivers every message of a 50-member group to every member exactly once', { timeout: 240_000 }, async () => {
    const members = [];
    for (let i = 0; i < 50; i++) members.push(await member(`m${String(i).padStart(2, '0')}`));
    const ids = await Promise.all(members.map((m) => userIdOf(m.client)));
    const owner = members[0]!.client;
    const group = await owner.call('groups.create', { name: 'Fifty', memberIds: ids.slice(1) });
    expect(group).toMatchObject({ memberCount: 50, role: 'owner', encrypted: true, membershipMismatch: false });
    for (const m of members) await m.client.event('group.updated', (g) => g.id === group.id && g.memberCount === 50);

    const senders = [0, 17, 42];
    const sent: string[] = [];
    for (const i of senders) {
      for (const n of [1, 2]) {
        const text = `from m${i} #${n}`;
        await members[i]!.client.call('groups.send', { groupId: group.id, text });
        sent.push(text);
      }
    }
    for (const [i, m] of members.entries()) {
      const history = await waitForTexts(m.client, group.id, sent);
      const own = senders.includes(i) ? 2 : 0;
      const received = history.filter((x) => x.kind === 'text' && !x.fromMe);
      expect(received).toHaveLength(sent.length - own);
      expect(new Set(history.map((x) => x.id)).size).toBe(history.length);
      const view = (await m.client.call('groups.list', {})).groups.find((g) => g.id === group.id)!;
      expect(view.unread).toBe(sent.length - own);
      expect(view.memberCount).toBe(50);
    }
    // Sender names: each member sees who wrote what.
    const seen = (await members[5]!.client.call('groups.history', { groupId: group.id })).messages;
    expect(seen.find((x) => x.text === 'from m17 #1')?.senderName).toBe('M17');

    // The relay holds ciphertext only.
    const disk = h.relay.filesOnDisk();
    for (const text of sent) expect(disk.includes(Buffer.from(text))).toBe(false);
  });

  it('a removed member (holding all its old keys) cannot read what follows; the relay never sends it', async () => {
    const proxy = await FrameProxy.start(h.relay.url);
    try {
      const a = await member('alice');
      const b = await member('bob');
      const c = await member('carol', proxy.url);
      const [bId, cId] = [await userIdOf(b.client), await userIdOf(c.client)];
      const group = await a.client.call('groups.create', { name: 'Trio', memberIds: [bId, cId] });
      await b.client.event('group.updated', (g) => g.id === group.id);
      await b.client.call('groups.send', { groupId: group.id, text: 'before removal' });
      await waitForTexts(c.client, group.id, ['before removal']);
      await waitForTexts(a.client, group.id, ['before removal']);
      const oldKey = c.client.store.db
        .prepare('SELECT state FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?')
        .get(group.id, bId) as { state: Uint8Array };
      expect(oldKey).toBeDefined();

      await a.client.call('groups.removeMember', { groupId: group.id, userId: cId });
      const removed = await c.client.event('group.updated', (g) => g.id === group.id && g.status === 'removed');
      expect(removed.status).toBe('removed');
      await b.client.event('group.updated', (g) => g.id === group.id && g.memberCount === 2);

      const after = await b.client.call('groups.send', { groupId: group.id, text: 'after removal' });
      await waitForTexts(a.client, group.id, ['after removal']);

      // Never pushed to carol.
      expect(proxy.serverFrames.some((f) => f.t === 'gMsg' && f.msgId === after.id)).toBe(false);
      expect(await texts(c.client, group.id)).not.toContain('after removal');
      // Its old chain for bob does not open the new message: bob rotated.
      const row = relayRows(h.relay.dbFile, group.id).find((r) => r.msg_id === after.id);
      if (row) {
        let code = '';
        try {
          groupDecrypt(deserializeReceiverKeyState(oldKey.state), row.body, Date.now(), utf8(after.id));
        } catch (err) {
          code = isSenderKeyError(err) ? err.code : 'other';
        }
        expect(code).toBe('unknown_generation');
      }
      // Bob's new distribution went to alice only (none queued or sent to carol after removal).
      // The removed member sees why, and cannot send.
      const lines = (await c.client.call('groups.history', { groupId: group.id })).messages;
      expect(lines.at(-1)).toMatchObject({ kind: 'system', system: { action: 'remove', aboutMe: true } });
      const refused = await dispatch(c.client.core.handlers, 'groups.send', { groupId: group.id, text: 'hello?' });
      expect(refused).toMatchObject({ ok: false, code: 'not_group_member' });
    } finally {
      await proxy.close();
    }
  });

  it('a joining member cannot read earlier messages; invite links and roles are enforced', async () => {
    const a = await member('alice');
    const b = await member('bob');
    const d = await member('dave');
    const [bId, dId] = [await userIdOf(b.client), await userIdOf(d.client)];
    const group = await a.client.call('groups.create', { name: 'Club', memberIds: [bId] });
    await a.client.call('groups.send', { groupId: group.id, text: 'secret before dave' });
    await waitForTexts(b.client, group.id, ['secret before dave']);

    // Non-admins are refused with a specific error; nothing changes.
    const refused = await dispatch(b.client.core.handlers, 'groups.addMembers', { groupId: group.id, userIds: [dId] });
    expect(refused).toMatchObject({ ok: false, code: 'not_group_admin' });
    expect((await b.client.call('groups.members', { groupId: group.id })).members).toHaveLength(2);

    const { link } = await a.client.call('groups.createInvite', { groupId: group.id, approval: false });
    const joined = await d.client.call('groups.joinByInvite', { link });
    expect(joined).toMatchObject({ status: 'joined', group: { memberCount: 3, status: 'active' } });
    await b.client.event('group.updated', (g) => g.id === group.id && g.memberCount === 3);

    await a.client.call('groups.send', { groupId: group.id, text: 'welcome dave' });
    await waitForTexts(d.client, group.id, ['welcome dave']);
    expect(await texts(d.client, group.id)).toEqual(['welcome dave']);

    // Promotion: the owner makes bob an admin; bob may now add.
    await a.client.call('groups.setRole', { groupId: group.id, userId: bId, role: 'admin' });
    await b.client.event('group.updated', (g) => g.id === group.id && g.role === 'admin');
    const roles = (await d.client.call('groups.members', { groupId: group.id })).members.map((m) => m.role);
    expect(roles.sort()).toEqual(['admin', 'member', 'owner']);

    // Revoked links admit nobody.
    await a.client.call('groups.revokeInvite', { groupId: group.id, token: link.split('/').at(-1)! });
    const e = await member('erin');
    const late = await dispatch(e.client.core.handlers, 'groups.joinByInvite', { link });
    expect(late).toMatchObject({ ok: false });

    // Dave leaves; the others see the line and the new count.
    await d.client.call('groups.leave', { groupId: group.id });
    await a.client.event('group.updated', (g) => g.id === group.id && g.memberCount === 2);
  });

  it('handles duplicate and out-of-order delivery; refuses forged changes, leaving state unchanged', async () => {
    const a = await member('alice');
    const r = await member('rita');
    const rId = await userIdOf(r.client);
    const group = await a.client.call('groups.create', { name: 'Order', memberIds: [rId] });
    await a.client.call('groups.send', { groupId: group.id, text: 'm0' });
    await waitForTexts(r.client, group.id, ['m0']);
    await r.client.close();

    const later: GroupMessageView[] = [];
    for (const text of ['m1', 'm2', 'm3']) later.push(await a.client.call('groups.send', { groupId: group.id, text }));
    await waitFor(async () => {
      const { messages } = await a.client.call('groups.history', { groupId: group.id });
      return messages.filter((m) => m.status === 'sent').length === 4;
    }, 'alice to send');
    const rows = relayRows(h.relay.dbFile, group.id).filter((row) => later.some((m) => m.id === row.msg_id));
    expect(rows).toHaveLength(3);
    const frame = (row: RelayRow) => gMsgOf(group.id, row);

    // Rita comes back without the relay (offline) and is fed the frames reordered and repeated.
    await r.client.reopen('ws://127.0.0.1:9/v1/ws');
    const service = r.groups();
    for (const i of [2, 0, 2, 1, 0]) service.onPush(frame(rows[i]!));
    await service.idle();
    expect(await texts(r.client, group.id)).toEqual(['m0', 'm3', 'm1', 'm2']);
    const view = (await r.client.call('groups.list', {})).groups[0]!;
    expect(view.unread).toBe(4);

    // A forged change (signed by rita's key but naming alice as actor) is refused: nothing changes.
    const state = service.repo.logState(group.id)!;
    const forged: GroupChangeWire = signChange(
      {
        gid: group.id,
        version: state.version + 1,
        action: 'rename',
        actor: (await userIdOf(a.client)) as string,
        targets: [],
        name: 'Forged',
        invite: null,
        memberHash: memberListHash(memberList(state)),
        sig: null,
        ts: 0,
      },
      r.client.store.account.get()!.keys.identitySecretKey,
    );
    service.onPush({ t: 'gChanged', change: forged });
    await service.idle();
    const after = (await r.client.call('groups.list', {})).groups[0]!;
    expect(after).toMatchObject({ name: 'Order', membershipMismatch: true });
    expect(service.repo.logState(group.id)!.version).toBe(state.version);
  });

  it('shows a group one was added to while offline at the next login, and notices a removal missed offline', async () => {
    const a = await member('alice');
    const b = await member('bob');
    const c = await member('carol');
    const [bId, cId] = [await userIdOf(b.client), await userIdOf(c.client)];
    const kept = await a.client.call('groups.create', { name: 'Kept', memberIds: [cId] });
    await c.client.event('group.updated', (g) => g.id === kept.id);
    await b.client.close();
    await c.client.close();
    // While they are away: Bob is put in a new group where nobody writes, Carol is removed.
    const quiet = await a.client.call('groups.create', { name: 'Quiet', memberIds: [bId] });
    await a.client.call('groups.removeMember', { groupId: kept.id, userId: cId });

    await b.client.reopen();
    const seen = await b.client.event('group.updated', (g) => g.id === quiet.id);
    expect(seen).toMatchObject({ name: 'Quiet', status: 'active', memberCount: 2 });
    await c.client.reopen();
    await c.client.event('group.updated', (g) => g.id === kept.id && g.status === 'removed');
    await expect(c.client.call('groups.send', { groupId: kept.id, text: 'still here?' })).rejects.toThrow(
      /not_group_member/,
    );
  });

  it('shows a message that waited for its sender key where it arrived, not where it opened', async () => {
    const a = await member('alice');
    const b = await member('bob');
    const r = await member('rita');
    const [aId, bId, rId] = [await userIdOf(a.client), await userIdOf(b.client), await userIdOf(r.client)];
    const group = await a.client.call('groups.create', { name: 'Waiting', memberIds: [bId, rId] });
    await b.client.event('group.updated', (g) => g.id === group.id);
    await a.client.call('groups.send', { groupId: group.id, text: 'a0' });
    await waitForTexts(b.client, group.id, ['a0']);
    await b.client.call('groups.send', { groupId: group.id, text: 'b0' });
    await waitForTexts(r.client, group.id, ['a0', 'b0']);
    await r.client.close();
    const a1 = await a.client.call('groups.send', { groupId: group.id, text: 'a1' });
    await b.client.event('group.message', (m) => m.id === a1.id);
    const b1 = await b.client.call('groups.send', { groupId: group.id, text: 'b1' });
    await a.client.event('group.message', (m) => m.id === b1.id);
    const rows = relayRows(h.relay.dbFile, group.id);
    const frameOf = (id: string) =>
      gMsgOf(
        group.id,
        rows.find((x) => x.msg_id === id)!,
      );

    // Rita is back (without the relay) but has lost Alice's key: a1 waits, b1 opens.
    await r.client.reopen('ws://127.0.0.1:9/v1/ws');
    const service = r.groups();
    const keyRow = (
      r.client.store.db
        .prepare('SELECT state FROM group_receiver_keys WHERE group_id = ? AND sender_id = ?')
        .get(group.id, aId) as { state: Uint8Array }
    ).state;
    service.repo.dropReceiverKey(group.id, aId);
    service.onPush(frameOf(a1.id));
    // Bob saw a1's id in his own push and seals his own text under it: it must not take
    // Alice's place (ids are the senders' choice; the relay de-duplicates per sender only).
    const bobChain = b.client.store.db
      .prepare('SELECT state FROM group_sender_keys WHERE group_id = ?')
      .get(group.id) as { state: Uint8Array };
    const forged = groupEncrypt(
      deserializeSenderKeyState(bobChain.state),
      packr.pack({ k: 'text', text: 'forged by bob', sentAt: Date.now() }),
      utf8(a1.id),
    );
    const a1Row = rows.find((x) => x.msg_id === a1.id)!;
    service.onPush({
      ...frameOf(a1.id),
      seq: a1Row.seq + 100,
      from: bId,
      body: forged.message as Uint8Array<ArrayBuffer>,
    });
    service.onPush(frameOf(b1.id));
    await service.idle();
    expect(await texts(r.client, group.id)).toEqual(['a0', 'b0', 'b1']);

    // The key arrives: a1 takes the place it arrived in.
    service.repo.putReceiverKey(group.id, aId, keyRow);
    service.retryHeld();
    await service.idle();
    expect(await texts(r.client, group.id)).toEqual(['a0', 'b0', 'a1', 'b1']);
    expect(
      (await r.client.call('groups.history', { groupId: group.id })).messages.find((m) => m.id === a1.id),
    ).toMatchObject({ senderId: aId, text: 'a1' });
    expect(service.repo.held()).toEqual([]);
    expect((await r.client.call('groups.list', {})).groups[0]!.lastMessage?.text).toBe('b1');
    expect(
      r.client.events.some((e) => e.name === 'group.message' && (e.payload as GroupMessageView).id === a1.id),
    ).toBe(true);
  });
});
