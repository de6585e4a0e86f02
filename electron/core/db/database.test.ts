import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sodiumReady } from '../crypto/sodium';
import { contactOf, makeAccount, newMessageId, openTestStore } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { directChatId } from './chats';
import { DatabaseOpenError, openDatabase } from './database';
import { decodeHistoryCursor, encodeHistoryCursor } from './historyCursor';
import { historyKeyOf } from './messages';
import { migrate, SCHEMA_VERSION, SchemaTooNewError, type Migration } from './migrations';
import type { Store } from './store';

const dirs = tempDirs();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

function freshStore(): Store {
  const store = openTestStore(dirs.make());
  stores.push(store);
  return store;
}

/** A store with one direct chat with a peer; returns the chat id and peer id. */
function storeWithChat(): { store: Store; chatId: string; peerId: string } {
  const store = freshStore();
  const peer = contactOf(makeAccount('peer'));
  store.contacts.put(peer);
  const { chat } = store.chats.ensureDirect(peer.userId, 1);
  return { store, chatId: chat.id, peerId: peer.userId };
}

describe('openDatabase', () => {
  it('creates the schema at the latest version with WAL and foreign keys on', () => {
    const db = openDatabase(path.join(dirs.make(), 'a.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('reopens an existing profile without re-running migrations, keeping its data', () => {
    const file = path.join(dirs.make(), 'a.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO contacts VALUES ('u', 'n', 'N', x'00', x'00', x'00', 1)").run();
    first.close();
    const second = openDatabase(file);
    expect(second.prepare('SELECT count(*) AS n FROM contacts').get()).toEqual({ n: 1 });
    second.close();
  });

  it('applies only the missing migrations, each with its version', () => {
    const db = new Database(path.join(dirs.make(), 'a.db'));
    const applied: number[] = [];
    const steps: Migration[] = [1, 2, 3].map((version) => ({
      version,
      description: `step ${version}`,
      up: (handle) => {
        applied.push(version);
        handle.exec(`CREATE TABLE t${version} (x)`);
      },
    }));
    migrate(db, steps.slice(0, 2));
    migrate(db, steps);
    expect(applied).toEqual([1, 2, 3]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
  });

  it('rolls a failing migration back completely', () => {
    const db = new Database(path.join(dirs.make(), 'a.db'));
    const broken: Migration = {
      version: 1,
      description: 'broken',
      up: (handle) => {
        handle.exec('CREATE TABLE half (x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [broken])).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database from a newer version of Parley instead of corrupting it', () => {
    const file = path.join(dirs.make(), 'a.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
  });

  it('encrypts at rest with a key, and refuses the wrong key or no key', () => {
    const file = path.join(dirs.make(), 'a.db');
    const key = new Uint8Array(32).fill(7);
    const db = openDatabase(file, key);
    db.prepare("INSERT INTO contacts VALUES ('u', 'plaintext-canary', 'N', x'00', x'00', x'00', 1)").run();
    db.close();
    expect(fs.readFileSync(file).includes('plaintext-canary')).toBe(false);
    expect(() => openDatabase(file, new Uint8Array(32).fill(8))).toThrow(DatabaseOpenError);
    expect(() => openDatabase(file)).toThrow(DatabaseOpenError);
    const again = openDatabase(file, key);
    expect(again.prepare('SELECT username FROM contacts').get()).toEqual({ username: 'plaintext-canary' });
    again.close();
  });
});

describe('messages', () => {
  const incoming = (chatId: string, peerId: string, seq: number, id = newMessageId()) => ({
    chatId,
    id,
    senderId: peerId,
    text: `m${seq}`,
    sentAt: seq,
    seq,
    relayTs: seq,
  });

  it('stores a redelivered message once', () => {
    const { store, chatId, peerId } = storeWithChat();
    const message = incoming(chatId, peerId, 1);
    expect(store.messages.insertIncoming(message)).not.toBeNull();
    expect(store.messages.insertIncoming(message)).toBeNull();
    expect(store.messages.pageNewestFirst(chatId, null, 10)).toHaveLength(1);
  });

  it('orders history by relay seq, with unsent messages after all sequenced ones', () => {
    const { store, chatId, peerId } = storeWithChat();
    const me = makeAccount('me');
    const outgoing = (text: string) =>
      store.messages.insertOutgoing({ chatId, id: newMessageId(), senderId: me.userId, text, sentAt: 0 });
    store.messages.insertIncoming(incoming(chatId, peerId, 5));
    const pendingA = outgoing('pending-a');
    store.messages.insertIncoming(incoming(chatId, peerId, 2));
    const sentLater = outgoing('sent-later');
    store.messages.markSent(sentLater, 9, 0);
    outgoing('pending-b');
    store.messages.insertIncoming(incoming(chatId, peerId, 7));

    const oldestFirst = store.messages.pageNewestFirst(chatId, null, 50).reverse();
    expect(oldestFirst.map((m) => m.text)).toEqual(['m2', 'm5', 'm7', 'sent-later', 'pending-a', 'pending-b']);
    expect(store.messages.getByLocalId(pendingA)?.status).toBe('sending');
  });

  it('pages from the newest back to the oldest without gaps or repeats', () => {
    const { store, chatId, peerId } = storeWithChat();
    for (let seq = 1; seq <= 7; seq++) store.messages.insertIncoming(incoming(chatId, peerId, seq));
    const seen: string[] = [];
    let before = null;
    for (;;) {
      const page = store.messages.pageNewestFirst(chatId, before, 3);
      if (page.length === 0) break;
      seen.push(...page.map((m) => m.text));
      before = decodeHistoryCursor(encodeHistoryCursor(historyKeyOf(page[page.length - 1]!)));
    }
    expect(seen).toEqual(['m7', 'm6', 'm5', 'm4', 'm3', 'm2', 'm1']);
  });

  it('moves delivery status forward only, and only for our own messages in that chat', () => {
    const { store, chatId, peerId } = storeWithChat();
    const me = makeAccount('me');
    const id = newMessageId();
    const localId = store.messages.insertOutgoing({ chatId, id, senderId: me.userId, text: 't', sentAt: 0 });
    const theirs = incoming(chatId, peerId, 3);
    store.messages.insertIncoming(theirs);

    expect(store.messages.advanceStatus(chatId, [id], 'read')).toEqual([localId]);
    expect(store.messages.advanceStatus(chatId, [id], 'delivered')).toEqual([]);
    store.messages.markSent(localId, 4, 0); // a late 'sent' after a resend
    expect(store.messages.getByLocalId(localId)).toMatchObject({ status: 'read', seq: 4 });
    expect(store.messages.advanceStatus(chatId, [theirs.id], 'read')).toEqual([]);
    expect(store.messages.advanceStatus(directChatId('u_someoneElseEntirely00'), [id], 'read')).toEqual([]);
  });

  it('does not revive a failed message with a receipt', () => {
    const { store, chatId } = storeWithChat();
    const id = newMessageId();
    const localId = store.messages.insertOutgoing({ chatId, id, senderId: 'u_me', text: 't', sentAt: 0 });
    store.messages.markFailed(localId, 'refused');
    expect(store.messages.advanceStatus(chatId, [id], 'delivered')).toEqual([]);
    expect(store.messages.getByLocalId(localId)).toMatchObject({ status: 'failed', error: 'refused' });
  });

  it('reports each incoming message as read once', () => {
    const { store, chatId, peerId } = storeWithChat();
    const first = incoming(chatId, peerId, 1);
    const second = incoming(chatId, peerId, 2);
    const third = incoming(chatId, peerId, 3);
    for (const m of [first, second, third]) store.messages.insertIncoming(m);
    const keyOf = (id: string) => historyKeyOf(store.messages.get(chatId, id)!);
    expect(store.messages.takeUnreportedReadUpTo(chatId, keyOf(second.id)).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(store.messages.takeUnreportedReadUpTo(chatId, keyOf(third.id))).toEqual([third.id]);
    expect(store.messages.takeUnreportedReadUpTo(chatId, keyOf(third.id))).toEqual([]);
    expect(store.messages.countIncomingAfter(chatId, keyOf(first.id))).toBe(2);
  });
});

describe('store transactions', () => {
  const synchronous = (store: Store) => store.db.pragma('synchronous', { simple: true });
  const [NORMAL, FULL] = [1, 2];

  it('commits a lazy transaction whole or not at all, and leaves every other commit synchronous = FULL', () => {
    const { store, chatId } = storeWithChat();
    expect(synchronous(store)).toBe(FULL);
    const id = newMessageId();
    const during = store.lazyTransaction(() => {
      store.messages.insertOutgoing({ chatId, id, senderId: 'me', text: 'kept', sentAt: 1 });
      return synchronous(store);
    });
    expect(during).toBe(NORMAL);
    expect(store.messages.get(chatId, id)?.text).toBe('kept');
    expect(synchronous(store)).toBe(FULL);

    const lost = newMessageId();
    expect(() =>
      store.lazyTransaction(() => {
        store.messages.insertOutgoing({ chatId, id: lost, senderId: 'me', text: 'half', sentAt: 2 });
        throw new Error('fails midway');
      }),
    ).toThrow('fails midway');
    expect(store.messages.get(chatId, lost)).toBeNull();
    expect(synchronous(store)).toBe(FULL);
  });
});

describe('history cursors', () => {
  it('round-trip and reject anything else', () => {
    const key = { pending: 1 as const, seqKey: 0, localId: 42 };
    expect(decodeHistoryCursor(encodeHistoryCursor(key))).toEqual(key);
    for (const bad of ['', 'abc', '!!!', Buffer.from('h1:2:0:1').toString('base64url'), 'x'.repeat(200)]) {
      expect(decodeHistoryCursor(bad)).toBeNull();
    }
  });
});
