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

/**
 * Profile schema version 7: the message lifecycle in groups. group_messages is rebuilt (SQLite
 * cannot change a CHECK) to allow two more kinds — timer (an owner or admin set the
 * self-destruct timer; ours carries its sealed body until sent) and control (our queued edit,
 * delete or reaction: never shown, only a sealed body, deleted once the relay took it) — so
 * every group message we send leaves in the order it was sealed — and held (a received
 * message waiting for its sender key: its place in the history, kept so it appears where it
 * arrived, not where it opened). Reactions get their own
 * table; tombstones of removed group messages go to message_tombstones with the group id as
 * chat id.
 */
export function migrateGroupLifecycle(db: Database): void {
  db.exec(`
    CREATE TABLE group_messages_v7 (
      local_id   INTEGER PRIMARY KEY AUTOINCREMENT,
      group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      id         TEXT NOT NULL,
      sender_id  TEXT NOT NULL,
      from_me    INTEGER NOT NULL CHECK (from_me IN (0, 1)),
      kind       TEXT NOT NULL CHECK (kind IN ('text', 'system', 'timer', 'control', 'held')),
      text       TEXT NOT NULL,
      sent_at    INTEGER NOT NULL,
      seq        INTEGER,
      status     TEXT CHECK (status IN ('sending', 'sent', 'failed')),
      body       BLOB,
      reply_to   TEXT,
      edited_at  INTEGER,
      -- Self-destruct timer of a text (seconds, 0 = none); for a timer line, the new timer.
      expires_in INTEGER NOT NULL DEFAULT 0 CHECK (expires_in >= 0),
      -- When it goes (ms since epoch), once its countdown started.
      expire_at  INTEGER,
      forwarded  INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1)),
      -- Relay deadline sent with gSend (timed messages and controls about them).
      purge_at   INTEGER,
      -- Control rows: the message an edit is about (removed with it).
      target_id  TEXT,
      -- Incoming texts: the user has seen it and (receipts on) its sender was told.
      read_reported INTEGER NOT NULL DEFAULT 0 CHECK (read_reported IN (0, 1)),
      UNIQUE (group_id, id)
    ) STRICT;
    INSERT INTO group_messages_v7 (local_id, group_id, id, sender_id, from_me, kind, text, sent_at, seq, status, body,
        read_reported)
      SELECT local_id, group_id, id, sender_id, from_me, kind, text, sent_at, seq, status, body, 1 FROM group_messages;
    DROP TABLE group_messages;
    ALTER TABLE group_messages_v7 RENAME TO group_messages;
    CREATE INDEX group_messages_history ON group_messages (group_id, local_id);
    CREATE INDEX group_messages_unsent ON group_messages (status) WHERE status = 'sending';
    CREATE INDEX group_messages_expiry ON group_messages (expire_at) WHERE expire_at IS NOT NULL;
    CREATE INDEX group_messages_target ON group_messages (target_id) WHERE target_id IS NOT NULL;

    -- Who has read our group messages (from their read receipts).
    CREATE TABLE group_reads (
      group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      message_id TEXT NOT NULL,
      reader_id  TEXT NOT NULL,
      PRIMARY KEY (group_id, message_id, reader_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE group_reactions (
      group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
      message_id TEXT NOT NULL,
      sender_id  TEXT NOT NULL,
      emoji      TEXT NOT NULL,
      at         INTEGER NOT NULL,
      PRIMARY KEY (group_id, message_id, sender_id)
    ) STRICT, WITHOUT ROWID;

    -- timer_at: the sender's clock of the timer change in effect (crossing changes: the later wins).
    -- read_upto: local id of the newest line the user has seen (unread = incoming texts after it).
    ALTER TABLE groups ADD COLUMN timer INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN timer_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE groups ADD COLUMN draft TEXT NOT NULL DEFAULT '';
    ALTER TABLE groups ADD COLUMN read_upto INTEGER NOT NULL DEFAULT 0;
    UPDATE groups SET read_upto = coalesce((SELECT max(local_id) FROM group_messages WHERE group_id = groups.id), 0);

    ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1));
  `);
  // Groups with unread lines: seen up to just before the unread-th newest incoming text.
  const unread = db.prepare('SELECT id, unread FROM groups WHERE unread > 0').all() as { id: string; unread: number }[];
  const nth = db.prepare(
    `SELECT local_id FROM group_messages WHERE group_id = ? AND from_me = 0 AND kind = 'text'
     ORDER BY local_id DESC LIMIT 1 OFFSET ?`,
  );
  const set = db.prepare('UPDATE groups SET read_upto = ? WHERE id = ?');
  for (const group of unread) {
    const row = nth.get(group.id, group.unread - 1) as { local_id: number } | undefined;
    set.run(row ? row.local_id - 1 : 0, group.id);
  }
}
