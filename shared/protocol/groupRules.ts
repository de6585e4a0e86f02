/**
 * The rules of a group membership change (groups.ts), in one place for the relay (which
 * checks a change before it stores it) and the client (which replays the signed log and
 * must reach the same verdict). Pure: no signature, no member hash, no version check —
 * each caller does those around it — and the inputs are never mutated.
 */
import { GROUP_LIMITS, type GroupAction, type GroupChangeWire, type GroupMemberWire, type GroupRole } from './groups';

/** The codes the rules refuse with (ERROR_CODES names on the relay; the client log's own codes). */
export type GroupRuleCode =
  'not_group_member' | 'not_group_admin' | 'not_owner' | 'group_full' | 'invalid_invite' | 'bad_group_change';

export interface GroupRuleFailure<C extends string = GroupRuleCode> {
  readonly ok: false;
  readonly code: C;
  readonly message: string;
}

export interface GroupRuleSuccess {
  readonly ok: true;
  /** userId → role after the change (a new map). */
  readonly members: Map<string, GroupRole>;
  /** Members the change brings in (add, join), in target order. */
  readonly added: GroupMemberWire[];
  /** Members the change takes out (remove, leave), in target order. */
  readonly removed: string[];
  /** Role changes (promote, demote), in target order. */
  readonly roles: { userId: string; role: GroupRole }[];
  /** The new name (rename), else null. */
  readonly name: string | null;
  /** The invite link created (invite), else null. */
  readonly inviteCreated: { token: string; approval: boolean } | null;
  /** The token of the invite link revoked (revoke), else null. */
  readonly inviteRevoked: string | null;
}

export type GroupRuleResult<C extends string = never> = GroupRuleSuccess | GroupRuleFailure<GroupRuleCode | C>;

/** `C`: extra codes the caller's own refusals (`refuse`) use. */
export interface GroupRuleContext<C extends string = never> {
  /** Live invite links of the group: token → approval required. */
  readonly invites: ReadonlyMap<string, boolean>;
  /**
   * Actions the caller refuses outright, and how (checked after the target-list and, for
   * 'create', actor-membership checks). A 'create' never applies to an existing group; a
   * 'join' is checked against `invites` unless refused here.
   */
  readonly refuse: {
    readonly create: GroupRuleFailure<GroupRuleCode | C>;
    readonly join?: GroupRuleFailure<GroupRuleCode | C>;
  };
}

export const groupRuleFailure = <C extends string = GroupRuleCode>(code: C, message: string): GroupRuleFailure<C> => ({
  ok: false,
  code,
  message,
});
const bad = (message: string) => groupRuleFailure<GroupRuleCode>('bad_group_change', message);
const isAdmin = (role: GroupRole | undefined) => role === 'owner' || role === 'admin';

/**
 * Whether `change` is allowed on a group whose members are `members` (userId → role), and
 * what it does. The first rule broken decides the failure.
 */
