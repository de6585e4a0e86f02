/**
 * Group requests (shared/protocol/groups.ts). Every refusal is a RelayError with its own
 * code, thrown before anything is stored; every write is one atomic transaction that
 * re-checks the membership version it was planned against.
 */
import {
  GROUP_LIMITS,
  checkGroupChange,
  groupRuleFailure,
  type FrameOf,
  type GroupChangeWire,
  type GroupClientFrame,
  type GroupServerFrame,
  type GroupMemberWire,
  type GroupRole,
  type GroupStateWire,
} from '../../../shared/protocol';
import type { RequestContext } from '../handlers/context';
import { RelayError } from '../handlers/relayError';
import type { Account } from '../storage/storage';
import type { GroupPeer } from './hub';
import { bytesEqual, memberListHash, verifyChangeSignature } from './signatures';
import type { ChangeEffects, GroupSnapshot } from './store';

type Frame<T extends GroupClientFrame['t']> = FrameOf<GroupClientFrame, T>;
type GMsgFrame = FrameOf<GroupServerFrame, 'gMsg'>;

/** De-duplication records of group sends are kept this long. */
export const GROUP_SENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** A join through an open link races other changes for the next version; it retries this often. */
const JOIN_ATTEMPTS = 5;

export async function dispatchGroup(ctx: RequestContext, session: Account, frame: GroupClientFrame): Promise<void> {
  const peer: GroupPeer = {
    connectionId: ctx.connectionId,
    userId: session.user.userId,
    send: (pushed) => ctx.reply(pushed),
  };
  ctx.services.groups.hub.ensure(peer);
  switch (frame.t) {
    case 'gCreate':
      return handleCreate(ctx, session, frame);
    case 'gChange':
      return handleChange(ctx, session, frame);
    case 'gJoin':
      return handleJoin(ctx, session, frame);
    case 'gInfo':
      return handleInfo(ctx, session, frame);
    case 'gLog':
      return handleLog(ctx, session, frame);
    case 'gSend':
      return handleSend(ctx, session, frame);
    case 'gSync':
      ctx.reply({ t: 'ok', re: frame.id });
      return ctx.services.groups.hub.sync(peer);
    case 'gAck':
      return handleAck(ctx, session, frame);
    case 'gTyping':
      return handleTyping(ctx, session, frame);
    case 'gList': {
      const mine = await ctx.services.storage.groups.groupsOf(session.user.userId);
      ctx.reply({
        t: 'gListed',
        re: frame.id,
        groups: mine.slice(0, GROUP_LIMITS.maxGroupsListed).map((g) => ({ gid: g.groupId, version: g.version })),
      });
      return;
    }
  }
}

// ------------------------------------------------------------------ helpers

const isAdmin = (role: GroupRole | undefined) => role === 'owner' || role === 'admin';
const bad = (message: string) => new RelayError('bad_group_change', message);

function stateWire(snapshot: GroupSnapshot, viewer: string): GroupStateWire {
  const viewerRole = snapshot.members.find((m) => m.userId === viewer)?.role;
  return {
    gid: snapshot.group.groupId,
    name: snapshot.group.name,
    version: snapshot.group.version,
    members: snapshot.members.map((m) => ({ userId: m.userId, role: m.role })),
    invites: snapshot.invites.map((i) => ({ token: i.token, approval: i.approval })),
    pending: isAdmin(viewerRole) ? [...snapshot.pending] : [],
    head: snapshot.group.head,
  };
}

async function replyState(ctx: RequestContext, re: number, groupId: string, viewer: string): Promise<void> {
  const snapshot = await ctx.services.storage.groups.snapshot(groupId);
  if (!snapshot) throw new RelayError('unknown_group', 'no such group');
  ctx.reply({ t: 'gState', re, group: stateWire(snapshot, viewer) });
}

async function assertUsersExist(ctx: RequestContext, userIds: readonly string[]): Promise<void> {
  for (const userId of userIds) {
    if (!(await ctx.services.storage.findUserById(userId))) throw new RelayError('not_found', 'no such user');
  }
}

function assertSigned(change: GroupChangeWire, session: Account): void {
  if (!verifyChangeSignature(change, session.user.identityKey)) {
    throw new RelayError('bad_signature', "the change is not signed by the actor's identity key");
  }
}

function assertHash(change: GroupChangeWire, members: readonly GroupMemberWire[]): void {
  if (!bytesEqual(change.memberHash, memberListHash(members))) {
    throw bad('memberHash is not the hash of the member list after the change');
  }
}

