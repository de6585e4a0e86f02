/**
 * The message lifecycle in private groups, between real cores through a real relay: the
 * owner's timer reaches every member (a member's is refused), timed messages go from every
 * device that saw them, edits / deletes / reactions / replies reach an offline member exactly
 * once, admins moderate, the timer is told to members added later, typing, drafts, forwards.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupMessageView } from '../../../shared/ipc';
import { Harness, history, signUp, waitFor, type TestClient } from './harness';

let h: Harness;
beforeEach(async () => {
  h = new Harness();
  await h.relay.start();
});
afterEach(() => h.cleanup());

const CANARY = 'CANARY-group-lifecycle-51c2';

async function person(name: string): Promise<{ client: TestClient; userId: string }> {
  const client = await h.client(name);
  const profile = await signUp(client, name, name[0]!.toUpperCase() + name.slice(1));
  return { client, userId: profile.userId };
}

async function lines(client: TestClient, groupId: string): Promise<GroupMessageView[]> {
  return (await client.call('groups.history', { groupId })).messages;
}

const textRows = (client: TestClient, needle: string) =>
  (
    client.store.db.prepare('SELECT count(*) AS n FROM group_messages WHERE instr(text, ?) > 0').get(needle) as {
      n: number;
    }
  ).n;

const count = (client: TestClient, name: string, match: (payload: { id: string }) => boolean) =>
  client.events.filter((e) => e.name === name && match(e.payload as { id: string })).length;

/** The relay's purge deadline for a stored group message. */
function relayPurgeAt(groupId: string, msgId: string): number | null {
  const db = new Database(h.relay.dbFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT purge_at FROM group_messages WHERE group_id = ? AND msg_id = ?').get(groupId, msgId);
    return (row as { purge_at: number | null } | undefined)?.purge_at ?? null;
  } finally {
    db.close();
  }
}

async function trio() {
  const alice = await person('alice');
  const bob = await person('bob');
  const carol = await person('carol');
  const group = await alice.client.call('groups.create', { name: 'Trio', memberIds: [bob.userId, carol.userId] });
  await bob.client.event('group.updated', (g) => g.id === group.id);
  await carol.client.event('group.updated', (g) => g.id === group.id);
  return { alice, bob, carol, groupId: group.id };
}