export function checkGroupChange<C extends string = never>(
  members: ReadonlyMap<string, GroupRole>,
  change: Pick<GroupChangeWire, 'action' | 'actor' | 'targets' | 'name' | 'invite'>,
  context: GroupRuleContext<C>,
): GroupRuleResult<C> {
  const targets = change.targets;
  if (new Set(targets).size !== targets.length) return bad('a target is named twice');
  const action: GroupAction = change.action;
  const actorRole = members.get(change.actor);
  const shapeError = (withTargets: boolean, withName: boolean, withInvite: boolean): GroupRuleFailure | null =>
    withTargets !== targets.length > 0 || withName !== (change.name !== null) || withInvite !== (change.invite !== null)
      ? bad(`the fields do not fit a '${action}' change`)
      : null;
  const adminError = () =>
    isAdmin(actorRole) ? null : groupRuleFailure<GroupRuleCode>('not_group_admin', `only admins may '${action}'`);
  const ownerError = () =>
    actorRole === 'owner' ? null : groupRuleFailure<GroupRuleCode>('not_owner', `only the owner may '${action}'`);
  const full = () =>
    groupRuleFailure<GroupRuleCode>('group_full', `a group has at most ${GROUP_LIMITS.maxMembers} members`);

  const next = new Map(members);
  const result = {
    added: [] as GroupMemberWire[],
    removed: [] as string[],
    roles: [] as { userId: string; role: GroupRole }[],
    name: null as string | null,
    inviteCreated: null as GroupRuleSuccess['inviteCreated'],
    inviteRevoked: null as string | null,
  };

  if (action === 'join') {
    if (context.refuse.join) return context.refuse.join;
    const failure = shapeError(true, false, true);
    if (failure) return failure;
    if (targets.length !== 1 || targets[0] !== change.actor) return bad("'join' names the joiner alone");
    if (actorRole) return bad('already a member');
    if (context.invites.get(change.invite!.token) !== false || change.invite!.approval) {
      return groupRuleFailure<GroupRuleCode>('invalid_invite', 'a join needs a live open invite link');
    }
    if (members.size + 1 > GROUP_LIMITS.maxMembers) return full();
    next.set(change.actor, 'member');
    result.added = [{ userId: change.actor, role: 'member' }];
    return { ok: true, members: next, ...result };
  }

  if (!actorRole) return groupRuleFailure<GroupRuleCode>('not_group_member', 'only members change a group');
  let failure: GroupRuleFailure | null = null;
  switch (action) {
    case 'add':
      failure = shapeError(true, false, false) ?? adminError();
      if (failure) return failure;
      if (targets.some((t) => members.has(t))) return bad('a target is already a member');
      if (members.size + targets.length > GROUP_LIMITS.maxMembers) return full();
      result.added = targets.map((userId) => ({ userId, role: 'member' as const }));
      break;
    case 'remove':
      failure = shapeError(true, false, false) ?? adminError();
      if (failure) return failure;
      for (const t of targets) {
        const role = members.get(t);
        if (!role) return bad('a target is not a member');
        if (t === change.actor) return bad("use 'leave' to leave");
        if (role === 'owner') return bad('the owner cannot be removed');
        if (role === 'admin') {
          failure = ownerError();
          if (failure) return failure;
        }
      }
      result.removed = [...targets];
      break;
    case 'leave':
      failure = shapeError(true, false, false);
      if (failure) return failure;
      if (targets.length !== 1 || targets[0] !== change.actor) return bad("'leave' names the actor alone");
      if (actorRole === 'owner') return bad('the owner cannot leave');
      result.removed = [change.actor];
      break;
    case 'promote':
    case 'demote': {
      failure = shapeError(true, false, false) ?? ownerError();
      if (failure) return failure;
      const from = action === 'promote' ? 'member' : 'admin';
      const to = action === 'promote' ? 'admin' : 'member';
      if (targets.some((t) => members.get(t) !== from)) return bad(`every target must be a(n) ${from}`);
      result.roles = targets.map((userId) => ({ userId, role: to }));
      break;
    }
    case 'rename':
      failure = shapeError(false, true, false) ?? adminError();
      if (failure) return failure;
      result.name = change.name;
      break;
    case 'invite':
      failure = shapeError(false, false, true) ?? adminError();
      if (failure) return failure;
      result.inviteCreated = { token: change.invite!.token, approval: change.invite!.approval };
      break;
    case 'revoke':
      failure = shapeError(false, false, true) ?? adminError();
      if (failure) return failure;
      if (context.invites.get(change.invite!.token) !== change.invite!.approval) {
        return groupRuleFailure<GroupRuleCode>('invalid_invite', 'no such live invite link');
      }
      result.inviteRevoked = change.invite!.token;
      break;
    case 'create':
      return context.refuse.create;
  }
  for (const userId of result.removed) next.delete(userId);
  for (const { userId, role } of result.roles) next.set(userId, role);
  for (const { userId, role } of result.added) next.set(userId, role);
  return { ok: true, members: next, ...result };
}
