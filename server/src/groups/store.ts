/**
 * What the relay persists for private groups (same database as the rest; see schema.ts).
 * Every method that changes rows is one atomic write that resolves once durably committed.
 * Writes that depend on the group's state re-check it inside their transaction.
 */
import type { GroupChangeWire, GroupMemberWire, GroupRole } from '../../../shared/protocol';

export interface GroupRecord {
  readonly groupId: string;
  readonly name: string;
  readonly ownerId: string;
  readonly version: number;
  readonly head: number;
}

export interface GroupSnapshot {
  readonly group: GroupRecord;
  readonly members: readonly GroupMemberWire[];
  readonly invites: readonly { readonly token: string; readonly approval: boolean }[];
  readonly pending: readonly string[];
}

/** A validated change, as the rows it changes. */
export interface ChangeEffects {
  /** The signed record to append to the log (its version is the group's new version). */
  readonly change: GroupChangeWire;
  readonly added: readonly GroupMemberWire[];
  readonly removed: readonly string[];
  readonly roles: readonly { readonly userId: string; readonly role: GroupRole }[];
  readonly name: string | null;
  readonly inviteCreated: { readonly token: string; readonly approval: boolean } | null;
  readonly inviteRevoked: string | null;
}

export type ApplyChangeResult =
  | { readonly status: 'applied'; readonly head: number }
  | { readonly status: 'conflict' }
  /** An `invite` change with a token that exists (live or revoked). */
  | { readonly status: 'invite_taken' };

export type AppendGroupMessageResult =
  | {
      readonly status: 'stored';
      readonly seq: number;
      readonly ts: number;
      readonly duplicate: boolean;
      /** The group's membership version the message was stored under (new messages only). */
      readonly version?: number;
    }
  | { readonly status: 'not_member' };

export interface StoredGroupMessage {
  readonly seq: number;
  readonly senderId: string;
  readonly msgId: string;
  readonly ts: number;
  readonly body: Uint8Array;
  /** The group's membership version when it was stored (absent for rows from before relay schema 10). */
  readonly version?: number;
}

export interface GroupStore {
  /** Creates the group with its owner and members and logs the signed `create` change. False if the id is taken. */
  createGroup(change: GroupChangeWire, members: readonly GroupMemberWire[], now: number): Promise<boolean>;
  snapshot(groupId: string): Promise<GroupSnapshot | undefined>;
  role(groupId: string, userId: string): Promise<GroupRole | undefined>;
  /** Applies the change only if the group is still at `change.version - 1` (else conflict, nothing written). */
  applyChange(effects: ChangeEffects, now: number): Promise<ApplyChangeResult>;
  /** Signed changes with version > after, oldest first. */
  changesAfter(groupId: string, after: number, limit: number): Promise<GroupChangeWire[]>;
  findInvite(token: string): Promise<{ groupId: string; approval: boolean } | undefined>;
  /** Records a join request; false when the group already has `max` open requests. */
  requestJoin(groupId: string, userId: string, max: number, now: number): Promise<boolean>;
  /**
   * Stores one message for the whole group if the sender is a member (checked in the
   * transaction), and deletes the one `maxBacklog` messages older, delivered or not.
   *
   * `purgeAt` (self-destructing message): never delivered at or after it, deleted by
   * purgeExpired then. A message whose deadline is already at or before `now` takes its seq
   * and its de-duplication record like any other, but its body is never written.
   */
  appendMessage(
    groupId: string,
    senderId: string,
    msgId: string,
    body: Uint8Array,
    now: number,
    maxBacklog: number,
    purgeAt?: number,
  ): Promise<AppendGroupMessageResult>;
  /**
   * Messages with seq > after, for a member (none for a non-member), leaving out those whose
   * purge deadline is at or before `now`: they are never delivered, even before the sweep.
   */
  messagesAfter(
    groupId: string,
    userId: string,
    after: number,
    limit: number,
    now: number,
  ): Promise<StoredGroupMessage[]>;
  /**
   * Deletes every message whose purge deadline is at or before `now`, delivered or not, and
   * returns how many. When it deleted any, no copy of their bytes stays in the database files
   * (SQLite: secure_delete plus a TRUNCATE checkpoint of the WAL).
   */
  purgeExpired(now: number): Promise<number>;
  /** Moves the member's cursor forward to `seq` (capped at the head); deletes messages every member has passed. */
  ack(groupId: string, userId: string, seq: number, pruneBefore: number): Promise<void>;
  /** The user's groups (by id) with its cursor and the group's membership version. */
  groupsOf(userId: string): Promise<{ groupId: string; cursor: number; version: number }[]>;
  memberIds(groupId: string): Promise<string[]>;
}
