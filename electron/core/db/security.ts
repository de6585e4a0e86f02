import type { Db } from './database';

/** What the user knows about a contact's identity key. */
export interface ContactSecurity {
  /** The user compared safety numbers for the current key. */
  verified: boolean;
  /** The key changed and the user has not acknowledged it yet. */
  keyChanged: boolean;
  /** Sending to this contact waits for the user's confirmation. */
  sendingHeld: boolean;
}

interface SecurityRow {
  verified: 0 | 1;
  key_changed: 0 | 1;
  sending_held: 0 | 1;
}

export const DEFAULT_SECURITY: ContactSecurity = { verified: false, keyChanged: false, sendingHeld: false };

export class SecurityRepo {
  private readonly selectStmt;
  private readonly upsertStmt;
  private readonly heldStmt;

  constructor(db: Db) {
    this.selectStmt = db.prepare<[string], SecurityRow>(
      'SELECT verified, key_changed, sending_held FROM contact_security WHERE user_id = ?',
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO contact_security (user_id, verified, key_changed, sending_held)
       VALUES (@userId, @verified, @keyChanged, @sendingHeld)
       ON CONFLICT (user_id) DO UPDATE SET verified = excluded.verified, key_changed = excluded.key_changed,
         sending_held = excluded.sending_held`,
    );
    this.heldStmt = db.prepare<[], string>('SELECT user_id FROM contact_security WHERE sending_held = 1').pluck();
  }

  get(userId: string): ContactSecurity {
    const row = this.selectStmt.get(userId);
    if (!row) return { ...DEFAULT_SECURITY };
    return { verified: row.verified === 1, keyChanged: row.key_changed === 1, sendingHeld: row.sending_held === 1 };
  }

  /** The contact must exist (contacts row). */
  put(userId: string, security: ContactSecurity): void {
    this.upsertStmt.run({
      userId,
      verified: security.verified ? 1 : 0,
      keyChanged: security.keyChanged ? 1 : 0,
      sendingHeld: security.sendingHeld ? 1 : 0,
    });
  }

  /** Contacts whose outgoing messages wait for the user. */
  heldRecipients(): Set<string> {
    return new Set(this.heldStmt.all());
  }
}
