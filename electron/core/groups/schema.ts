/**
 * Local tables of private groups (profile schema version 6). Group messages live in their own
 * table rather than `messages`: `chats` is direct-only by a CHECK and keyed by peer, and a group
 * line needs its relay seq per group. The renderer merges groups into the chat list (like
 * channels).
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export function migrateGroups(db: Database): void {
  db.exec(`
    -- One row per group this profile knows. status: active (a member), removed (an admin
    -- removed us), left. rotate: our sender key must be replaced before our next message
    -- (set by every membership change). mismatch: the relay's member list disagreed with the
    -- verified log.
    CREATE TABLE groups (
      id           TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      version      INTEGER NOT NULL CHECK (version > 0),
      status       TEXT NOT NULL CHECK (status IN ('active', 'removed', 'left')),
      rotate       INTEGER NOT NULL DEFAULT 1 CHECK (rotate IN (0, 1)),
      mismatch     INTEGER NOT NULL DEFAULT 0 CHECK (mismatch IN (0, 1)),
      unread       INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
      acked_seq    INTEGER NOT NULL DEFAULT 0,
      updated_at   INTEGER NOT NULL,
      created_at   INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE group_members (
      group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      user_id  TEXT NOT NULL,
      role     TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
      PRIMARY KEY (group_id, user_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE group_invites (
      group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      token    TEXT NOT NULL,
      approval INTEGER NOT NULL CHECK (approval IN (0, 1)),
      PRIMARY KEY (group_id, token)
    ) STRICT, WITHOUT ROWID;

    -- The verified change log, as received (MessagePack of the signed record).
    CREATE TABLE group_changes (
      group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      version  INTEGER NOT NULL,
      record   BLOB NOT NULL,
      PRIMARY KEY (group_id, version)
    ) STRICT, WITHOUT ROWID;

    -- Our own sending chain per group (serialized SenderKeyState, secret signing key inside).
    CREATE TABLE group_sender_keys (
      group_id TEXT PRIMARY KEY,
      state    BLOB NOT NULL
    ) STRICT;

    -- Other members' chains (serialized ReceiverKeyState). May arrive before the group itself.
    CREATE TABLE group_receiver_keys (
      group_id  TEXT NOT NULL,
      sender_id TEXT NOT NULL,
      state     BLOB NOT NULL,
      PRIMARY KEY (group_id, sender_id)
    ) STRICT, WITHOUT ROWID;

    -- Messages whose sender key generation has not arrived yet (unknown_generation).
    CREATE TABLE group_held (
      group_id  TEXT NOT NULL,
      seq       INTEGER NOT NULL,
      sender_id TEXT NOT NULL,
      msg_id    TEXT NOT NULL,
      relay_ts  INTEGER NOT NULL,
      body      BLOB NOT NULL,
      held_at   INTEGER NOT NULL,
      PRIMARY KEY (group_id, seq)
    ) STRICT, WITHOUT ROWID;

    -- kind text: a message; system: a membership line (text = JSON {action, actor, targets, name}).
    -- Outgoing: body is the sealed Sender Keys message, kept until the relay took it.
    CREATE TABLE group_messages (
      local_id   INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      id         TEXT NOT NULL,
      sender_id  TEXT NOT NULL,
      from_me    INTEGER NOT NULL CHECK (from_me IN (0, 1)),
      kind       TEXT NOT NULL CHECK (kind IN ('text', 'system')),
      text       TEXT NOT NULL,
      sent_at    INTEGER NOT NULL,
      seq        INTEGER,
      status     TEXT CHECK (status IN ('sending', 'sent', 'failed')),
      body       BLOB,
      UNIQUE (group_id, id)
    ) STRICT;
    CREATE INDEX group_messages_history ON group_messages (group_id, local_id);
    CREATE INDEX group_messages_unsent ON group_messages (status) WHERE status = 'sending';
  `);
}