/** Checks a change against the group as it is and returns its effects and the member list after it. */
export function planChange(
  snapshot: GroupSnapshot,
  change: GroupChangeWire,
): { effects: ChangeEffects; members: GroupMemberWire[] } {
  const roles = new Map(snapshot.members.map((m) => [m.userId, m.role]));
  const actorRole = roles.get(change.actor);
  if (!actorRole) throw new RelayError('not_group_member', 'only members change a group');
  if (change.version !== snapshot.group.version + 1) {
    throw new RelayError('group_version_conflict', `the group is at version ${snapshot.group.version}`);
  }
  const rule = checkGroupChange(roles, change, {
    invites: new Map(snapshot.invites.map((i) => [i.token, i.approval])),
    refuse: {
      create: groupRuleFailure('bad_group_change', "'create' is not a gChange"),
      join: groupRuleFailure('bad_group_change', "'join' is not a gChange"),
    },
  });
  if (!rule.ok) throw new RelayError(rule.code, rule.message);
  const { added, removed, roles: roleChanges } = rule;
  const removedSet = new Set(removed);
  const newRoles = new Map(roleChanges.map((r) => [r.userId, r.role]));
  const members = [
    ...snapshot.members
      .filter((m) => !removedSet.has(m.userId))
      .map((m) => ({ userId: m.userId, role: newRoles.get(m.userId) ?? m.role })),
    ...added,
  ];
  return {
    effects: {
      change,
      added,
      removed,
      roles: roleChanges,
      name: rule.name,
      inviteCreated: rule.inviteCreated,
      inviteRevoked: rule.inviteRevoked,
    },
    members,
  };
}

/** After a committed change: stop removed members' deliveries, tell everyone concerned. */
function announce(
  ctx: RequestContext,
  change: GroupChangeWire,
  members: readonly GroupMemberWire[],
  removed: readonly string[],
): void {
  const hub = ctx.services.groups.hub;
  hub.membershipChanged(change.gid, removed);
  hub.notify(new Set([...members.map((m) => m.userId), ...removed]), { t: 'gChanged', change });
}

// ------------------------------------------------------------------ requests

async function handleCreate(ctx: RequestContext, session: Account, frame: Frame<'gCreate'>): Promise<void> {
  const change = { ...frame.change, ts: ctx.services.now() };
  const me = session.user.userId;
  if (change.action !== 'create' || change.version !== 1) throw bad("gCreate takes a 'create' change of version 1");
  if (change.actor !== me) throw bad('the actor must be the signed-in user');
  if (change.name === null || change.invite !== null) throw bad("the fields do not fit a 'create' change");
  if (new Set(change.targets).size !== change.targets.length || change.targets.includes(me)) {
    throw bad('members are named once, the creator not among them');
  }
  if (change.targets.length + 1 > GROUP_LIMITS.maxMembers) {
    throw new RelayError('group_full', `a group has at most ${GROUP_LIMITS.maxMembers} members`);
  }
  assertSigned(change, session);
  const members: GroupMemberWire[] = [
    { userId: me, role: 'owner' },
    ...change.targets.map((userId) => ({ userId, role: 'member' as const })),
  ];
  assertHash(change, members);
  await assertUsersExist(ctx, change.targets);
  if (!(await ctx.services.storage.groups.createGroup(change, members, change.ts))) {
    throw new RelayError('group_exists', 'a group with this id exists');
  }
  await replyState(ctx, frame.id, change.gid, me);
  announce(ctx, change, members, []);
}

async function handleChange(ctx: RequestContext, session: Account, frame: Frame<'gChange'>): Promise<void> {
  const change = { ...frame.change, ts: ctx.services.now() };
  const me = session.user.userId;
  if (change.actor !== me) throw bad('the actor must be the signed-in user');
  const store = ctx.services.storage.groups;
  const snapshot = await store.snapshot(change.gid);
  if (!snapshot) throw new RelayError('unknown_group', 'no such group');
  if (!snapshot.members.some((m) => m.userId === me))
    throw new RelayError('not_group_member', 'only members change a group');
  assertSigned(change, session);
  const { effects, members } = planChange(snapshot, change);
  assertHash(change, members);
  if (change.action === 'add') await assertUsersExist(ctx, change.targets);
  const result = await store.applyChange(effects, change.ts);
  if (result.status === 'conflict') throw new RelayError('group_version_conflict', 'another change came first');
  if (result.status === 'invite_taken') throw bad('an invite link with this token exists');
  await replyState(ctx, frame.id, change.gid, me);
  announce(ctx, change, members, effects.removed);
}

