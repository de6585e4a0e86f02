/**
 * The group message lifecycle on a real (plain, so its bytes can be scanned) profile database:
 * who may set the timer, edit, delete and react; idempotence; timed lines leave no byte in the
 * database or its WAL, expire at the next start when the app was closed, and a clock set back
 * resurrects nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupRole } from '../../../shared/protocol';
import { openDatabase } from '../db/database';
import { Store } from '../db/store';
import { silentLogger } from '../logger';
import { ExpiryScheduler } from '../messaging/expiry';
import { FakeClock } from '../testing/fakeClock';
import { adoptPeerIdentity } from '../messaging/identity';
import { contactOf, fakeUserId, makeAccount, newMessageId } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { groupExpirySource } from './expiry';
import { applyGroupControl, emptyGroupChanges, TIMER_CLOCK_TOLERANCE_MS, type GroupControlPayload } from './lifecycle';
import { GroupRepo } from './repo';

const dirs = tempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) if (store.db.open) store.close();
  dirs.cleanup();
});

const CANARY = 'CANARY-9d41-group-self-destruct';
const GID = `g_${'A'.repeat(22)}`;

const me = fakeUserId();
const admin = fakeUserId();
const member = fakeUserId();
const ROLES: Record<string, GroupRole> = { [me]: 'member', [admin]: 'admin', [member]: 'member' };

function setup(dir = dirs.make()) {
  const file = path.join(dir, 'profile.db');
  const store = new Store(openDatabase(file));
  open.push(store);
  const repo = new GroupRepo(store.db);
  if (!repo.get(GID)) {
    store.db
      .prepare(
        "INSERT INTO groups (id, name, version, status, updated_at, created_at) VALUES (?, 'G', 1, 'active', 1, 1)",
      )
      .run(GID);
    for (const [userId, role] of Object.entries(ROLES)) {
      store.db.prepare('INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)').run(GID, userId, role);
    }
  }
  return { store, repo, file };
}

function receiveText(repo: GroupRepo, from: string, text: string, expiresIn = 0, id = newMessageId()) {
  const localId = repo.insertMessage({
    group_id: GID,
    id,
    sender_id: from,
    from_me: 0,
    kind: 'text',
    text,
    sent_at: 1,
    seq: 1,
    status: null,
    body: null,
    expires_in: expiresIn,
  });
  if (localId !== null) repo.addUnread(GID, 1);
  return { id, localId };
}

function control(repo: GroupRepo, from: string, payload: GroupControlPayload, now = 10) {
  const changes = emptyGroupChanges();
  applyGroupControl(
    repo,
    silentLogger,
    payload,
    { gid: GID, senderId: from, senderRole: ROLES[from], msgId: newMessageId(), seq: 2, relayTs: 1_000 },
    now,
    changes,
  );
  return changes;
}

function bytesOnDisk(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}

describe('group control messages', () => {
  it('takes the timer from owners and admins only, once per message, the later change winning', () => {
    const { repo } = setup();
    expect(control(repo, member, { k: 'timer', expiresIn: 5, sentAt: 100 }).added).toEqual([]);
    expect(repo.get(GID)!.timer).toBe(0);

    const set = control(repo, admin, { k: 'timer', expiresIn: 30, sentAt: 200 });
    expect(set.added).toHaveLength(1);
    expect(repo.messageByLocalId(set.added[0]!)).toMatchObject({ kind: 'timer', expires_in: 30, sender_id: admin });
    expect(repo.get(GID)).toMatchObject({ timer: 30, timer_at: 200 });

    // A crossing change written earlier by its sender's clock does not override it.
    control(repo, admin, { k: 'timer', expiresIn: 5, sentAt: 150 });
    expect(repo.get(GID)!.timer).toBe(30);

    // A restatement of what we know adds no line; one that tells us something new does.
    expect(control(repo, admin, { k: 'timer', expiresIn: 30, sentAt: 200, restate: true }).added).toEqual([]);
    const told = control(repo, admin, { k: 'timer', expiresIn: 60, sentAt: 300, restate: true });
    expect(told.added).toHaveLength(1);
    expect(repo.get(GID)!.timer).toBe(60);
  });

  it('does not let a timer written with a clock far ahead freeze the timer', () => {
    const { repo } = setup();
    // relayTs is 1,000 in control(): a sentAt beyond relayTs + tolerance counts as relayTs + tolerance.
    control(repo, admin, { k: 'timer', expiresIn: 3_600, sentAt: Number.MAX_SAFE_INTEGER });
    expect(repo.get(GID)).toMatchObject({ timer: 3_600, timer_at: 1_000 + TIMER_CLOCK_TOLERANCE_MS });
    control(repo, admin, { k: 'timer', expiresIn: 0, sentAt: 1_000 + TIMER_CLOCK_TOLERANCE_MS + 1 });
    expect(repo.get(GID)!.timer).toBe(0);
  });

  it('lets only the sender edit; the sender or an admin delete; a deleted id is never stored again', () => {
    const { repo } = setup();
    const text = receiveText(repo, member, 'original');
    expect(control(repo, admin, { k: 'edit', target: text.id, text: 'hijacked', editedAt: 5 }).updated).toEqual([]);
    expect(control(repo, member, { k: 'edit', target: text.id, text: 'fixed', editedAt: 5 }).updated).toEqual([
      text.localId,
    ]);
    // An older edit arriving late does not undo a newer one.
    control(repo, member, { k: 'edit', target: text.id, text: 'stale', editedAt: 4 });
    expect(repo.message(GID, text.id)).toMatchObject({ text: 'fixed', edited_at: 5 });

    const other = receiveText(repo, admin, 'by the admin');
    expect(control(repo, member, { k: 'delete', target: other.id }).removed).toEqual([]);
    expect(repo.message(GID, other.id)).toBeDefined();
    // Moderation: an admin deletes a member's message for everyone.
    expect(control(repo, admin, { k: 'delete', target: text.id }).removed).toEqual([{ groupId: GID, id: text.id }]);
    expect(repo.message(GID, text.id)).toBeUndefined();
    expect(receiveText(repo, member, 'original', 0, text.id).localId).toBeNull();

    // A delete that overtakes its message: the message is never stored.
    const early = newMessageId();
    control(repo, member, { k: 'delete', target: early });
    expect(receiveText(repo, member, 'too late', 0, early).localId).toBeNull();
  });

  it('keeps one reaction per member, the newest by its clock', () => {
    const { repo } = setup();
    const text = receiveText(repo, member, 'react to me');
    control(repo, admin, { k: 'reaction', target: text.id, emoji: '👍', at: 10 });
    control(repo, member, { k: 'reaction', target: text.id, emoji: '❤️', at: 10 });
    control(repo, admin, { k: 'reaction', target: text.id, emoji: '😂', at: 9 });
    expect(repo.reactions(GID, text.id)).toEqual([
      { senderId: admin, emoji: '👍' },
      { senderId: member, emoji: '❤️' },
    ]);
    control(repo, admin, { k: 'reaction', target: text.id, emoji: '', at: 11 });
    expect(repo.reactions(GID, text.id)).toEqual([{ senderId: member, emoji: '❤️' }]);

    // A reaction to a message still waiting for its sender key is kept for when it opens.
    const waiting = newMessageId();
    const place = repo.insertMessage({
      group_id: GID,
      id: waiting,
      sender_id: member,
      from_me: 0,
      kind: 'held',
      text: '',
      sent_at: 1,
      seq: 5,
      status: null,
      body: null,
    })!;
    expect(control(repo, admin, { k: 'reaction', target: waiting, emoji: '🙏', at: 12 }).updated).toEqual([]);
    repo.fillHeld(place, member, { text: 'opened', sent_at: 1, reply_to: null, expires_in: 0, forwarded: 0 });
    expect(repo.reactions(GID, waiting)).toEqual([{ senderId: admin, emoji: '🙏' }]);
  });

  it('counts unread again when an unseen message goes, and from the line the user saw', () => {
    const { repo } = setup();
    const a = receiveText(repo, member, 'one');
    const b = receiveText(repo, member, 'two');
    receiveText(repo, member, 'three');
    expect(repo.get(GID)!.unread).toBe(3);
    repo.remove(b.localId!, 1);
    expect(repo.get(GID)!.unread).toBe(2);
    repo.markRead(GID, a.localId!, 1);
    expect(repo.get(GID)!.unread).toBe(1);
    repo.markRead(GID, repo.newestLocalId(GID), 1);
    expect(repo.get(GID)!.unread).toBe(0);
  });
});

describe('a member whose identity key changes', () => {
  it('makes us start a new sender chain (distributed to all) before our next message', () => {
    const { store, repo } = setup();
    const peer = makeAccount('peer');
    store.contacts.put(contactOf(peer));
    store.db
      .prepare("INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, 'member')")
      .run(GID, peer.userId);
    repo.setRotate(GID, false);
    const reset = makeAccount('peer'); // same user, new keys (a key reset)
    store.transaction(() =>
      adoptPeerIdentity(
        store,
        peer.userId,
        { identityKey: reset.keys.identityPublicKey, dhKey: reset.keys.dhPublicKey, dhKeySig: reset.keys.dhKeySig },
        { now: 1 },
      ),
    );
    expect(repo.get(GID)!.rotate).toBe(1);
  });
});

describe('timed group lines', () => {
  it('go after being seen, with their reactions and queued edits, leaving no byte in the database or WAL', () => {
    const { store, repo, file } = setup();
    const clock = new FakeClock();
    const announced: { groupId: string; id: string }[] = [];
    const scheduler = new ExpiryScheduler(store, silentLogger, () => undefined, clock);
    scheduler.addSource(groupExpirySource(repo, (removed) => announced.push(...removed)));
    const text = receiveText(repo, member, `${CANARY} incoming`, 5);
    control(repo, member, { k: 'edit', target: text.id, text: `${CANARY} edited`, editedAt: 5 });
    repo.setReaction(GID, text.id, me, '👍', 1);
    // Our own queued edit of another timed line of ours (sealed body + a readable target id).
    const own = repo.insertMessage({
      group_id: GID,
      id: newMessageId(),
      sender_id: me,
      from_me: 1,
      kind: 'text',
      text: `${CANARY} mine`,
      sent_at: 1,
      seq: null,
      status: 'sending',
      body: new Uint8Array([1, 2, 3]),
      expires_in: 5,
    })!;
    const ownId = repo.messageByLocalId(own)!.id;
    repo.insertMessage({
      group_id: GID,
      id: newMessageId(),
      sender_id: me,
      from_me: 1,
      kind: 'control',
      text: '',
      sent_at: 1,
      seq: null,
      status: 'sending',
      body: Buffer.from(`${CANARY} sealed edit`),
      target_id: ownId,
    });
    store.db.pragma('wal_checkpoint(PASSIVE)');
    expect(bytesOnDisk(file).includes(CANARY)).toBe(true);

    scheduler.start();
    clock.advance(60_000);
    scheduler.sweep();
    expect(announced).toEqual([]); // nobody has seen either: no countdown

    // Ours starts when the relay takes it, theirs when the user sees it.
    expect(repo.markSent(own, 7, clock.wall)).toBe(true);
    scheduler.noteCountdowns([own], 'groups');
    const seen = repo.markRead(GID, repo.newestLocalId(GID), clock.wall);
    expect(seen).toEqual([text.localId]);
    scheduler.noteCountdowns(seen, 'groups');
    clock.advance(4_999);
    scheduler.sweep();
    expect(announced).toEqual([]);
    clock.advance(1);
    scheduler.sweep();
    scheduler.stop();
    expect(announced).toEqual(
      expect.arrayContaining([
        { groupId: GID, id: text.id },
        { groupId: GID, id: ownId },
      ]),
    );
    expect(store.db.prepare('SELECT count(*) AS n FROM group_messages').get()).toEqual({ n: 0 });
    expect(repo.reactions(GID, text.id)).toEqual([]);
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    expect(bytesOnDisk(file).includes(CANARY)).toBe(false);
    store.close();
    expect(bytesOnDisk(file).includes(CANARY)).toBe(false);
  });

  it('of ours that the relay refused go on their own timer too', () => {
    const { repo } = setup();
    const own = repo.insertMessage({
      group_id: GID,
      id: newMessageId(),
      sender_id: me,
      from_me: 1,
      kind: 'text',
      text: `${CANARY} refused`,
      sent_at: 1,
      seq: null,
      status: 'sending',
      body: new Uint8Array([1]),
      expires_in: 30,
    })!;
    expect(repo.markFailed(own, 5_000)).toBe(true);
    expect(repo.messageByLocalId(own)).toMatchObject({ status: 'failed', body: null, expire_at: 35_000 });
  });

  it('expire at the next start when they fell due while the app was closed', () => {
    const dir = dirs.make();
    const first = setup(dir);
    const clock = new FakeClock();
    const text = receiveText(first.repo, member, `${CANARY} closed`, 30);
    first.repo.markRead(GID, first.repo.newestLocalId(GID), clock.wall);
    first.store.close();

    clock.advance(31_000);
    const second = setup(dir);
    const announced: { groupId: string; id: string }[] = [];
    const scheduler = new ExpiryScheduler(second.store, silentLogger, () => undefined, clock);
    scheduler.addSource(groupExpirySource(second.repo, (removed) => announced.push(...removed)));
    scheduler.start();
    scheduler.stop();
    expect(announced).toEqual([{ groupId: GID, id: text.id }]);
    expect(second.repo.message(GID, text.id)).toBeUndefined();
  });

  it('go on time by the monotonic clock when the wall clock is set back, and never come back', () => {
    const { store, repo } = setup();
    const clock = new FakeClock();
    const announced: { groupId: string; id: string }[] = [];
    const scheduler = new ExpiryScheduler(store, silentLogger, () => undefined, clock);
    scheduler.addSource(groupExpirySource(repo, (removed) => announced.push(...removed)));
    const text = receiveText(repo, member, `${CANARY} clock`, 5);
    scheduler.noteCountdowns(repo.markRead(GID, repo.newestLocalId(GID), clock.wall), 'groups');
    clock.wall -= 3_600_000; // someone sets the clock back an hour
    clock.mono += 5_000;
    scheduler.sweep();
    scheduler.stop();
    expect(announced).toEqual([{ groupId: GID, id: text.id }]);
    // A redelivered copy is refused by the tombstone.
    expect(receiveText(repo, member, `${CANARY} clock`, 5, text.id).localId).toBeNull();
  });
});
