/**
 * Schema migrations, applied in order and recorded in SQLite's `user_version`. Append new
 * migrations; never edit a released one (profiles in the field already ran it).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

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
