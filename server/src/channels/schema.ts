/**
 * Relay schema version 3: channels. A post is stored once (no per-subscriber rows); the
 * channel's `head` counter gives every post creation, edit and deletion its number.
 */
export const CHANNELS_MIGRATION = `
  CREATE TABLE channels (
    channel_id  TEXT PRIMARY KEY,
    channel_key BLOB NOT NULL UNIQUE,
    owner_id    TEXT NOT NULL REFERENCES users (user_id),
    -- NULL for a private channel. NOCASE: handles are unique regardless of case.
    handle      TEXT UNIQUE COLLATE NOCASE,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    avatar      BLOB,
    -- Last sequence number taken (posts, edits and deletions share the counter).
    head        INTEGER NOT NULL DEFAULT 0,
    -- Kept in step with channel_members, so counts are O(1).
    subscribers INTEGER NOT NULL DEFAULT 0,
    pinned      TEXT,
    created_at  INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX channels_by_title ON channels (title COLLATE NOCASE) WHERE handle IS NOT NULL;

  -- Subscribers (the owner and admins too). Last-read is kept by each client, not here.
  CREATE TABLE channel_members (
    channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX channel_members_by_user ON channel_members (user_id);

  -- Admins with the channel key's certificate of their identity key (the owner included).
  CREATE TABLE channel_admins (
    channel_id   TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    identity_key BLOB NOT NULL,
    cert         BLOB NOT NULL,
    PRIMARY KEY (channel_id, user_id)
  ) STRICT, WITHOUT ROWID;

  -- One row per post: its latest revision. cseq is the head number of its latest change.
  CREATE TABLE channel_posts (
    channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    post_id    TEXT NOT NULL,
    cseq       INTEGER NOT NULL,
    rev        INTEGER NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    body       BLOB NOT NULL,
    author     BLOB NOT NULL,
    cert       BLOB NOT NULL,
    sig        BLOB NOT NULL,
    ts         INTEGER NOT NULL,
    edited_at  INTEGER,
    -- Aggregated: the relay counts views in memory and adds them here in batches.
    views      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX channel_posts_by_id ON channel_posts (channel_id, post_id);
  CREATE UNIQUE INDEX channel_posts_by_change ON channel_posts (channel_id, cseq);

  CREATE TABLE channel_invites (
    token      TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX channel_invites_by_channel ON channel_invites (channel_id);
`;

/**
 * Relay schema version 7: owners manage a channel after creating it.
 * - `channels.info_rev` counts changes of a channel's info that are not posts (avatar,
 *   admins), so a subscriber that missed one notices on catch-up.
 * - `channel_revocations`: the channel key's signature removing an admin's certified key;
 *   `after_cseq` is the head when it committed (that key's revisions up to it stay valid).
 *   Re-adding the admin deletes it.
 */
export const CHANNEL_MANAGE_MIGRATION = `
  ALTER TABLE channels ADD COLUMN info_rev INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE channel_revocations (
    channel_id   TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
    identity_key BLOB NOT NULL,
    after_cseq   INTEGER NOT NULL,
    sig          BLOB NOT NULL,
    revoked_at   INTEGER NOT NULL,
    PRIMARY KEY (channel_id, identity_key)
  ) STRICT, WITHOUT ROWID;
`;
