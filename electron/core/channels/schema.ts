/**
 * Profile database version 3: channels this profile follows or owns, and their posts (as
 * verified on receipt). `cursor` is the last change number (cseq) applied: catch-up asks
 * the relay for everything after it.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';

export function migrateChannels(db: Database): void {
  db.exec(`
    CREATE TABLE channels (
      channel_id   TEXT PRIMARY KEY,
      channel_key  BLOB NOT NULL,
      -- Owner only: the channel's Ed25519 secret key (certifies admins). Never leaves the core.
      channel_secret_key BLOB,
      handle       TEXT,
      title        TEXT NOT NULL,
      description  TEXT NOT NULL,
      owner_id     TEXT NOT NULL,
      role         TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'subscriber')),
      my_cert      BLOB,
      subscribers  INTEGER NOT NULL DEFAULT 0,
      pinned       TEXT,
      cursor       INTEGER NOT NULL DEFAULT 0,
      muted        INTEGER NOT NULL DEFAULT 0,
      last_read_seq INTEGER NOT NULL DEFAULT 0,
      updated_at   INTEGER NOT NULL,
      joined_at    INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE channel_posts (
      channel_id TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
      seq        INTEGER NOT NULL,
      post_id    TEXT NOT NULL,
      cseq       INTEGER NOT NULL,
      rev        INTEGER NOT NULL,
      deleted    INTEGER NOT NULL DEFAULT 0,
      text       TEXT NOT NULL,
      author     BLOB NOT NULL,
      ts         INTEGER NOT NULL,
      edited_at  INTEGER,
      views      INTEGER NOT NULL DEFAULT 0,
      -- This profile reported the post as viewed.
      viewed     INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (channel_id, seq)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX channel_posts_by_id ON channel_posts (channel_id, post_id);
  `);
}

/**
 * Profile database version 8: channel changes that are not posts. `info_rev` is the relay's
 * info revision this copy reflects (catch-up re-reads the info when the relay's is newer);
 * `channel_revocations` holds removed admins' keys whose revocation verified with the
 * channel key: their revisions with cseq above `after_cseq` are refused.
 */
export function migrateChannelManagement(db: Database): void {
  db.exec(`
    ALTER TABLE channels ADD COLUMN info_rev INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE channel_revocations (
      channel_id   TEXT NOT NULL REFERENCES channels (channel_id) ON DELETE CASCADE,
      identity_key BLOB NOT NULL,
      after_cseq   INTEGER NOT NULL,
      PRIMARY KEY (channel_id, identity_key)
    ) STRICT, WITHOUT ROWID;
  `);
}
