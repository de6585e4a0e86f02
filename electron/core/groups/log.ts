/**
 * The verified membership log of a group, replayed on the client. Every change the relay
 * hands over (gChanged pushes, gLog pages, answers to our own changes) goes through
 * `applyChange`, which checks it exactly as the relay must have: the version is the
 * previous one + 1, the actor's identity key signed it (all but `join`, which the relay
 * writes through an open link a signed `invite` created), the actor held the role the
 * action needs at that version, the action's preconditions, and memberHash is the hash of
 * the member list this client computes. A relay that forges, reorders or hides a change is
 * caught here. Pure: returns a new state or throws GroupLogError, never mutates its input.
 */
import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  GROUP_LIMITS,
  checkGroupChange,
  groupChangeSignedBytes,
  groupRuleFailure,
  groupMemberListBytes,
  sortMembers,
  type GroupChangeWire,
  type GroupMemberWire,
  type GroupRole,
} from '../../../shared/protocol';

export type GroupLogErrorCode =
  | 'bad_version'
  | 'bad_signature'
  | 'not_group_member'
  | 'not_group_admin'
  | 'not_owner'
  | 'bad_member_hash'
  | 'invalid_invite'
  | 'bad_group_change';

export class GroupLogError extends Error {
  constructor(
    readonly code: GroupLogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GroupLogError';
  }
}

export interface GroupLogState {
  readonly gid: string;
  readonly name: string;
  readonly version: number;
  /** userId → role. */
  readonly members: ReadonlyMap<string, GroupRole>;
  /** Live invite links: token → approval required. */
  readonly invites: ReadonlyMap<string, boolean>;
}

export function memberListHash(members: readonly GroupMemberWire[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(groupMemberListBytes(members)).digest());
}

export function memberList(state: Pick<GroupLogState, 'members'>): GroupMemberWire[] {
  return sortMembers([...state.members].map(([userId, role]) => ({ userId, role })));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

export function signChange(change: GroupChangeWire, identitySecretKey: Uint8Array): GroupChangeWire {
  const sig = sodium.crypto_sign_detached(groupChangeSignedBytes(change), identitySecretKey);
  return { ...change, sig: new Uint8Array(sig) };
}

function verifySignature(change: GroupChangeWire, identityKey: Uint8Array | undefined): boolean {
  if (change.sig === null || identityKey === undefined) return false;
  try {
    return sodium.crypto_sign_verify_detached(change.sig, groupChangeSignedBytes(change), identityKey);
  } catch {
    return false;
  }
}

const bad = (message: string) => new GroupLogError('bad_group_change', message);

/**
 * Applies one change to `state` (null before `create`). `identityKeyOf` gives the pinned
 * identity key of the actor. Throws GroupLogError with a specific code; `state` is unchanged.
 */
export function applyChange(
  state: GroupLogState | null,
  change: GroupChangeWire,
  identityKeyOf: (userId: string) => Uint8Array | undefined,
): GroupLogState {
  if (change.action !== 'join' && !verifySignature(change, identityKeyOf(change.actor))) {
    throw new GroupLogError('bad_signature', "the change is not signed by the actor's identity key");
  }
  const next = transition(state, change);
  checkHash(change, next);
  return next;
}

/**
 * The state after `change`, with every check but the signature and the member hash (what a
 * client runs before signing a change of its own, to refuse it locally with the same code).
 */
export function transition(state: GroupLogState | null, change: GroupChangeWire): GroupLogState {
  const targets = change.targets;
  if (new Set(targets).size !== targets.length) throw bad('a target is named twice');
  if (state === null) {
    if (change.action !== 'create' || change.version !== 1) {
      throw new GroupLogError('bad_version', 'a group starts with a version-1 create');
    }
    if (change.name === null || change.invite !== null || targets.includes(change.actor)) throw bad('bad create');
    if (targets.length + 1 > GROUP_LIMITS.maxMembers) throw bad('too many members');
    const members = new Map<string, GroupRole>([[change.actor, 'owner']]);
    for (const t of targets) members.set(t, 'member');
    return { gid: change.gid, name: change.name, version: 1, members, invites: new Map() };
  }
  if (change.gid !== state.gid) throw bad('a change of another group');
  if (change.version !== state.version + 1) {
    throw new GroupLogError('bad_version', `expected version ${state.version + 1}, got ${change.version}`);
  }
  const rule = checkGroupChange<GroupLogErrorCode>(state.members, change, {
    invites: state.invites,
    refuse: { create: groupRuleFailure<GroupLogErrorCode>('bad_version', 'a second create') },
  });
  if (!rule.ok) {
    // The log has no group_full code: a full group is a bad change here (the relay says group_full).
    if (rule.code === 'group_full') throw bad('group full');
    throw new GroupLogError(rule.code, rule.message);
  }
  const invites = new Map(state.invites);
  if (rule.inviteCreated) {
    // Checked here only: the relay leaves token uniqueness (across all groups) to its store.
    if (invites.has(rule.inviteCreated.token)) throw new GroupLogError('invalid_invite', 'this link exists');
    invites.set(rule.inviteCreated.token, rule.inviteCreated.approval);
  }
  if (rule.inviteRevoked !== null) invites.delete(rule.inviteRevoked);
  return { gid: state.gid, name: rule.name ?? state.name, version: change.version, members: rule.members, invites };
}

function checkHash(change: GroupChangeWire, next: GroupLogState): void {
  if (!bytesEqual(change.memberHash, memberListHash(memberList(next)))) {
    throw new GroupLogError('bad_member_hash', 'memberHash is not the hash of the member list after the change');
  }
}

/** Whether the change alters who is in the group (every member rotates its sender key after one). */
export function isMembershipChange(change: Pick<GroupChangeWire, 'action'>): boolean {
  return ['create', 'add', 'remove', 'leave', 'join'].includes(change.action);
}
