import type { Db } from './database';

/** A peer's public record as we pinned it (dhKeySig verified before it got here). */
export interface Contact {
  userId: string;
  username: string;
  displayName: string;
  identityKey: Uint8Array;
  dhKey: Uint8Array;
  dhKeySig: Uint8Array;
  updatedAt: number;
}

interface ContactRow {
  user_id: string;
  username: string;
  display_name: string;
  identity_key: Uint8Array;
  dh_key: Uint8Array;
  dh_key_sig: Uint8Array;
  updated_at: number;
}

const fromRow = (row: ContactRow): Contact => ({
  userId: row.user_id,
  username: row.username,
  displayName: row.display_name,
  identityKey: row.identity_key,
  dhKey: row.dh_key,
  dhKeySig: row.dh_key_sig,
  updatedAt: row.updated_at,
});

export class ContactsRepo {
  private readonly selectStmt;
  private readonly upsertStmt;

  constructor(db: Db) {
    this.selectStmt = db.prepare<[string], ContactRow>('SELECT * FROM contacts WHERE user_id = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO contacts (user_id, username, display_name, identity_key, dh_key, dh_key_sig, updated_at)
       VALUES (@userId, @username, @displayName, @identityKey, @dhKey, @dhKeySig, @updatedAt)
       ON CONFLICT (user_id) DO UPDATE SET
         username = excluded.username, display_name = excluded.display_name,
         identity_key = excluded.identity_key, dh_key = excluded.dh_key,
         dh_key_sig = excluded.dh_key_sig, updated_at = excluded.updated_at`,
    );
  }

  get(userId: string): Contact | null {
    const row = this.selectStmt.get(userId);
    return row ? fromRow(row) : null;
  }

  /** Writes the record as given; key pinning policy lives in the directory, not here. */
  put(contact: Contact): void {
    this.upsertStmt.run(contact);
  }
}
