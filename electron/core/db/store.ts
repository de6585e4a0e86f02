/**
 * The profile's local store: one database, one repository per table, and `transaction` for
 * writes that must land together (a message and its outbox row; a received message, its
 * chat and its receipt).
 */
import { AccountRepo } from './account';
import { ChatsRepo } from './chats';
import { ContactsRepo } from './contacts';
import type { Db } from './database';
import { LifecycleRepo } from './lifecycle';
import { MessagesRepo } from './messages';
import { OutboxRepo } from './outbox';
import { PreKeysRepo } from './preKeys';
import { SecurityRepo } from './security';
import { SessionsRepo } from './sessions';

export class Store {
  readonly account: AccountRepo;
  readonly contacts: ContactsRepo;
  readonly chats: ChatsRepo;
  readonly messages: MessagesRepo;
  readonly outbox: OutboxRepo;
  readonly sessions: SessionsRepo;
  readonly preKeys: PreKeysRepo;
  readonly security: SecurityRepo;
  readonly lifecycle: LifecycleRepo;

  /** One wrapper for every transaction (better-sqlite3 builds four functions per wrapper). */
  private readonly runInTransaction;

  constructor(readonly db: Db) {
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.account = new AccountRepo(db);
    this.contacts = new ContactsRepo(db);
    this.chats = new ChatsRepo(db);
    this.messages = new MessagesRepo(db);
    this.outbox = new OutboxRepo(db);
    this.sessions = new SessionsRepo(db);
    this.preKeys = new PreKeysRepo(db);
    this.security = new SecurityRepo(db);
    this.lifecycle = new LifecycleRepo(db);
  }

  /** Runs `fn` in one IMMEDIATE transaction: all of it commits, or none of it. */
  transaction<T>(fn: () => T): T {
    return this.runInTransaction.immediate(fn) as T;
  }

  /**
   * Like transaction(), but the commit does not wait for the disk (synchronous = NORMAL for
   * this one commit). A crash of the process cannot lose it; a power cut can roll it back —
   * whole, never half — and every later durable commit makes it durable too (the WAL is
   * synced up to its end). Only for changes the protocol redoes by itself when they are
   * lost, such as recording the relay's `sent`: the outbox row comes back, is sent again,
   * and the relay answers it as a duplicate with the same seq.
   */
  lazyTransaction<T>(fn: () => T): T {
    // db.pragma(), not a prepared statement: SQLite applies this pragma while preparing it.
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
