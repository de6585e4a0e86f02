/**
 * Schema migrations, applied in order and recorded in SQLite's `user_version`. Append new
 * migrations; never edit a released one (profiles in the field already ran it).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { migrateChannelManagement, migrateChannels } from '../channels/schema';
import { migrateGroupLifecycle, migrateGroups } from '../groups/schema';
import { packr } from '../crypto/msgpack';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'account, contacts, direct chats, messages, outbox',
    up(db) {
      db.exec(`
        -- This device's account. Exactly one row once signed up; private keys live only here.
        CREATE TABLE account (
          id                  INTEGER PRIMARY KEY CHECK (id = 1),
          user_id             TEXT NOT NULL,
          username            TEXT NOT NULL,
          display_name        TEXT NOT NULL,
          identity_public_key BLOB NOT NULL,
          identity_secret_key BLOB NOT NULL,
          dh_public_key       BLOB NOT NULL,
          dh_secret_key       BLOB NOT NULL,
          dh_key_sig          BLOB NOT NULL,
          created_at          INTEGER NOT NULL
        ) STRICT;

        -- Public records of people we talk to, keys pinned on first use (dhKeySig verified).
        CREATE TABLE contacts (
          user_id      TEXT PRIMARY KEY,
          username     TEXT NOT NULL,
          display_name TEXT NOT NULL,
          identity_key BLOB NOT NULL,
          dh_key       BLOB NOT NULL,
          dh_key_sig   BLOB NOT NULL,
          updated_at   INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE chats (
          id         TEXT PRIMARY KEY,
          kind       TEXT NOT NULL CHECK (kind = 'direct'),
          peer_id    TEXT NOT NULL REFERENCES contacts (user_id),
          unread     INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
          updated_at INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX chats_direct_peer ON chats (peer_id) WHERE kind = 'direct';
        CREATE INDEX chats_by_activity ON chats (updated_at DESC);

        -- History order: relay seq for sequenced messages, then not-yet-sequenced ones (still
        -- in the outbox, or failed) in creation order. (pending, seq_key, local_id) is that
        -- order as one index key, which also makes keyset paging cursors cheap.
        CREATE TABLE messages (
          local_id      INTEGER PRIMARY KEY AUTOINCREMENT,
          chat_id       TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
          id            TEXT NOT NULL,
          sender_id     TEXT NOT NULL,
          from_me       INTEGER NOT NULL CHECK (from_me IN (0, 1)),
          text          TEXT NOT NULL,
          sent_at       INTEGER NOT NULL,
          seq           INTEGER CHECK (seq > 0),
          relay_ts      INTEGER,
          status        TEXT CHECK (status IN ('sending', 'sent', 'delivered', 'read', 'failed')),
          error         TEXT,
          -- Incoming only: a 'read' receipt covering this message has been queued.
          read_reported INTEGER NOT NULL DEFAULT 0 CHECK (read_reported IN (0, 1)),
          pending       INTEGER GENERATED ALWAYS AS (seq IS NULL) VIRTUAL,
          seq_key       INTEGER GENERATED ALWAYS AS (coalesce(seq, 0)) VIRTUAL,
          UNIQUE (chat_id, id),
          CHECK ((from_me = 1) = (status IS NOT NULL))
        ) STRICT;
        CREATE INDEX messages_history ON messages (chat_id, pending, seq_key, local_id);

        -- Envelopes waiting for the relay's 'sent', oldest first. The body is already
        -- encrypted: what is retried is byte-for-byte what was first sent, under the same
        -- msg_id, so the relay's de-duplication recognises a resend.
        CREATE TABLE outbox (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          msg_id           TEXT NOT NULL UNIQUE,
          recipient_id     TEXT NOT NULL,
          kind             TEXT NOT NULL CHECK (kind IN ('message', 'receipt')),
          message_local_id INTEGER REFERENCES messages (local_id) ON DELETE CASCADE,
          body             BLOB NOT NULL,
          created_at       INTEGER NOT NULL,
          CHECK ((kind = 'message') = (message_local_id IS NOT NULL))
        ) STRICT;
      `);
    },
  },
  {
    version: 2,
    description: 'end-to-end encryption: ratchet sessions, prekeys, contact security, message kinds, plaintext outbox',
    up(db) {
      db.exec(`
        -- Double Ratchet sessions (e2ee/state.ts serialization; holds secret keys). Several per
        -- peer: the one with the highest rank is used for sending; the others still decrypt
        -- (both sides may start a session at the same time). Dropped when the peer's identity changes.
        CREATE TABLE ratchet_sessions (
          peer_id    TEXT NOT NULL REFERENCES contacts (user_id) ON DELETE CASCADE,
          base_key   BLOB NOT NULL,
          state      BLOB NOT NULL,
          rank       INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (peer_id, base_key)
        ) STRICT;
        -- This device's signed prekeys: the current one (retired_at NULL) and the previous one
        -- during its grace period.
        CREATE TABLE signed_prekeys (
          id         INTEGER PRIMARY KEY,
          public_key BLOB NOT NULL,
          secret_key BLOB NOT NULL,
          signature  BLOB NOT NULL,
          created_at INTEGER NOT NULL,
          retired_at INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX signed_prekeys_current ON signed_prekeys ((retired_at IS NULL)) WHERE retired_at IS NULL;
        -- One-time prekey secrets, stored before their public halves are uploaded, deleted
        -- when a session-starting message consumes them.
        CREATE TABLE one_time_prekeys (
          id         INTEGER PRIMARY KEY,
          public_key BLOB NOT NULL,
          secret_key BLOB NOT NULL,
          uploaded   INTEGER NOT NULL DEFAULT 0 CHECK (uploaded IN (0, 1)),
          created_at INTEGER NOT NULL
        ) STRICT;
        -- A key reset in progress: the new identity is stored before the relay is asked to
        -- switch, so a crash or a lost answer cannot leave the relay with keys we no longer have.
        CREATE TABLE pending_identity (
          id                  INTEGER PRIMARY KEY CHECK (id = 1),
          identity_public_key BLOB NOT NULL,
          identity_secret_key BLOB NOT NULL,
          dh_public_key       BLOB NOT NULL,
          dh_secret_key       BLOB NOT NULL,
          dh_key_sig          BLOB NOT NULL
        ) STRICT;
        -- Next prekey ids: monotonic, never reused (not even after a key reset).
        CREATE TABLE prekey_ids (
          id               INTEGER PRIMARY KEY CHECK (id = 1),
          next_signed_id   INTEGER NOT NULL,
          next_one_time_id INTEGER NOT NULL
        ) STRICT;
        INSERT INTO prekey_ids (id, next_signed_id, next_one_time_id) VALUES (1, 1, 1);
        -- What the user knows about a contact's identity key (kept apart from the relay record).
        CREATE TABLE contact_security (
          user_id      TEXT PRIMARY KEY REFERENCES contacts (user_id) ON DELETE CASCADE,
          verified     INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
          key_changed  INTEGER NOT NULL DEFAULT 0 CHECK (key_changed IN (0, 1)),
          sending_held INTEGER NOT NULL DEFAULT 0 CHECK (sending_held IN (0, 1))
        ) STRICT;
        -- Lines the core writes itself (text empty): keyChanged, undecryptable.
        ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
          CHECK (kind IN ('text', 'keyChanged', 'undecryptable'));
        -- The outbox now holds the plaintext payload; the OutboxSender seals a row right
        -- before its first send, storing body (the envelope) and sealed_for (the recipient
        -- identity key) in the transaction that stores the advanced ratchet state. Resends
        -- reuse body byte for byte; a body is cleared (to be sealed again) only when the
        -- recipient's identity changed and it was never stored by the relay.
        CREATE TABLE outbox_v2 (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          msg_id           TEXT NOT NULL UNIQUE,
          recipient_id     TEXT NOT NULL,
          kind             TEXT NOT NULL CHECK (kind IN ('message', 'receipt')),
          message_local_id INTEGER REFERENCES messages (local_id) ON DELETE CASCADE,
          plaintext        BLOB,
          body             BLOB,
          sealed_for       BLOB,
          created_at       INTEGER NOT NULL,
          CHECK ((kind = 'message') = (message_local_id IS NOT NULL)),
          CHECK (plaintext IS NOT NULL OR body IS NOT NULL),
          CHECK ((body IS NULL) = (sealed_for IS NULL) OR plaintext IS NULL)
        ) STRICT;
      `);
      // Rows queued by a build before the ratchet hold bodies sealed the old way (box1),
      // which peers can no longer open. A message is queued again as its plaintext (from
      // the message row), so it is sealed on a ratchet session and nothing typed is lost;
      // a queued receipt is dropped (the peer's ticks just stay one step behind).
      const pending = db
        .prepare<
          [],
          { id: number; msg_id: string; recipient_id: string; message_local_id: number; created_at: number }
        >(
          `SELECT o.id, o.msg_id, o.recipient_id, o.message_local_id, o.created_at FROM outbox o
           WHERE o.kind = 'message' ORDER BY o.id`,
        )
        .all();
      const messageOf = db.prepare<[number], { text: string; sent_at: number }>(
        'SELECT text, sent_at FROM messages WHERE local_id = ?',
      );
      const insert = db.prepare(
        `INSERT INTO outbox_v2 (id, msg_id, recipient_id, kind, message_local_id, plaintext, created_at)
         VALUES (?, ?, ?, 'message', ?, ?, ?)`,
      );
      for (const row of pending) {
        const message = messageOf.get(row.message_local_id);
        if (!message) continue;
        // The v1 text payload, as the plaintext codec of this schema encodes it.
        const plaintext = packr.pack({ k: 'text', text: message.text, sentAt: message.sent_at });
        insert.run(row.id, row.msg_id, row.recipient_id, row.message_local_id, plaintext, row.created_at);
      }
      db.exec(`
        DROP TABLE outbox;
        ALTER TABLE outbox_v2 RENAME TO outbox;
        CREATE INDEX outbox_by_recipient ON outbox (recipient_id);
      `);
    },
  },
  {
    version: 3,
    description: 'channels: followed and owned channels, verified posts with sequence numbers',
    up(db) {
      migrateChannels(db);
    },
  },
  {
    version: 4,
    description: 'message lifecycle: replies, edits, reactions, self-destruct timers, tombstones, drafts, settings',
    up(db) {
      // messages and outbox are rebuilt (SQLite cannot change a CHECK): the outbox copy is
      // set aside first, so dropping messages cascades into nothing.
      db.exec(`
        CREATE TEMP TABLE outbox_keep AS SELECT * FROM outbox;
        DROP TABLE outbox;
        CREATE TABLE messages_v4 (
          local_id      INTEGER PRIMARY KEY AUTOINCREMENT,
          chat_id       TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
          id            TEXT NOT NULL,
          sender_id     TEXT NOT NULL,
          from_me       INTEGER NOT NULL CHECK (from_me IN (0, 1)),
          text          TEXT NOT NULL,
          sent_at       INTEGER NOT NULL,
          seq           INTEGER CHECK (seq > 0),
          relay_ts      INTEGER,
          status        TEXT CHECK (status IN ('sending', 'sent', 'delivered', 'read', 'failed')),
          error         TEXT,
          read_reported INTEGER NOT NULL DEFAULT 0 CHECK (read_reported IN (0, 1)),
          pending       INTEGER GENERATED ALWAYS AS (seq IS NULL) VIRTUAL,
          seq_key       INTEGER GENERATED ALWAYS AS (coalesce(seq, 0)) VIRTUAL,
          -- timer: a system line "the self-destruct timer is now expires_in seconds".
          kind          TEXT NOT NULL DEFAULT 'text'
            CHECK (kind IN ('text', 'keyChanged', 'undecryptable', 'timer')),
          -- The message this one answers (an id in the same chat; it may be gone since).
          reply_to      TEXT,
          -- Self-destruct timer in seconds (0: none). For a timer line: the new timer.
          expires_in    INTEGER NOT NULL DEFAULT 0 CHECK (expires_in >= 0),
          -- When the expiry scheduler deletes it (ms since epoch); NULL until the countdown starts.
          expire_at     INTEGER,
          edited_at     INTEGER,
          UNIQUE (chat_id, id),
          CHECK ((from_me = 1) = (status IS NOT NULL))
        ) STRICT;
        INSERT INTO messages_v4 (local_id, chat_id, id, sender_id, from_me, text, sent_at, seq, relay_ts,
                                 status, error, read_reported, kind)
          SELECT local_id, chat_id, id, sender_id, from_me, text, sent_at, seq, relay_ts,
                 status, error, read_reported, kind FROM messages;
        DROP TABLE messages;
        ALTER TABLE messages_v4 RENAME TO messages;
        CREATE INDEX messages_history ON messages (chat_id, pending, seq_key, local_id);
        CREATE INDEX messages_expiry ON messages (expire_at) WHERE expire_at IS NOT NULL;

        -- control: a timer change, edit, delete or reaction; target_id names the message it is
        -- about, so the rows carrying a message's text go when the message does. purge_at is
        -- the relay's deadline for the envelope (timed messages only).
        CREATE TABLE outbox (
          id               INTEGER PRIMARY KEY AUTOINCREMENT,
          msg_id           TEXT NOT NULL UNIQUE,
          recipient_id     TEXT NOT NULL,
          kind             TEXT NOT NULL CHECK (kind IN ('message', 'receipt', 'control')),
          message_local_id INTEGER REFERENCES messages (local_id) ON DELETE CASCADE,
          plaintext        BLOB,
          body             BLOB,
          sealed_for       BLOB,
          created_at       INTEGER NOT NULL,
          target_id        TEXT,
          purge_at         INTEGER,
          CHECK ((kind = 'message') = (message_local_id IS NOT NULL)),
          CHECK (plaintext IS NOT NULL OR body IS NOT NULL),
          CHECK ((body IS NULL) = (sealed_for IS NULL) OR plaintext IS NULL)
        ) STRICT;
        INSERT INTO outbox (id, msg_id, recipient_id, kind, message_local_id, plaintext, body, sealed_for, created_at)
          SELECT id, msg_id, recipient_id, kind, message_local_id, plaintext, body, sealed_for, created_at
          FROM temp.outbox_keep;
        DROP TABLE temp.outbox_keep;
        CREATE INDEX outbox_by_recipient ON outbox (recipient_id);
        CREATE INDEX outbox_by_target ON outbox (target_id) WHERE target_id IS NOT NULL;

        -- Per chat: self-destruct timer (seconds), the composer's draft, read receipts
        -- (NULL: follow the global setting).
        ALTER TABLE chats ADD COLUMN timer INTEGER NOT NULL DEFAULT 0 CHECK (timer >= 0);
        -- When the timer was set (the setter's clock): the newest change wins on both sides,
        -- so two changes crossing each other still leave both sides with the same timer.
        ALTER TABLE chats ADD COLUMN timer_set_at INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE chats ADD COLUMN draft TEXT NOT NULL DEFAULT '';
        ALTER TABLE chats ADD COLUMN read_receipts INTEGER CHECK (read_receipts IN (0, 1));

        -- One reaction per person per message; the newest (by the reactor's clock) wins.
        CREATE TABLE reactions (
          chat_id    TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
          message_id TEXT NOT NULL,
          sender_id  TEXT NOT NULL,
          emoji      TEXT NOT NULL,
          at         INTEGER NOT NULL,
          PRIMARY KEY (chat_id, message_id, sender_id)
        ) STRICT, WITHOUT ROWID;

        -- Ids of messages deleted (expired, deleted for me or for everyone): no content, only
        -- the id, so a redelivered or late copy is never stored again.
        CREATE TABLE message_tombstones (
          chat_id    TEXT NOT NULL,
          id         TEXT NOT NULL,
          removed_at INTEGER NOT NULL,
          PRIMARY KEY (chat_id, id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE settings (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    version: 5,
    description: 'channels: avatars (the bytes as the relay holds them)',
    up(db) {
      db.exec('ALTER TABLE channels ADD COLUMN avatar BLOB');
    },
  },
  {
    version: 6,
    description: 'private groups: verified change log, members, sender keys, group messages',
    up(db) {
      migrateGroups(db);
    },
  },
  {
    version: 7,
    description:
      'message lifecycle in groups (timers, replies, edits, deletes, reactions, drafts) and forwarded copies',
    up(db) {
      migrateGroupLifecycle(db);
    },
  },
  {
    version: 8,
    description: 'channels: info revision and removed admins (revocations)',
    up(db) {
      migrateChannelManagement(db);
    },
  },
  {
    version: 9,
    description: 'groups: the membership version a held message was stored under (roles as they were)',
    up(db) {
      db.exec('ALTER TABLE group_held ADD COLUMN version INTEGER');
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the profile database has schema version ${found}, newer than this Parley understands ` +
        `(${SCHEMA_VERSION}); update Parley to open it`,
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Brings the database to the latest schema; each step commits atomically with its version. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
