/**
 * The default Storage: one SQLite file in WAL mode, zero setup.
 *
 * Durability: `synchronous = FULL`. The relay answers `sent` only after the commit, and the
 * sender then drops its outbox copy; with NORMAL a power loss could roll back a commit the
 * relay already acknowledged and the message would be lost on both sides. FULL fsyncs the
 * WAL on every commit, which is the price of that promise — paid once per batch: every write
 * goes through a GroupCommit, so the writes of one event-loop turn (all connections) share
 * one transaction and one fsync. Reads run directly.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { PublicUser } from '../../../shared/protocol';
import { SqliteChannelStore } from '../channels/sqliteStore';
import { SqliteGroupStore } from '../groups/sqliteStore';
import { GroupCommit, type GroupCommitOptions } from './groupCommit';
import { newDeviceId, newUserId } from './ids';
import { migrate } from './sqliteSchema';
import type {
  Account,
  CreateAccountResult,
  EnqueueResult,
  KeyChange,
  NewAccount,
  NewEnvelope,
  PreKeyState,
  PreKeyUpload,
  PreKeyUploadResult,
  QueuedEnvelope,
  Rekey,
  RekeyResult,
  Storage,
  TakeBundleResult,
} from './storage';

interface UserRow {
  user_id: string;
  username: string;
  display_name: string;
  // better-sqlite3 returns each BLOB as a fresh Buffer over a plain ArrayBuffer.
  identity_key: Buffer<ArrayBuffer>;
  dh_key: Buffer<ArrayBuffer>;
  dh_key_sig: Buffer<ArrayBuffer>;
}

interface EnvelopeRow {
  eid: number;
  sender_id: string;
  msg_id: string;
  seq: number;
  ts: number;
  body: Buffer<ArrayBuffer>;
  purge_at: number | null;
}

interface SignedPreKeyRow {
  key_id: number;
  public_key: Buffer<ArrayBuffer>;
  created_at: number;
  signature: Buffer<ArrayBuffer>;
}

interface OneTimePreKeyRow {
  key_id: number;
  public_key: Buffer<ArrayBuffer>;
}

/** Bounds the per-limit queue statements even if a caller used unusual limits. */
const MAX_CACHED_QUEUE_READS = 512;

const USER_COLUMNS = 'user_id, username, display_name, identity_key, dh_key, dh_key_sig';

export type SqliteStorageOptions = GroupCommitOptions;

/** Opens (creating if needed) the relay database at `file`; ':memory:' for a throwaway one. */
export function openSqliteStorage(file: string, options: SqliteStorageOptions = {}): Storage {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5_000 });
  try {
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted envelopes (acknowledged, or purged self-destructing ones) are zeroed, not left in free pages.
    db.pragma('secure_delete = ON');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStorage(db, options);
}

class SqliteStorage implements Storage {
  readonly channels: SqliteChannelStore;
  readonly groups: SqliteGroupStore;
  private readonly statements;
  private readonly writes: GroupCommit;
  private readonly createAccountWrite;
  private readonly enqueueWrite;
  private readonly deleteEnvelopesWrite;
  private readonly rekeyWrite;
  private readonly storePreKeysWrite;
  private readonly takeBundleWrite;
  private readonly readQueueByLimit = new Map<number, Database.Statement<[string, number], EnvelopeRow>>();

