/**
 * Relay schema version 5: private groups. A group message is stored ONCE (group_messages);
 * each member has one delivery cursor (group_members.cursor, the last sequence number it
 * acknowledged), never a per-member copy. A message is deleted once every member's cursor
 * has passed it. The signed membership log is kept in full (group_changes).
 */
export const GROUPS_MIGRATION = `
  CREATE TABLE groups (
    group_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    owner_id   TEXT NOT NULL REFERENCES users (user_id),
    -- Membership version: the version of the latest signed change (create = 1).
    version    INTEGER NOT NULL,
    -- Sequence number of the latest message (0 before the first).
    head       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE group_members (
    group_id  TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role      TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    -- Last sequence number this member acknowledged; starts at the head when it joins, so
    -- a new member is never sent what was written before it could read it.
    cursor    INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX group_members_by_user ON group_members (user_id);
  -- The lowest cursor decides which messages every member has: an index keeps that O(log n) per ack.
  CREATE INDEX group_members_by_cursor ON group_members (group_id, cursor);

  -- The signed change log, as received (MessagePack of the change record incl. signature).
  CREATE TABLE group_changes (
    group_id TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    change   BLOB NOT NULL,
    PRIMARY KEY (group_id, version)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE group_invites (
    token    TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    approval INTEGER NOT NULL,
    revoked  INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX group_invites_by_group ON group_invites (group_id);

  CREATE TABLE group_join_requests (
    group_id     TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    requested_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE group_messages (
    group_id  TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    msg_id    TEXT NOT NULL,
    ts        INTEGER NOT NULL,
    body      BLOB NOT NULL,
    PRIMARY KEY (group_id, seq)
  ) STRICT, WITHOUT ROWID;

  -- (group, sender, msgId) of accepted messages, kept after the message itself is deleted
  -- so a late resend is answered with the original seq. Pruned by age.
  CREATE TABLE group_sent (
    group_id  TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    msg_id    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    ts        INTEGER NOT NULL,
    PRIMARY KEY (group_id, sender_id, msg_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX group_sent_by_ts ON group_sent (ts);
`;

/**
 * Relay schema version 6: purge deadlines of self-destructing group messages (gSend.purgeAt).
 * A message is never delivered at or after its deadline; the relay's purge sweep deletes the
 * row then, whether or not every member has it. The partial index keeps that sweep from
 * scanning untimed messages.
 */
export const GROUP_PURGE_MIGRATION = `
  ALTER TABLE group_messages ADD COLUMN purge_at INTEGER;
  CREATE INDEX group_messages_by_purge_at ON group_messages (purge_at) WHERE purge_at IS NOT NULL;
`;

/**
 * Relay schema version 10: the group's membership version when each message was stored, so a
 * receiver checks the sender's role as it was then (an admin's timer change written before a
 * demotion stays valid for members who learn of both later). Null for older rows.
 */
export const GROUP_MESSAGE_VERSION_MIGRATION = `
  ALTER TABLE group_messages ADD COLUMN version INTEGER;
`;
