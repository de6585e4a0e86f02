/**
 * The relay's SQLite schema, versioned with PRAGMA user_version. Each migration moves the
 * database from version N to N+1 and runs in its own transaction; never edit a released
 * migration, append a new one.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { CHANNEL_MANAGE_MIGRATION, CHANNELS_MIGRATION } from '../channels/schema';
import { GROUP_MESSAGE_VERSION_MIGRATION, GROUP_PURGE_MIGRATION, GROUPS_MIGRATION } from '../groups/schema';

const MIGRATIONS: readonly string[] = [
  // 1: accounts, devices, per-device queues, conversation sequence numbers, send de-duplication.
  `
  CREATE TABLE users (
    user_id      TEXT PRIMARY KEY,
    -- NOCASE: usernames are unique regardless of case, and prefix LIKE searches use this index.
    username     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    identity_key BLOB NOT NULL UNIQUE,
    dh_key       BLOB NOT NULL,
    dh_key_sig   BLOB NOT NULL,
    created_at   INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE devices (
    device_id  TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    -- The device's queue ids come from this counter, so they increase per device and are
    -- never reused, even after the queue was emptied.
    last_eid   INTEGER NOT NULL DEFAULT 0,
    -- Envelopes waiting in the queue; kept in step with the envelopes table so the
    -- queue-depth check on every send is O(1).
    queued     INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX devices_by_user ON devices (user_id);

  -- One row per 1:1 conversation; user_a < user_b, so the pair is unordered.
  CREATE TABLE conversations (
    user_a   TEXT NOT NULL,
    user_b   TEXT NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (user_a, user_b)
  ) STRICT, WITHOUT ROWID;

  -- (sender, msgId) of every accepted message, kept after delivery so a late resend is
  -- answered with the original seq instead of being delivered twice. Pruned by age.
  CREATE TABLE sent_messages (
    sender_id TEXT NOT NULL,
    msg_id    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    ts        INTEGER NOT NULL,
    PRIMARY KEY (sender_id, msg_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX sent_messages_by_ts ON sent_messages (ts);

  CREATE TABLE envelopes (
    device_id TEXT NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    eid       INTEGER NOT NULL,
    sender_id TEXT NOT NULL,
    msg_id    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    ts        INTEGER NOT NULL,
    body      BLOB NOT NULL,
    PRIMARY KEY (device_id, eid)
  ) STRICT;
  `,
  // 2: prekeys for X3DH (public halves only; the relay never holds a private key).
  `
  -- The account's current signed prekey, verified against users.identity_key on upload.
  CREATE TABLE signed_prekeys (
    user_id    TEXT PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
    key_id     INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    -- As signed by the client (ms since epoch), not the upload time.
    created_at INTEGER NOT NULL,
    signature  BLOB NOT NULL
  ) STRICT;

  -- The one-time prekey stock. A bundle request deletes the row it hands out.
  CREATE TABLE one_time_prekeys (
    user_id    TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    key_id     INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    PRIMARY KEY (user_id, key_id)
  ) STRICT, WITHOUT ROWID;

  -- Ids of one-time prekeys already handed out under the account's current identity key: a
  -- retried upload (its answer lost after a key was taken) must not put one back in stock.
  -- Cleared with the stock on a rekey.
  CREATE TABLE used_one_time_prekeys (
    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    key_id  INTEGER NOT NULL,
    PRIMARY KEY (user_id, key_id)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: channels (server/src/channels/schema.ts).
  CHANNELS_MIGRATION,
  // 4: purge deadlines for envelopes of self-destructing messages.
  `
  ALTER TABLE envelopes ADD COLUMN purge_at INTEGER;
  CREATE INDEX envelopes_by_purge_at ON envelopes (purge_at) WHERE purge_at IS NOT NULL;
  `,
  // 5: private groups (server/src/groups/schema.ts).
  GROUPS_MIGRATION,
  // 6: purge deadlines for self-destructing group messages (server/src/groups/schema.ts).
  GROUP_PURGE_MIGRATION,
  // 7: channel info revisions and admin revocations (server/src/channels/schema.ts).
  CHANNEL_MANAGE_MIGRATION,
  // 8: when each one-time prekey id was handed out, so the list of used ids can be pruned.
  `
  ALTER TABLE used_one_time_prekeys ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;
  UPDATE used_one_time_prekeys SET used_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
  CREATE INDEX used_one_time_prekeys_by_used_at ON used_one_time_prekeys (used_at);
  `,
  // 9: when each account's identity key last changed (rekey), so conversation partners who
  // were offline can ask at their next login (keysChanged). NULL: never changed.
  `
  ALTER TABLE users ADD COLUMN identity_changed_at INTEGER;
  `,
  // 10: the membership version each group message was stored under (server/src/groups/schema.ts).
  GROUP_MESSAGE_VERSION_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses a database written by a newer relay. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true });
  if (typeof current !== 'number') throw new Error('could not read the database schema version');
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `the relay database has schema version ${current}, newer than this relay supports (${SCHEMA_VERSION}); ` +
        'run a newer relay',
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const migration = MIGRATIONS[version];
    if (migration === undefined) throw new Error(`missing migration to schema version ${version + 1}`);
    db.transaction(() => {
      db.exec(migration);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
