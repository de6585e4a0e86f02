/**
 * Message lifecycle on a real (plain, so its bytes can be scanned) profile database:
 * self-destruct expiry leaves no byte of the text in the database or its WAL, applies on the
 * next start, survives clock jumps without resurrecting anything; peers' control messages
 * apply once and only from the original sender.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../crypto/sodium';
import { decodePlaintext, encodePlaintext, PlaintextError } from '../crypto/plaintext';
import { packr } from '../crypto/msgpack';
import { directChatId } from '../db/chats';
import type { RemovedMessage } from '../db/lifecycle';
import { historyKeyOf } from '../db/messages';
import { Store } from '../db/store';
import { openDatabase } from '../db/database';
import { silentLogger } from '../logger';
import { contactOf, makeAccount, newMessageId } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { ExpiryScheduler } from './expiry';
import { FakeClock } from '../testing/fakeClock';
import { applyIncomingControl, emptyLifecycleChanges, enqueueControl } from './lifecycle';

const dirs = tempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

function setup(dir = dirs.make()) {
  const file = path.join(dir, 'profile.db');
  const store = new Store(openDatabase(file));
  open.push(store);
  const me = makeAccount('me');
  const peerAccount = makeAccount('peer');
  const peer = contactOf(peerAccount);
  store.contacts.put(peer);
  const { chat } = store.chats.ensureDirect(peer.userId, 1);
  return { store, file, dir, me, peer, chatId: chat.id };
}

/** Every byte of the database and its WAL (the files a forensic reader would get). */
function bytesOnDisk(file: string): Buffer {
  return Buffer.concat(
    [file, `${file}-wal`, `${file}-journal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  );
}

const CANARY = 'CANARY-7f3a9c-self-destruct';

describe('self-destruct expiry', () => {
  it('deletes a seen timed message, its edits and reactions, and leaves no byte in the database or WAL', () => {
    const { store, file, me, peer, chatId } = setup();
    const clock = new FakeClock();
    const removed: RemovedMessage[] = [];
    const scheduler = new ExpiryScheduler(store, silentLogger, (r) => removed.push(...r), clock);
    const id = newMessageId();
    const localId = store.transaction(() => {
      const localId = store.messages.insertIncoming({
        chatId,
        id,
        senderId: peer.userId,
        text: `${CANARY} first`,
        sentAt: clock.wall,
        seq: 1,
        relayTs: clock.wall,
        expiresIn: 5,
      })!;
      store.lifecycle.setReaction(chatId, id, me.userId, '👍', clock.wall);
      return localId;
    });
    // The peer edits it (canary in the new text too), we react and quote it in an edit of ours.
    const changes = emptyLifecycleChanges();
    store.transaction(() =>
      applyIncomingControl(
        store,
        silentLogger,
        peer,
        chatId,
        { k: 'edit', target: id, text: `${CANARY} edited`, editedAt: clock.wall + 1 },
        { msgId: newMessageId(), seq: 2, relayTs: clock.wall },
        clock.wall,
        changes,
      ),
    );
    store.transaction(() =>
      enqueueControl(store, peer.userId, { k: 'edit', target: id, text: `${CANARY} queued`, editedAt: 1 }, clock.wall, {
        targetId: id,
      }),
    );
    expect(changes.updatedLocalIds).toEqual([localId]);
    store.db.pragma('wal_checkpoint(PASSIVE)');
    expect(bytesOnDisk(file).includes(CANARY)).toBe(true); // the scan sees it while it exists

    scheduler.start();
    expect(removed).toEqual([]); // not seen yet: no countdown
    const seen = store.transaction(() =>
      store.lifecycle.startIncomingCountdown(chatId, historyKeyOf(store.messages.getByLocalId(localId)!), clock.wall),
    );
    expect(seen).toEqual([localId]);
    scheduler.noteCountdowns(seen);
    clock.advance(4_999);
    scheduler.sweep();
    expect(removed).toEqual([]);
    clock.advance(1);
    scheduler.sweep();
    scheduler.stop();
    expect(removed).toEqual([{ localId, chatId, id }]);
    expect(store.messages.get(chatId, id)).toBeNull();
    expect(store.lifecycle.reactions(chatId, id)).toEqual([]);
    expect(store.outbox.count()).toBe(0);
    expect(fs.statSync(`${file}-wal`).size).toBe(0);
    expect(bytesOnDisk(file).includes(CANARY)).toBe(false);
    store.close();
    expect(bytesOnDisk(file).includes(CANARY)).toBe(false);
  });

  it('applies expiries that fell due while the app was closed, at the next start', () => {
    const first = setup();
    const clock = new FakeClock();
    const id = newMessageId();
    const localId = first.store.messages.insertOutgoing({
      chatId: first.chatId,
      id,
      senderId: first.me.userId,
      text: CANARY,
      sentAt: clock.wall,
      expiresIn: 30,
    });
    first.store.lifecycle.startOwnCountdown(first.chatId, [id], clock.wall);
    expect(first.store.messages.getByLocalId(localId)?.expireAt).toBe(clock.wall + 30_000);
    first.store.close();

    clock.advance(60_000); // closed meanwhile
    const store = new Store(openDatabase(first.file));
    open.push(store);
    const removed: RemovedMessage[] = [];
    const scheduler = new ExpiryScheduler(store, silentLogger, (r) => removed.push(...r), clock);
    scheduler.start();
    scheduler.stop();
    expect(removed.map((r) => r.id)).toEqual([id]);
    expect(store.messages.get(first.chatId, id)).toBeNull();
    expect(bytesOnDisk(first.file).includes(CANARY)).toBe(false);
  });

  it('a wall clock set back neither delays a running countdown nor resurrects a deleted message', () => {
    const { store, peer, chatId } = setup();
    const clock = new FakeClock();
    const removed: RemovedMessage[] = [];
    const scheduler = new ExpiryScheduler(store, silentLogger, (r) => removed.push(...r), clock);
    const id = newMessageId();
    const incoming = {
      chatId,
      id,
      senderId: peer.userId,
      text: CANARY,
      sentAt: clock.wall,
      seq: 1,
      relayTs: clock.wall,
      expiresIn: 5,
    };
    const localId = store.messages.insertIncoming(incoming)!;
    const seen = store.lifecycle.startIncomingCountdown(
      chatId,
      historyKeyOf(store.messages.getByLocalId(localId)!),
      clock.wall,
    );
    scheduler.noteCountdowns(seen);
    // The wall clock jumps back an hour while 6 s pass.
    clock.wall -= 3_600_000;
    clock.mono += 6_000;
    scheduler.sweep();
    expect(removed.map((r) => r.id)).toEqual([id]);
    // The relay redelivers the same message (or an old backup comes back): never stored again.
    expect(store.messages.insertIncoming(incoming)).toBeNull();
    expect(store.messages.get(chatId, id)).toBeNull();
    // And its countdown never restarts anything.
    clock.wall -= 3_600_000;
    expect(scheduler.sweep()).toEqual([]);
    scheduler.stop();
  });
});

describe('control messages from the peer', () => {
  function received(store: Store, chatId: string, senderId: string, text = 'hello') {
    const id = newMessageId();
    const localId = store.messages.insertIncoming({ chatId, id, senderId, text, sentAt: 1, seq: 1, relayTs: 1 })!;
    return { id, localId };
  }
  const meta = () => ({ msgId: newMessageId(), seq: 5, relayTs: 5 });

  it('applies an edit once, keeps the newest, and ignores a replay', () => {
    const { store, peer, chatId } = setup();
    const { id, localId } = received(store, chatId, peer.userId);
    const edit = { k: 'edit' as const, target: id, text: 'hello (fixed)', editedAt: 10 };
    const first = emptyLifecycleChanges();
    applyIncomingControl(store, silentLogger, peer, chatId, edit, meta(), 1, first);
    const replay = emptyLifecycleChanges();
    applyIncomingControl(store, silentLogger, peer, chatId, edit, meta(), 1, replay);
    const older = emptyLifecycleChanges();
    applyIncomingControl(store, silentLogger, peer, chatId, { ...edit, text: 'stale', editedAt: 5 }, meta(), 1, older);
    expect(first.updatedLocalIds).toEqual([localId]);
    expect(replay.updatedLocalIds).toEqual([]);
    expect(older.updatedLocalIds).toEqual([]);
    expect(store.messages.get(chatId, id)).toMatchObject({ text: 'hello (fixed)', editedAt: 10 });
  });

  it('refuses edits and deletes of messages the peer did not send', () => {
    const { store, me, peer, chatId } = setup();
    const mine = newMessageId();
    store.messages.insertOutgoing({ chatId, id: mine, senderId: me.userId, text: 'mine', sentAt: 1 });
    const changes = emptyLifecycleChanges();
    applyIncomingControl(
      store,
      silentLogger,
      peer,
      chatId,
      { k: 'edit', target: mine, text: 'forged', editedAt: 9 },
      meta(),
      1,
      changes,
    );
    applyIncomingControl(store, silentLogger, peer, chatId, { k: 'delete', target: mine }, meta(), 1, changes);
    expect(changes.updatedLocalIds).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(store.messages.get(chatId, mine)).toMatchObject({ text: 'mine', editedAt: null });
  });

  it('deletes once; a delete that arrives first keeps the message from ever being stored', () => {
    const { store, peer, chatId } = setup();
    const { id } = received(store, chatId, peer.userId);
    const changes = emptyLifecycleChanges();
    applyIncomingControl(store, silentLogger, peer, chatId, { k: 'delete', target: id }, meta(), 1, changes);
    applyIncomingControl(store, silentLogger, peer, chatId, { k: 'delete', target: id }, meta(), 1, changes);
    expect(changes.removed.map((r) => r.id)).toEqual([id]);

    const early = newMessageId();
    applyIncomingControl(store, silentLogger, peer, chatId, { k: 'delete', target: early }, meta(), 1, changes);
    const late = store.messages.insertIncoming({
      chatId,
      id: early,
      senderId: peer.userId,
      text: 'x',
      sentAt: 1,
      seq: 9,
      relayTs: 1,
    });
    expect(late).toBeNull();
  });

  it('keeps one reaction per person, newest wins; a timer change adds one line and sets the chat timer', () => {
    const { store, peer, chatId } = setup();
    const { id } = received(store, chatId, peer.userId);
    const changes = emptyLifecycleChanges();
    applyIncomingControl(
      store,
      silentLogger,
      peer,
      chatId,
      { k: 'reaction', target: id, emoji: '❤️', at: 2 },
      meta(),
      1,
      changes,
    );
    applyIncomingControl(
      store,
      silentLogger,
      peer,
      chatId,
      { k: 'reaction', target: id, emoji: '👍', at: 1 },
      meta(),
      1,
      changes,
    );
    expect(store.lifecycle.reactions(chatId, id).map((r) => r.emoji)).toEqual(['❤️']);

    const timer = { k: 'timer' as const, expiresIn: 30, sentAt: 3 };
    const line = meta();
    applyIncomingControl(store, silentLogger, peer, chatId, timer, line, 1, changes);
    applyIncomingControl(store, silentLogger, peer, chatId, timer, line, 1, changes);
    expect(store.chats.get(chatId)?.timer).toBe(30);
    const lines = store.messages.pageNewestFirst(chatId, null, 10).filter((m) => m.kind === 'timer');
    expect(lines).toMatchObject([{ id: line.msgId, expiresIn: 30 }]);
    expect(directChatId(peer.userId)).toBe(chatId);
  });

  it('refuses invalid control payloads and recognises unknown kinds', () => {
    expect(() => decodePlaintext(packr.pack({ k: 'timer', expiresIn: 7, sentAt: 1 }))).toThrow(PlaintextError);
    expect(() => decodePlaintext(packr.pack({ k: 'reaction', target: newMessageId(), emoji: '💩', at: 1 }))).toThrow(
      PlaintextError,
    );
    try {
      decodePlaintext(packr.pack({ k: 'poll', question: '?' }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PlaintextError);
      expect((err as PlaintextError).unknownKind).toBe(true);
    }
    const text = decodePlaintext(
      encodePlaintext({ k: 'text', text: 'hi', sentAt: 1, replyTo: newMessageId(), expiresIn: 5 }),
    );
    expect(text).toMatchObject({ k: 'text', expiresIn: 5 });
  });
});

describe('schema version 4', () => {
  it('upgrades a version 2 profile, keeping messages and queued outbox rows', async () => {
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    const { MIGRATIONS, SCHEMA_VERSION, migrate } = await import('../db/migrations');
    const file = path.join(dirs.make(), 'old.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    db.exec(`
      INSERT INTO contacts VALUES ('u_peer', 'peer', 'Peer', x'00', x'00', x'00', 1);
      INSERT INTO chats (id, kind, peer_id, unread, updated_at, created_at) VALUES ('dm:u_peer', 'direct', 'u_peer', 0, 1, 1);
      INSERT INTO messages (chat_id, id, sender_id, from_me, text, sent_at, status) VALUES ('dm:u_peer', 'm1', 'me', 1, 'kept', 1, 'sending');
      INSERT INTO outbox (msg_id, recipient_id, kind, message_local_id, plaintext, created_at) VALUES ('m1', 'u_peer', 'message', 1, x'01', 1);
    `);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT text, expires_in, expire_at FROM messages').all()).toEqual([
      { text: 'kept', expires_in: 0, expire_at: null },
    ]);
    expect(db.prepare('SELECT msg_id, kind, message_local_id FROM outbox').all()).toEqual([
      { msg_id: 'm1', kind: 'message', message_local_id: 1 },
    ]);
    expect(db.prepare('SELECT timer, draft, read_receipts FROM chats').get()).toEqual({
      timer: 0,
      draft: '',
      read_receipts: null,
    });
    // The outbox still cascades from messages.
    db.exec('DELETE FROM messages');
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('timer changes that cross each other', () => {
  it('leave both sides with the newest one', () => {
    const { store, peer, chatId } = setup();
    store.chats.setTimer(chatId, 30, 2_000); // ours, set at 2 s
    const changes = emptyLifecycleChanges();
    const older = { k: 'timer' as const, expiresIn: 5, sentAt: 1_000 };
    applyIncomingControl(
      store,
      silentLogger,
      peer,
      chatId,
      older,
      { msgId: newMessageId(), seq: 3, relayTs: 3 },
      1,
      changes,
    );
    expect(store.chats.get(chatId)?.timer).toBe(30); // the line is shown, the newer choice stays
    expect(changes.addedLocalIds).toHaveLength(1);
    const newer = { k: 'timer' as const, expiresIn: 60, sentAt: 3_000 };
    applyIncomingControl(
      store,
      silentLogger,
      peer,
      chatId,
      newer,
      { msgId: newMessageId(), seq: 4, relayTs: 4 },
      1,
      changes,
    );
    expect(store.chats.get(chatId)?.timer).toBe(60);
  });
});