async function handleJoin(ctx: RequestContext, session: Account, frame: Frame<'gJoin'>): Promise<void> {
  const store = ctx.services.storage.groups;
  const me = session.user.userId;
  const invite = await store.findInvite(frame.token);
  if (!invite) throw new RelayError('invalid_invite', 'no such invite link, or it was revoked');
  for (let attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
    const snapshot = await store.snapshot(invite.groupId);
    if (!snapshot) throw new RelayError('invalid_invite', 'no such invite link, or it was revoked');
    if (snapshot.members.some((m) => m.userId === me)) return replyState(ctx, frame.id, invite.groupId, me);
    if (snapshot.members.length + 1 > GROUP_LIMITS.maxMembers) {
      throw new RelayError('group_full', `a group has at most ${GROUP_LIMITS.maxMembers} members`);
    }
    if (invite.approval) {
      if (!(await store.requestJoin(invite.groupId, me, GROUP_LIMITS.maxPendingJoins, ctx.services.now()))) {
        throw new RelayError('group_full', 'too many open join requests');
      }
      ctx.reply({ t: 'gJoinPending', re: frame.id, gid: invite.groupId });
      const admins = snapshot.members.filter((m) => isAdmin(m.role)).map((m) => m.userId);
      ctx.services.groups.hub.notify(admins, { t: 'gJoinReq', gid: invite.groupId, userId: me });
      return;
    }
    const members = [...snapshot.members, { userId: me, role: 'member' as const }];
    const change: GroupChangeWire = {
      gid: invite.groupId,
      version: snapshot.group.version + 1,
      action: 'join',
      actor: me,
      targets: [me],
      name: null,
      invite: { token: frame.token, approval: false },
      memberHash: memberListHash(members) as Uint8Array<ArrayBuffer>,
      sig: null,
      ts: ctx.services.now(),
    };
    const effects: ChangeEffects = {
      change,
      added: [{ userId: me, role: 'member' }],
      removed: [],
      roles: [],
      name: null,
      inviteCreated: null,
      inviteRevoked: null,
    };
    const result = await store.applyChange(effects, change.ts);
    if (result.status === 'applied') {
      await replyState(ctx, frame.id, invite.groupId, me);
      announce(ctx, change, members, []);
      return;
    }
  }
  throw new RelayError('group_version_conflict', 'the group kept changing; try again');
}

async function requireMember(ctx: RequestContext, groupId: string, userId: string): Promise<GroupRole> {
  const role = await ctx.services.storage.groups.role(groupId, userId);
  if (!role) throw new RelayError('not_group_member', 'not a member of this group');
  return role;
}

async function handleInfo(ctx: RequestContext, session: Account, frame: Frame<'gInfo'>): Promise<void> {
  await requireMember(ctx, frame.gid, session.user.userId);
  await replyState(ctx, frame.id, frame.gid, session.user.userId);
}

async function handleLog(ctx: RequestContext, session: Account, frame: Frame<'gLog'>): Promise<void> {
  await requireMember(ctx, frame.gid, session.user.userId);
  const changes = await ctx.services.storage.groups.changesAfter(frame.gid, frame.after, GROUP_LIMITS.maxLogBatch);
  ctx.reply({ t: 'gChanges', re: frame.id, gid: frame.gid, changes });
}

async function handleSend(ctx: RequestContext, session: Account, frame: Frame<'gSend'>): Promise<void> {
  const me = session.user.userId;
  const result = await ctx.services.storage.groups.appendMessage(
    frame.gid,
    me,
    frame.msgId,
    frame.body,
    ctx.services.now(),
    GROUP_LIMITS.maxBacklog,
    frame.purgeAt,
  );
  if (result.status === 'not_member') throw new RelayError('not_group_member', 'only members send to a group');
  ctx.reply({
    t: 'gSent',
    re: frame.id,
    gid: frame.gid,
    msgId: frame.msgId,
    seq: result.seq,
    ts: result.ts,
    duplicate: result.duplicate,
  });
  if (result.duplicate) return;
  const message: GMsgFrame = {
    t: 'gMsg',
    gid: frame.gid,
    seq: result.seq,
    from: me,
    msgId: frame.msgId,
    ts: result.ts,
    body: frame.body,
    ...(result.version !== undefined ? { version: result.version } : {}),
  };
  // The hub, not this handler, checks purgeAt: the deadline may pass before the push.
  await ctx.services.groups.hub.published(frame.gid, result.seq, me, message, frame.purgeAt);
}

async function handleAck(ctx: RequestContext, session: Account, frame: Frame<'gAck'>): Promise<void> {
  const me = session.user.userId;
  await requireMember(ctx, frame.gid, me);
  await ctx.services.storage.groups.ack(frame.gid, me, frame.seq, ctx.services.now() - GROUP_SENT_RETENTION_MS);
  ctx.reply({ t: 'ok', re: frame.id });
  ctx.services.groups.hub.acknowledged(me, frame.gid, frame.seq);
}

/**
 * Ephemeral: checked against the membership (a read, no write), answered, then pushed to the
 * other members online now unless the sender already signalled this group in the last
 * TYPING_INTERVAL_MS (then answered ok all the same: the client did nothing wrong).
 */
async function handleTyping(ctx: RequestContext, session: Account, frame: Frame<'gTyping'>): Promise<void> {
  const me = session.user.userId;
  await requireMember(ctx, frame.gid, me);
  ctx.reply({ t: 'ok', re: frame.id });
  if (!ctx.services.groups.typing.allow(me, frame.gid)) return;
  await ctx.services.groups.hub.typing(frame.gid, me);
}