describe('self-destructing group messages', () => {
  it("take the owner's timer, vanish from each device once seen, and a member cannot set one", async () => {
    const { alice, bob, carol, groupId } = await trio();
    await expect(bob.client.call('groups.setTimer', { groupId, seconds: 5 })).rejects.toThrow(/not_group_admin/);

    const set = await alice.client.call('groups.setTimer', { groupId, seconds: 5 });
    expect(set.timer).toBe(5);
    for (const { client } of [bob, carol]) {
      await client.event('group.updated', (g) => g.id === groupId && g.timer === 5);
      const line = await client.event('group.message', (m) => m.kind === 'timer');
      expect(line).toMatchObject({ expiresIn: 5, senderName: 'Alice', fromMe: false });
    }

    await carol.client.close();
    const sent = await alice.client.call('groups.send', { groupId, text: `${CANARY} secret` });
    expect(sent.expiresIn).toBe(5);
    // The sender's countdown runs from when the relay took it.
    const counting = await alice.client.event('group.message', (m) => m.id === sent.id && m.expiresAt !== undefined);
    expect(counting.status).toBe('sent');
    const atBob = await bob.client.event('group.message', (m) => m.id === sent.id);
    expect(atBob).toMatchObject({ text: `${CANARY} secret`, expiresIn: 5 });
    expect(atBob.expiresAt).toBeUndefined(); // not seen yet
    // The relay keeps it for Carol (offline) with a deadline: timer + a day after sending, at most.
    const kept = relayPurgeAt(groupId, sent.id);
    expect(kept).toBeGreaterThan(sent.sentAt + 5_000);
    expect(kept).toBeLessThanOrEqual(Date.now() + 5_000 + 24 * 3_600_000);
    await carol.client.reopen();
    await carol.client.event('group.message', (m) => m.id === sent.id);

    await bob.client.call('groups.markRead', { groupId, upToId: sent.id });
    await bob.client.event('group.message', (m) => m.id === sent.id && m.expiresAt !== undefined);
    await bob.client.event('group.messageRemoved', (r) => r.id === sent.id);
    await alice.client.event('group.messageRemoved', (r) => r.id === sent.id);
    expect((await lines(bob.client, groupId)).some((m) => m.id === sent.id)).toBe(false);
    expect((await lines(alice.client, groupId)).some((m) => m.id === sent.id)).toBe(false);
    expect(textRows(alice.client, CANARY)).toBe(0);
    expect(textRows(bob.client, CANARY)).toBe(0);
    // Carol has not looked: hers is still there, untouched, until she does.
    expect((await lines(carol.client, groupId)).find((m) => m.id === sent.id)?.expiresAt).toBeUndefined();

    // Timed messages cannot be forwarded.
    await expect(
      carol.client.call('groups.forward', { fromGroupId: groupId, messageId: sent.id, toGroupId: groupId }),
    ).rejects.toThrow(/invalid_input/);

    // Seen, then the app closed past the deadline: gone at the next start.
    await carol.client.call('groups.markRead', { groupId });
    await carol.client.close();
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await carol.client.reopen();
    expect((await lines(carol.client, groupId)).some((m) => m.id === sent.id)).toBe(false);
    expect(textRows(carol.client, CANARY)).toBe(0);
  }, 30_000);

  it('from an admin counts for a member who learns of a later demotion first', async () => {
    const { alice, bob, carol, groupId } = await trio();
    await alice.client.call('groups.setRole', { groupId, userId: bob.userId, role: 'admin' });
    await bob.client.event('group.updated', (g) => g.id === groupId && g.role === 'admin');
    await carol.client.event('group.message', (m) => m.system?.action === 'promote');
    await carol.client.close();
    await bob.client.call('groups.setTimer', { groupId, seconds: 30 });
    await alice.client.event('group.updated', (g) => g.id === groupId && g.timer === 30);
    await alice.client.call('groups.setRole', { groupId, userId: bob.userId, role: 'member' });
    // Carol comes back: she catches up the log (Bob is a member now) before the messages;
    // Bob's change was written while he was an admin, so it counts.
    await carol.client.reopen();
    await carol.client.event('group.updated', (g) => g.id === groupId && g.timer === 30);
    // And now that he is a member, his next change is refused everywhere.
    await expect(bob.client.call('groups.setTimer', { groupId, seconds: 5 })).rejects.toThrow(/not_group_admin/);
  }, 30_000);

  it('is told to members added later, without a new line for those who knew', async () => {
    const { alice, bob, groupId } = await trio();
    await alice.client.call('groups.setTimer', { groupId, seconds: 30 });
    await bob.client.event('group.updated', (g) => g.id === groupId && g.timer === 30);
    const dave = await person('dave');
    await alice.client.call('groups.addMembers', { groupId, userIds: [dave.userId] });
    await dave.client.event('group.updated', (g) => g.id === groupId && g.timer === 30);
    // Dave's own messages now self-destruct too.
    const fromDave = await dave.client.call('groups.send', { groupId, text: 'hello all' });
    expect(fromDave.expiresIn).toBe(30);
    await bob.client.event('group.message', (m) => m.id === fromDave.id);
    expect((await lines(bob.client, groupId)).filter((m) => m.kind === 'timer')).toHaveLength(1);
  }, 30_000);
});

