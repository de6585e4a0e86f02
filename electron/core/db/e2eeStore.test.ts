import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodePlaintext } from '../crypto/plaintext';
import { sodiumReady } from '../crypto/sodium';
import { contactOf, makeAccount, newMessageId, openTestStore } from '../testing/fixtures';
import { tempDirs } from '../testing/tempDir';
import { migrate, MIGRATIONS } from './migrations';
import { MAX_SESSIONS_PER_PEER } from './sessions';
import type { Store } from './store';

const dirs = tempDirs();
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  dirs.cleanup();
});
beforeAll(() => sodiumReady());

function storeWithPeer() {
  const store = openTestStore(dirs.make());
  stores.push(store);
  const peer = contactOf(makeAccount('peer'));
  store.contacts.put(peer);
  const chatId = store.chats.ensureDirect(peer.userId, 1).chat.id;
  return { store, peerId: peer.userId, chatId };
}

const bytes = (n: number) => new Uint8Array(32).fill(n);

describe('schema v2 (end-to-end encryption)', () => {
  it('migrates a v1 outbox: queued messages become plaintext to seal on the ratchet, old receipts go', () => {
    const db = new Database(path.join(dirs.make(), 'a.db'));
    migrate(db, MIGRATIONS.slice(0, 1));
    const peer = contactOf(makeAccount('peer'));
    db.exec(`INSERT INTO contacts VALUES ('${peer.userId}', 'peer', 'Peer', x'00', x'00', x'00', 1);
             INSERT INTO chats (id, kind, peer_id, updated_at, created_at) VALUES ('dm:${peer.userId}', 'direct', '${peer.userId}', 1, 1);
             INSERT INTO messages (chat_id, id, sender_id, from_me, text, sent_at, status)
               VALUES ('dm:${peer.userId}', 'msg-1', 'me', 1, 'typed before the upgrade', 42, 'sending');
             INSERT INTO outbox (msg_id, recipient_id, kind, message_local_id, body, created_at)
               VALUES ('msg-1', '${peer.userId}', 'message', 1, x'01', 5);
             INSERT INTO outbox (msg_id, recipient_id, kind, body, created_at)
               VALUES ('r-1', '${peer.userId}', 'receipt', x'02', 6);`);
    migrate(db);
    const rows = db.prepare('SELECT msg_id, kind, body, plaintext, sealed_for FROM outbox').all() as Array<{
      msg_id: string;
      plaintext: Buffer;
    }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ msg_id: 'msg-1', kind: 'message', body: null, sealed_for: null });
    expect(decodePlaintext(rows[0]!.plaintext)).toMatchObject({
      k: 'text',
      text: 'typed before the upgrade',
      sentAt: 42,
    });
    expect(() =>
      db.exec(`INSERT INTO outbox (msg_id, recipient_id, kind, created_at) VALUES ('n', 'u', 'receipt', 6)`),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('seals a row once, and forgets envelopes only of rows that can be sealed again', () => {
    const { store, peerId } = storeWithPeer();
    const row = (plaintext: Uint8Array) =>
      store.outbox.enqueue({
        msgId: newMessageId(),
        recipientId: peerId,
        kind: 'receipt',
        messageLocalId: null,
        plaintext,
        createdAt: 0,
      });
    const id = row(Uint8Array.of(1));
    expect(store.outbox.setSealed(id, Uint8Array.of(9), bytes(1))).toBe(true);
    expect(store.outbox.setSealed(id, Uint8Array.of(8), bytes(1))).toBe(false);
    expect(store.outbox.get(id)).toMatchObject({ body: Buffer.from([9]) });
    expect(store.outbox.unsealForRecipient('u_someoneElse')).toBe(0);
    expect(store.outbox.unsealForRecipient(peerId)).toBe(1);
    expect(store.outbox.get(id)).toMatchObject({ body: null, sealedFor: null, plaintext: Buffer.from([1]) });
  });

  it('keeps the most recently current sessions per peer, current first', () => {
    const { store, peerId } = storeWithPeer();
    for (let i = 1; i <= MAX_SESSIONS_PER_PEER + 2; i++) store.sessions.putCurrent(peerId, bytes(i), bytes(100 + i), i);
    let list = store.sessions.list(peerId);
    expect(list.map((s) => s.baseKey[0])).toEqual([6, 5, 4, 3]);
    // An older session that the peer used again becomes current; updating keeps the order.
    store.sessions.putCurrent(peerId, bytes(3), bytes(42), 10);
    store.sessions.update(peerId, bytes(5), bytes(43), 11);
    list = store.sessions.list(peerId);
    expect(list.map((s) => s.baseKey[0])).toEqual([3, 6, 5, 4]);
    expect(list[0]!.state[0]).toBe(42);
    expect(list[2]!.state[0]).toBe(43);
    store.sessions.deleteForPeer(peerId);
    expect(store.sessions.current(peerId)).toBeNull();
  });

  it('places system lines in history and keeps them out of unread counts and read receipts', () => {
    const { store, peerId, chatId } = storeWithPeer();
    const incoming = (seq: number) =>
      store.messages.insertIncoming({
        chatId,
        id: newMessageId(),
        senderId: peerId,
        text: `m${seq}`,
        sentAt: seq,
        seq,
        relayTs: seq,
      });
    incoming(1);
    const line = { chatId, kind: 'keyChanged' as const, senderId: peerId, sentAt: 0, relayTs: null };
    store.messages.insertSystemLine({ ...line, id: newMessageId(), seq: null });
    store.messages.insertSystemLine({ ...line, id: newMessageId(), seq: 3 });
    incoming(3);
    const undecryptable = newMessageId();
    expect(
      store.messages.insertSystemLine({ ...line, kind: 'undecryptable', id: undecryptable, seq: 4 }),
    ).not.toBeNull();
    expect(store.messages.insertSystemLine({ ...line, kind: 'undecryptable', id: undecryptable, seq: 4 })).toBeNull();
    const history = store.messages.pageNewestFirst(chatId, null, 10).reverse();
    expect(history.map((m) => (m.kind === 'text' ? m.text : m.kind))).toEqual([
      'm1',
      'keyChanged',
      'keyChanged',
      'm3',
      'undecryptable',
    ]);
    const first = history[0]!;
    expect(store.messages.countIncomingAfter(chatId, { pending: 0, seqKey: first.seq!, localId: first.localId })).toBe(
      2,
    );
    const last = history[history.length - 1]!;
    const receipted = store.messages.takeUnreportedReadUpTo(chatId, {
      pending: 0,
      seqKey: last.seq!,
      localId: last.localId,
    });
    expect(receipted.sort()).toEqual(
      history
        .filter((m) => m.kind === 'text')
        .map((m) => m.id)
        .sort(),
    );
  });

  it('takes prekey ids from a counter that survives forgetting every key', () => {
    const { store } = storeWithPeer();
    const first = store.transaction(() => store.preKeys.takeOneTimeIds(10));
    store.preKeys.insertOneTimePreKeys([{ id: first, publicKey: bytes(1), secretKey: bytes(2) }], 0);
    store.preKeys.deleteAll();
    expect(store.transaction(() => store.preKeys.takeOneTimeIds(1))).toBe(first + 10);
    const signed = store.preKeys.takeSignedId();
    store.preKeys.signedIdUsed(signed + 5);
    expect(store.preKeys.takeSignedId()).toBe(signed + 6);
  });

  it('stores what the user knows about a contact apart from the relay record', () => {
    const { store, peerId } = storeWithPeer();
    expect(store.security.get(peerId)).toEqual({ verified: false, keyChanged: false, sendingHeld: false });
    store.security.put(peerId, { verified: false, keyChanged: true, sendingHeld: true });
    store.contacts.put({ ...store.contacts.get(peerId)!, displayName: 'renamed' });
    expect(store.security.get(peerId)).toEqual({ verified: false, keyChanged: true, sendingHeld: true });
    expect(store.security.heldRecipients()).toEqual(new Set([peerId]));
  });
});