  constructor(
    private readonly db: Database.Database,
    options: SqliteStorageOptions,
  ) {
    this.writes = new GroupCommit(db, options);
    this.channels = new SqliteChannelStore(db, this.writes);
    this.groups = new SqliteGroupStore(db, this.writes);
    const s = {
      userById: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE user_id = ?`),
      userByUsername: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`),
      userByIdentityKey: db.prepare<[Buffer], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE identity_key = ?`),
      searchByPrefix: db.prepare<[string, number], UserRow>(
        `SELECT ${USER_COLUMNS} FROM users WHERE username LIKE ? ESCAPE '\\' ORDER BY username LIMIT ?`,
      ),
      insertUser: db.prepare(`INSERT INTO users (${USER_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertDevice: db.prepare('INSERT INTO devices (device_id, user_id, created_at) VALUES (?, ?, ?)'),
      updateDisplayName: db.prepare<[string, string]>('UPDATE users SET display_name = ? WHERE user_id = ?'),
      // One device per account today; the oldest one is the account's device.
      firstDeviceOf: db
        .prepare<[string], string>(
          'SELECT device_id FROM devices WHERE user_id = ? ORDER BY created_at, device_id LIMIT 1',
        )
        .pluck(),
      partnerDevices: db
        .prepare<[string, string], string>(
          `SELECT d.device_id FROM devices d
           JOIN (SELECT user_b AS peer FROM conversations WHERE user_a = ?
                 UNION SELECT user_a AS peer FROM conversations WHERE user_b = ?) c ON d.user_id = c.peer
           ORDER BY d.device_id`,
        )
        .pluck(),
      devicesOf: db.prepare<[string], { device_id: string; queued: number }>(
        'SELECT device_id, queued FROM devices WHERE user_id = ? ORDER BY device_id',
      ),
      sentRecord: db.prepare<[string, string], { seq: number; ts: number }>(
        'SELECT seq, ts FROM sent_messages WHERE sender_id = ? AND msg_id = ?',
      ),
      insertSentRecord: db.prepare('INSERT INTO sent_messages (sender_id, msg_id, seq, ts) VALUES (?, ?, ?, ?)'),
      nextSeq: db
        .prepare<[string, string], number>(
          `INSERT INTO conversations (user_a, user_b, last_seq) VALUES (?, ?, 1)
           ON CONFLICT (user_a, user_b) DO UPDATE SET last_seq = last_seq + 1
           RETURNING last_seq`,
        )
        .pluck(),
      nextEid: db
        .prepare<[string], number>(
          'UPDATE devices SET last_eid = last_eid + 1, queued = queued + 1 WHERE device_id = ? RETURNING last_eid',
        )
        .pluck(),
      insertEnvelope: db.prepare(
        'INSERT INTO envelopes (device_id, eid, sender_id, msg_id, seq, ts, body, purge_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      purgeExpired: db.prepare<[number], { device_id: string }>(
        'DELETE FROM envelopes WHERE purge_at IS NOT NULL AND purge_at <= ? RETURNING device_id',
      ),
      deleteEnvelope: db.prepare<[string, number]>('DELETE FROM envelopes WHERE device_id = ? AND eid = ?'),
      decrementQueued: db.prepare<[number, string]>('UPDATE devices SET queued = queued - ? WHERE device_id = ?'),
      queueDepth: db.prepare<[string], number>('SELECT queued FROM devices WHERE device_id = ?').pluck(),
      pruneSent: db.prepare<[number]>('DELETE FROM sent_messages WHERE ts < ?'),
      identityKeyOf: db
        .prepare<[string], Buffer<ArrayBuffer>>('SELECT identity_key FROM users WHERE user_id = ?')
        .pluck(),
      updateIdentity: db.prepare<[Buffer, Buffer, Buffer, number, string]>(
        'UPDATE users SET identity_key = ?, dh_key = ?, dh_key_sig = ?, identity_changed_at = ? WHERE user_id = ?',
      ),
      // The partners are few per user (one row each in conversations); the filter runs on them.
      partnerKeyChanges: db.prepare<[string, string, number, number], { user_id: string; identity_changed_at: number }>(
        `SELECT u.user_id, u.identity_changed_at FROM users u
         JOIN (SELECT user_b AS peer FROM conversations WHERE user_a = ?
               UNION SELECT user_a AS peer FROM conversations WHERE user_b = ?) c ON u.user_id = c.peer
         WHERE u.identity_changed_at > ?
         ORDER BY u.identity_changed_at, u.user_id
         LIMIT ?`,
      ),
      signedPreKeyOf: db.prepare<[string], SignedPreKeyRow>(
        'SELECT key_id, public_key, created_at, signature FROM signed_prekeys WHERE user_id = ?',
      ),
      upsertSignedPreKey: db.prepare<[string, number, Buffer, number, Buffer]>(
        `INSERT INTO signed_prekeys (user_id, key_id, public_key, created_at, signature) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET
           key_id = excluded.key_id, public_key = excluded.public_key,
           created_at = excluded.created_at, signature = excluded.signature`,
      ),
      deleteSignedPreKey: db.prepare<[string]>('DELETE FROM signed_prekeys WHERE user_id = ?'),
      oneTimeCount: db.prepare<[string], number>('SELECT count(*) FROM one_time_prekeys WHERE user_id = ?').pluck(),
      oneTimePreKeyKnown: db
        .prepare<[string, number, string, number], number>(
          `SELECT EXISTS (SELECT 1 FROM one_time_prekeys WHERE user_id = ? AND key_id = ?)
               OR EXISTS (SELECT 1 FROM used_one_time_prekeys WHERE user_id = ? AND key_id = ?)`,
        )
        .pluck(),
      insertOneTimePreKey: db.prepare<[string, number, Buffer]>(
        'INSERT INTO one_time_prekeys (user_id, key_id, public_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      // Chooses and deletes in one statement: the lowest id in stock, handed out once.
      takeOneTimePreKey: db.prepare<[string, string], OneTimePreKeyRow>(
        `DELETE FROM one_time_prekeys
         WHERE user_id = ? AND key_id = (SELECT min(key_id) FROM one_time_prekeys WHERE user_id = ?)
         RETURNING key_id, public_key`,
      ),
      markOneTimePreKeyUsed: db.prepare<[string, number, number]>(
        'INSERT INTO used_one_time_prekeys (user_id, key_id, used_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      pruneUsedOneTimePreKeys: db.prepare<[number]>('DELETE FROM used_one_time_prekeys WHERE used_at < ?'),
      deleteOneTimePreKeys: db.prepare<[string]>('DELETE FROM one_time_prekeys WHERE user_id = ?'),
      deleteUsedOneTimePreKeys: db.prepare<[string]>('DELETE FROM used_one_time_prekeys WHERE user_id = ?'),
    };
    this.statements = s;

    // The write functions below run inside a GroupCommit transaction (IMMEDIATE, so their
    // existence checks and inserts are atomic even with another process on the file), each
    // in its own savepoint.
    this.createAccountWrite = (account: NewAccount, now: number): CreateAccountResult => {
      const identityKey = Buffer.from(account.identityKey);
      // Identity first: a client retrying a registration whose answer it lost learns to log in.
      if (s.userByIdentityKey.get(identityKey)) return { status: 'identity_exists' };
      if (s.userByUsername.get(account.username)) return { status: 'username_taken' };
      const userId = newUserId();
      const deviceId = newDeviceId();
      s.insertUser.run(
        userId,
        account.username,
        account.displayName,
        identityKey,
        Buffer.from(account.dhKey),
        Buffer.from(account.dhKeySig),
        now,
      );
      s.insertDevice.run(deviceId, userId, now);
      const user: PublicUser = {
        userId,
        username: account.username,
        displayName: account.displayName,
        identityKey: new Uint8Array(account.identityKey),
        dhKey: new Uint8Array(account.dhKey),
        dhKeySig: new Uint8Array(account.dhKeySig),
      };
      return { status: 'created', account: { user, deviceId } };
    };

    this.enqueueWrite = (envelope: NewEnvelope): EnqueueResult => {
      const previous = s.sentRecord.get(envelope.senderId, envelope.msgId);
      if (previous) return { status: 'duplicate', seq: previous.seq, ts: previous.ts };
      // Before any other check: whatever else is wrong, this one must wait for `after`.
      if (envelope.after !== undefined && !s.sentRecord.get(envelope.senderId, envelope.after)) {
        return { status: 'out_of_order' };
      }
      const devices = s.devicesOf.all(envelope.recipientId);
      if (devices.length === 0) return { status: 'unknown_recipient' };
      if (envelope.toKey !== undefined) {
        const current = s.identityKeyOf.get(envelope.recipientId);
        if (!current || !sameBytes(current, envelope.toKey)) return { status: 'identity_changed' };
      }
      const full = devices.find((device) => device.queued >= envelope.maxQueueDepth);
      if (full) return { status: 'queue_full', deviceId: full.device_id };

      const [userA, userB] = [envelope.senderId, envelope.recipientId].sort();
      const seq = s.nextSeq.get(userA ?? '', userB ?? '');
      if (seq === undefined) throw new Error('conversation sequence was not assigned');
      const ts = Math.floor(envelope.now);
      s.insertSentRecord.run(envelope.senderId, envelope.msgId, seq, ts);
      const body = Buffer.from(envelope.body.buffer, envelope.body.byteOffset, envelope.body.byteLength);
      const deliveries = devices.map(({ device_id: deviceId }) => {
        const eid = s.nextEid.get(deviceId);
        if (eid === undefined) throw new Error('queue id was not assigned');
        s.insertEnvelope.run(deviceId, eid, envelope.senderId, envelope.msgId, seq, ts, body, envelope.purgeAt ?? null);
        return { deviceId, eid };
      });
      return { status: 'stored', seq, ts, deliveries };
    };

    this.deleteEnvelopesWrite = (deviceId: string, eids: readonly number[]): number => {
      let deleted = 0;
      for (const eid of new Set(eids)) deleted += s.deleteEnvelope.run(deviceId, eid).changes;
      if (deleted > 0) s.decrementQueued.run(deleted, deviceId);
      return deleted;
    };

    const preKeyState = (userId: string): PreKeyState => ({
      signedPreKeyId: s.signedPreKeyOf.get(userId)?.key_id ?? null,
      oneTimeCount: s.oneTimeCount.get(userId) ?? 0,
    });

    this.rekeyWrite = (rekey: Rekey): RekeyResult => {
      const current = s.identityKeyOf.get(rekey.userId);
      if (!current) return { status: 'unknown_account' };
      if (!sameBytes(current, rekey.previousIdentityKey)) return { status: 'identity_changed' };
      const identityKey = Buffer.from(rekey.identityKey);
      const holder = s.userByIdentityKey.get(identityKey);
      if (holder && holder.user_id !== rekey.userId) return { status: 'identity_exists' };
      s.updateIdentity.run(
        identityKey,
        Buffer.from(rekey.dhKey),
        Buffer.from(rekey.dhKeySig),
        rekey.now ?? Date.now(),
        rekey.userId,
      );
      // Prekeys were signed by (or published under) the old identity: none of them may be
      // handed out with the new one. Envelopes queued for the account stay.
      s.deleteSignedPreKey.run(rekey.userId);
      s.deleteOneTimePreKeys.run(rekey.userId);
      s.deleteUsedOneTimePreKeys.run(rekey.userId);
      const row = s.userById.get(rekey.userId);
      if (!row) throw new Error('the rekeyed account disappeared');
      return { status: 'rekeyed', user: toPublicUser(row) };
    };

    this.storePreKeysWrite = (upload: PreKeyUpload): PreKeyUploadResult => {
      const { userId } = upload;
      const current = s.identityKeyOf.get(userId);
      if (!current) return { status: 'unknown_account' };
      if (!sameBytes(current, upload.identityKey)) return { status: 'identity_changed' };
      const fresh = new Map<number, Uint8Array>();
      for (const key of upload.oneTimePreKeys) {
        if (fresh.has(key.id) || s.oneTimePreKeyKnown.get(userId, key.id, userId, key.id) === 1) continue;
        fresh.set(key.id, key.publicKey);
      }
      const before = preKeyState(userId);
      if (before.oneTimeCount + fresh.size > upload.maxOneTimePreKeys) return { status: 'prekey_limit', ...before };
      const spk = upload.signedPreKey;
      if (spk) {
        s.upsertSignedPreKey.run(userId, spk.id, Buffer.from(spk.publicKey), spk.createdAt, Buffer.from(spk.signature));
      }
      for (const [id, publicKey] of fresh) s.insertOneTimePreKey.run(userId, id, Buffer.from(publicKey));
      return { status: 'stored', ...preKeyState(userId) };
    };

    this.takeBundleWrite = (userId: string, takeOneTime: boolean, now: number): TakeBundleResult => {
      const user = s.userById.get(userId);
      if (!user) return { status: 'not_found' };
      const spk = s.signedPreKeyOf.get(userId);
      if (!spk) return { status: 'no_prekeys' };
      const oneTime = takeOneTime ? s.takeOneTimePreKey.get(userId, userId) : undefined;
      if (oneTime) s.markOneTimePreKeyUsed.run(userId, oneTime.key_id, now);
      return {
        status: 'bundle',
        bundle: {
          identity: { identityKey: user.identity_key, dhKey: user.dh_key, dhKeySig: user.dh_key_sig },
          signedPreKey: {
            id: spk.key_id,
            publicKey: spk.public_key,
            createdAt: spk.created_at,
            signature: spk.signature,
          },
          oneTimePreKey: oneTime ? { id: oneTime.key_id, publicKey: oneTime.public_key } : null,
        },
      };
    };
  }

  async rekeyAccount(rekey: Rekey): Promise<RekeyResult> {
    return this.writes.run(() => this.rekeyWrite(rekey));
  }

  async conversationPartnerDevices(userId: string): Promise<string[]> {
    return this.statements.partnerDevices.all(userId, userId);
  }

  async partnerKeyChangesSince(userId: string, since: number, limit: number): Promise<KeyChange[]> {
    return this.statements.partnerKeyChanges
      .all(userId, userId, since, limit)
      .map((row) => ({ userId: row.user_id, changedAt: row.identity_changed_at }));
  }

  async storePreKeys(upload: PreKeyUpload): Promise<PreKeyUploadResult> {
    return this.writes.run(() => this.storePreKeysWrite(upload));
  }

  async takePreKeyBundle(
    userId: string,
    options: { oneTime: boolean; now?: number } = { oneTime: true },
  ): Promise<TakeBundleResult> {
    return this.writes.run(() => this.takeBundleWrite(userId, options.oneTime, options.now ?? Date.now()));
  }

  async createAccount(account: NewAccount, now: number): Promise<CreateAccountResult> {
    return this.writes.run(() => this.createAccountWrite(account, now));
  }

  async findAccountByIdentityKey(identityKey: Uint8Array): Promise<Account | undefined> {
    const row = this.statements.userByIdentityKey.get(Buffer.from(identityKey));
    if (!row) return undefined;
    const deviceId = this.statements.firstDeviceOf.get(row.user_id);
    if (deviceId === undefined) return undefined;
    return { user: toPublicUser(row), deviceId };
  }

  async findUserById(userId: string): Promise<PublicUser | undefined> {
    const row = this.statements.userById.get(userId);
    return row && toPublicUser(row);
  }

  async findUserByUsername(username: string): Promise<PublicUser | undefined> {
    const row = this.statements.userByUsername.get(username);
    return row && toPublicUser(row);
  }

  async searchUsersByUsernamePrefix(prefix: string, limit: number): Promise<PublicUser[]> {
    return this.statements.searchByPrefix.all(`${escapeLike(prefix)}%`, limit).map(toPublicUser);
  }

  async updateDisplayName(userId: string, displayName: string): Promise<PublicUser | undefined> {
    return this.writes.run(() => {
      this.statements.updateDisplayName.run(displayName, userId);
      const row = this.statements.userById.get(userId);
      return row && toPublicUser(row);
    });
  }

  async enqueueEnvelope(envelope: NewEnvelope): Promise<EnqueueResult> {
    return this.writes.run(() => this.enqueueWrite(envelope));
  }

  async readQueue(deviceId: string, afterEid: number, limit: number): Promise<QueuedEnvelope[]> {
    if (limit < 1) return [];
    return this.readQueueStatement(limit)
      .all(deviceId, afterEid)
      .map((row) => ({
        eid: row.eid,
        senderId: row.sender_id,
        msgId: row.msg_id,
        seq: row.seq,
        ts: row.ts,
        body: row.body,
        ...(row.purge_at !== null ? { purgeAt: row.purge_at } : {}),
      }));
  }

  /**
   * The queue read with its limit as a literal: SQLite runs this hot query (every push and
   * ack) about three times faster than with a bound LIMIT. Limits are small integers (at
   * most the delivery window), so the statements per limit are few.
   */
  private readQueueStatement(limit: number): Database.Statement<[string, number], EnvelopeRow> {
    // The limit becomes SQL text: only a plain integer may get there.
    if (!Number.isSafeInteger(limit)) throw new RangeError(`queue read limit must be an integer, got ${limit}`);
    let statement = this.readQueueByLimit.get(limit);
    if (!statement) {
      if (this.readQueueByLimit.size >= MAX_CACHED_QUEUE_READS) this.readQueueByLimit.clear();
      statement = this.db.prepare<[string, number], EnvelopeRow>(
        `SELECT eid, sender_id, msg_id, seq, ts, body, purge_at FROM envelopes WHERE device_id = ? AND eid > ? ORDER BY eid LIMIT ${limit}`,
      );
      this.readQueueByLimit.set(limit, statement);
    }
    return statement;
  }

  async deleteEnvelopes(deviceId: string, eids: readonly number[]): Promise<number> {
    return this.writes.run(() => this.deleteEnvelopesWrite(deviceId, eids));
  }

  async queueDepth(deviceId: string): Promise<number> {
    return this.statements.queueDepth.get(deviceId) ?? 0;
  }

  async pruneSentRecords(before: number): Promise<number> {
    return this.writes.run(() => this.statements.pruneSent.run(before).changes);
  }

  async pruneUsedOneTimePreKeys(before: number): Promise<number> {
    return this.writes.run(() => this.statements.pruneUsedOneTimePreKeys.run(before).changes);
  }

  async purgeExpiredEnvelopes(now: number): Promise<number> {
    const purged = await this.writes.run(() => {
      const byDevice = new Map<string, number>();
      for (const { device_id: deviceId } of this.statements.purgeExpired.all(now)) {
        byDevice.set(deviceId, (byDevice.get(deviceId) ?? 0) + 1);
      }
      for (const [deviceId, count] of byDevice) this.statements.decrementQueued.run(count, deviceId);
      return [...byDevice.values()].reduce((a, b) => a + b, 0);
    });
    // Outside any transaction: old copies of deleted pages leave the WAL too.
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return purged;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Writes already requested are committed (and their callers answered), not dropped.
    this.writes.flush();
    this.db.close();
  }
}

function toPublicUser(row: UserRow): PublicUser {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    identityKey: row.identity_key,
    dhKey: row.dh_key,
    dhKeySig: row.dh_key_sig,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

/** Makes `%`, `_` and the escape character itself match literally in a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