describe('edits, deletes, reactions and replies in groups', () => {
  it('reach an offline member exactly once; admins can delete anyone’s, members only their own', async () => {
    const { alice, bob, carol, groupId } = await trio();
    const first = await bob.client.call('groups.send', { groupId, text: 'meet at 5' });
    const second = await bob.client.call('groups.send', { groupId, text: 'something rude' });
    const fromAlice = await alice.client.call('groups.send', { groupId, text: 'by the owner' });
    await carol.client.event('group.message', (m) => m.id === fromAlice.id);
    await bob.client.event('group.message', (m) => m.id === fromAlice.id);
    await alice.client.event('group.message', (m) => m.id === second.id);
    await carol.client.close();

    // Members cannot touch other people's messages.
    await expect(
      bob.client.call('groups.edit', { groupId, messageId: fromAlice.id, text: 'hijacked' }),
    ).rejects.toThrow(/invalid_input/);
    await expect(bob.client.call('groups.deleteForEveryone', { groupId, messageId: fromAlice.id })).rejects.toThrow(
      /not_group_admin/,
    );

    const edited = await bob.client.call('groups.edit', { groupId, messageId: first.id, text: 'meet at 6' });
    expect(edited.editedAt).toBeDefined();
    await alice.client.event('group.message', (m) => m.id === first.id && m.text === 'meet at 6');
    await alice.client.call('groups.deleteForEveryone', { groupId, messageId: second.id }); // moderation
    await alice.client.call('groups.react', { groupId, messageId: first.id, emoji: '👍' });
    const reply = await alice.client.call('groups.send', { groupId, text: 'works for me', replyTo: first.id });
    expect(reply.replyTo).toMatchObject({ id: first.id, senderName: 'Bob', text: 'meet at 6', missing: false });
    await bob.client.event('group.messageRemoved', (r) => r.id === second.id);
    await bob.client.event('group.message', (m) => m.id === first.id && (m.reactions ?? []).length === 1);
    await waitFor(
      () => alice.client.store.db.prepare("SELECT 1 FROM group_messages WHERE status = 'sending'").get() === undefined,
      'alice to send everything',
    );

    await carol.client.reopen();
    const replyAtCarol = await carol.client.event('group.message', (m) => m.id === reply.id);
    expect(replyAtCarol.replyTo).toMatchObject({ id: first.id, text: 'meet at 6', missing: false });
    const carolLines = await lines(carol.client, groupId);
    expect(carolLines.map((m) => m.id)).not.toContain(second.id);
    expect(carolLines.find((m) => m.id === first.id)).toMatchObject({
      text: 'meet at 6',
      editedAt: edited.editedAt,
      reactions: [{ emoji: '👍', count: 1, mine: false }],
    });
    expect(count(carol.client, 'group.messageRemoved', (r) => r.id === second.id)).toBeLessThanOrEqual(1);

    // Reopening again applies nothing twice.
    await carol.client.close();
    await carol.client.reopen();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(count(carol.client, 'group.messageRemoved', () => true)).toBe(0);
    expect(count(carol.client, 'group.message', (m) => m.id === first.id)).toBe(0);

    // Delete for me: only here, and an unread message no longer counts.
    const unseen = await bob.client.call('groups.send', { groupId, text: 'unread one' });
    await carol.client.event('group.message', (m) => m.id === unseen.id);
    const before = (await carol.client.call('groups.list', {})).groups.find((g) => g.id === groupId)!.unread;
    await carol.client.call('groups.deleteForMe', { groupId, messageId: unseen.id });
    const after = (await carol.client.call('groups.list', {})).groups.find((g) => g.id === groupId)!.unread;
    expect(after).toBe(before - 1);
    expect((await lines(bob.client, groupId)).some((m) => m.id === unseen.id)).toBe(true);
  }, 40_000);

  it('tells the sender who read its message, over the 1:1 sessions, unless receipts are off', async () => {
    const { alice, bob, carol, groupId } = await trio();
    await carol.client.call('settings.setReadReceipts', { enabled: false });
    const sent = await alice.client.call('groups.send', { groupId, text: 'did everyone see this?' });
    await bob.client.event('group.message', (m) => m.id === sent.id);
    await carol.client.event('group.message', (m) => m.id === sent.id);
    await carol.client.call('groups.markRead', { groupId, upToId: sent.id });
    await bob.client.call('groups.markRead', { groupId, upToId: sent.id });
    const read = await alice.client.event('group.message', (m) => m.id === sent.id && m.status === 'read');
    expect(read.readCount).toBe(1);
    // Bob reading again reports nothing new; Carol never reports.
    await bob.client.call('groups.markRead', { groupId });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await lines(alice.client, groupId)).find((m) => m.id === sent.id)?.readCount).toBe(1);
  });

  it('shows typing, keeps drafts across restarts, and forwards marked as forwarded', async () => {
    const { alice, bob, groupId } = await trio();
    await alice.client.call('groups.typing', { groupId });
    const typing = await bob.client.event('group.typing', (t) => t.groupId === groupId);
    expect(typing).toMatchObject({ userId: alice.userId, name: 'Alice' });
    // At most one signal per few seconds.
    expect(await alice.client.call('groups.typing', { groupId })).toEqual({ sent: false });

    await alice.client.call('groups.saveDraft', { groupId, draft: 'half a thought' });
    await alice.client.close();
    await alice.client.reopen();
    const reopened = (await alice.client.call('groups.list', {})).groups.find((g) => g.id === groupId)!;
    expect(reopened.draft).toBe('half a thought');
    const whole = await alice.client.call('groups.send', { groupId, text: 'whole thought' });
    expect((await alice.client.call('groups.list', {})).groups.find((g) => g.id === groupId)!.draft).toBe('');

    // Group → 1:1 chat, and 1:1 → group: the copies say "forwarded" on both sides.
    const chat = await bob.client.call('chats.openDirect', { userId: alice.userId });
    await bob.client.event('group.message', (m) => m.id === whole.id);
    await bob.client.call('groups.forward', { fromGroupId: groupId, messageId: whole.id, toChatId: chat.id });
    const copy = await alice.client.event('message.added', (m) => m.text === 'whole thought');
    expect(copy.forwarded).toBe(true);
    await alice.client.call('groups.forward', { fromChatId: copy.chatId, messageId: copy.id, toGroupId: groupId });
    const back = await bob.client.event('group.message', (m) => m.forwarded === true && m.text === 'whole thought');
    expect(back.fromMe).toBe(false);
    expect((await history(bob.client, chat.id)).find((m) => m.text === 'whole thought')?.forwarded).toBe(true);
  }, 30_000);
});
