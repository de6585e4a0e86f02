import type { DeviceKeys } from '../crypto/keys';
import type { Db } from './database';

export interface Account {
  userId: string;
  username: string;
  displayName: string;
  keys: DeviceKeys;
  createdAt: number;
}

interface AccountRow {
  user_id: string;
  username: string;
  display_name: string;
  identity_public_key: Uint8Array;
  identity_secret_key: Uint8Array;
  dh_public_key: Uint8Array;
  dh_secret_key: Uint8Array;
  dh_key_sig: Uint8Array;
  created_at: number;
}

export class AccountRepo {
  private readonly selectStmt;
  private readonly insertStmt;
  private readonly updateProfileStmt;
  private readonly replaceKeysStmt;
  private readonly pendingStmt;
  private readonly putPendingStmt;
  private readonly clearPendingStmt;

  constructor(db: Db) {
    this.selectStmt = db.prepare<[], AccountRow>('SELECT * FROM account WHERE id = 1');
    this.insertStmt = db.prepare(
      `INSERT INTO account (id, user_id, username, display_name, identity_public_key, identity_secret_key,
                            dh_public_key, dh_secret_key, dh_key_sig, created_at)
       VALUES (1, @userId, @username, @displayName, @identityPublicKey, @identitySecretKey,
               @dhPublicKey, @dhSecretKey, @dhKeySig, @createdAt)`,
    );
    this.updateProfileStmt = db.prepare(
      'UPDATE account SET username = @username, display_name = @displayName WHERE id = 1',
    );
    this.replaceKeysStmt = db.prepare(
      `UPDATE account SET identity_public_key = @identityPublicKey, identity_secret_key = @identitySecretKey,
         dh_public_key = @dhPublicKey, dh_secret_key = @dhSecretKey, dh_key_sig = @dhKeySig
       WHERE id = 1`,
    );
    this.pendingStmt = db.prepare<[], Omit<AccountRow, 'user_id' | 'username' | 'display_name' | 'created_at'>>(
      'SELECT * FROM pending_identity WHERE id = 1',
    );
    this.putPendingStmt = db.prepare(
      `INSERT OR REPLACE INTO pending_identity (id, identity_public_key, identity_secret_key, dh_public_key,
                                                dh_secret_key, dh_key_sig)
       VALUES (1, @identityPublicKey, @identitySecretKey, @dhPublicKey, @dhSecretKey, @dhKeySig)`,
    );
    this.clearPendingStmt = db.prepare('DELETE FROM pending_identity');
  }

  get(): Account | null {
    const row = this.selectStmt.get();
    if (!row) return null;
    return {
      userId: row.user_id,
      username: row.username,
      displayName: row.display_name,
      keys: {
        identityPublicKey: row.identity_public_key,
        identitySecretKey: row.identity_secret_key,
        dhPublicKey: row.dh_public_key,
        dhSecretKey: row.dh_secret_key,
        dhKeySig: row.dh_key_sig,
      },
      createdAt: row.created_at,
    };
  }

  insert(account: Account): void {
    this.insertStmt.run({
      userId: account.userId,
      username: account.username,
      displayName: account.displayName,
      ...account.keys,
      createdAt: account.createdAt,
    });
  }

  updateProfile(profile: { username: string; displayName: string }): void {
    this.updateProfileStmt.run(profile);
  }

  /** A new identity (key reset). */
  replaceKeys(keys: DeviceKeys): void {
    this.replaceKeysStmt.run({ ...keys });
  }

  /** The identity of a key reset the relay may or may not have applied yet. */
  pendingKeys(): DeviceKeys | null {
    const row = this.pendingStmt.get();
    if (!row) return null;
    return {
      identityPublicKey: row.identity_public_key,
      identitySecretKey: row.identity_secret_key,
      dhPublicKey: row.dh_public_key,
      dhSecretKey: row.dh_secret_key,
      dhKeySig: row.dh_key_sig,
    };
  }

  setPendingKeys(keys: DeviceKeys): void {
    this.putPendingStmt.run({ ...keys });
  }

  clearPendingKeys(): void {
    this.clearPendingStmt.run();
  }
}
