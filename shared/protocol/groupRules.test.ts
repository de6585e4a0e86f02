import { describe, expect, it } from 'vitest';
import { checkGroupChange, groupRuleFailure, type GroupRuleContext, type GroupRuleResult } from './groupRules';
import { GROUP_LIMITS, type GroupChangeWire, type GroupRole } from './groups';

const OWNER = 'u_' + 'O'.repeat(22);
const ADMIN = 'u_' + 'A'.repeat(22);
const MEMBER = 'u_' + 'M'.repeat(22);
const OTHER = 'u_' + 'X'.repeat(22);
const NEWBIE = 'u_' + 'N'.repeat(22);
const OPEN = 'o'.repeat(32);
const GATED = 'g'.repeat(32);

const roles = (): Map<string, GroupRole> =>
  new Map<string, GroupRole>([
    [OWNER, 'owner'],
    [ADMIN, 'admin'],
    [MEMBER, 'member'],
    [OTHER, 'member'],
  ]);

type Change = Pick<GroupChangeWire, 'action' | 'actor' | 'targets' | 'name' | 'invite'>;
const change = (actor: string, fields: Partial<Change> & Pick<Change, 'action'>): Change => ({
  actor,
  targets: [],
  name: null,
  invite: null,
  ...fields,
});

const context: GroupRuleContext<'bad_version'> = {
  invites: new Map([
    [OPEN, false],
    [GATED, true],
  ]),
  refuse: { create: groupRuleFailure<'bad_version'>('bad_version', 'a second create') },
};

const check = (c: Change, members = roles(), ctx = context) => checkGroupChange(members, c, ctx);
const code = (result: GroupRuleResult<'bad_version'>) => (result.ok ? 'ok' : result.code);
const ok = (result: GroupRuleResult<'bad_version'>) => {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
  return result;
};

describe('checkGroupChange', () => {
  it('refuses a target named twice and changes by non-members', () => {
    expect(code(check(change(OWNER, { action: 'add', targets: [NEWBIE, NEWBIE] })))).toBe('bad_group_change');
    expect(code(check(change(NEWBIE, { action: 'rename', name: 'x' })))).toBe('not_group_member');
  });

  it('refuses fields that do not fit the action', () => {
    const result = check(change(OWNER, { action: 'add', targets: [NEWBIE], name: 'x' }));
    expect(result).toEqual({ ok: false, code: 'bad_group_change', message: "the fields do not fit a 'add' change" });
    expect(code(check(change(OWNER, { action: 'rename' })))).toBe('bad_group_change');
  });

  it('add: admins add non-members up to the limit', () => {
    const result = ok(check(change(ADMIN, { action: 'add', targets: [NEWBIE] })));
    expect(result.added).toEqual([{ userId: NEWBIE, role: 'member' }]);
    expect(result.members.get(NEWBIE)).toBe('member');
    expect(result.members.size).toBe(5);
    expect(code(check(change(MEMBER, { action: 'add', targets: [NEWBIE] })))).toBe('not_group_admin');
    expect(code(check(change(OWNER, { action: 'add', targets: [MEMBER] })))).toBe('bad_group_change');
    const full = new Map<string, GroupRole>(roles());
    for (let i = full.size; i < GROUP_LIMITS.maxMembers; i++) full.set(`u_${String(i).padStart(22, '0')}`, 'member');
    expect(check(change(OWNER, { action: 'add', targets: [NEWBIE] }), full)).toEqual({
      ok: false,
      code: 'group_full',
      message: `a group has at most ${GROUP_LIMITS.maxMembers} members`,
    });
  });

  it('remove: admins remove members, only the owner removes an admin, nobody removes the owner or self', () => {
    const result = ok(check(change(ADMIN, { action: 'remove', targets: [MEMBER] })));
    expect(result.removed).toEqual([MEMBER]);
    expect(result.members.has(MEMBER)).toBe(false);
    expect(ok(check(change(OWNER, { action: 'remove', targets: [ADMIN, MEMBER] }))).removed).toEqual([ADMIN, MEMBER]);
    expect(code(check(change(MEMBER, { action: 'remove', targets: [OTHER] })))).toBe('not_group_admin');
    expect(code(check(change(ADMIN, { action: 'remove', targets: [ADMIN] })))).toBe('bad_group_change');
    expect(code(check(change(ADMIN, { action: 'remove', targets: [OWNER] })))).toBe('bad_group_change');
    expect(code(check(change(ADMIN, { action: 'remove', targets: [NEWBIE] })))).toBe('bad_group_change');
    const admins = roles().set(OTHER, 'admin');
    expect(code(check(change(ADMIN, { action: 'remove', targets: [OTHER] }), admins))).toBe('not_owner');
  });

  it('leave: anyone but the owner leaves, naming only themself', () => {
    expect(ok(check(change(MEMBER, { action: 'leave', targets: [MEMBER] }))).removed).toEqual([MEMBER]);
    expect(code(check(change(MEMBER, { action: 'leave', targets: [OTHER] })))).toBe('bad_group_change');
    expect(check(change(OWNER, { action: 'leave', targets: [OWNER] }))).toEqual({
      ok: false,
      code: 'bad_group_change',
      message: 'the owner cannot leave',
    });
  });

  it('promote and demote: the owner only, members up and admins down', () => {
    const promoted = ok(check(change(OWNER, { action: 'promote', targets: [MEMBER] })));
    expect(promoted.roles).toEqual([{ userId: MEMBER, role: 'admin' }]);
    expect(promoted.members.get(MEMBER)).toBe('admin');
    const demoted = ok(check(change(OWNER, { action: 'demote', targets: [ADMIN] })));
    expect(demoted.members.get(ADMIN)).toBe('member');
    expect(code(check(change(ADMIN, { action: 'promote', targets: [MEMBER] })))).toBe('not_owner');
    expect(code(check(change(OWNER, { action: 'promote', targets: [ADMIN] })))).toBe('bad_group_change');
    expect(code(check(change(OWNER, { action: 'demote', targets: [MEMBER] })))).toBe('bad_group_change');
  });

  it('rename: admins only', () => {
    const result = ok(check(change(ADMIN, { action: 'rename', name: 'new name' })));
    expect(result.name).toBe('new name');
    expect(result.members).toEqual(roles());
    expect(code(check(change(MEMBER, { action: 'rename', name: 'x' })))).toBe('not_group_admin');
  });

  it('invite and revoke: admins only; a revoke names a live link as created', () => {
    const token = 't'.repeat(32);
    expect(ok(check(change(ADMIN, { action: 'invite', invite: { token, approval: true } }))).inviteCreated).toEqual({
      token,
      approval: true,
    });
    expect(code(check(change(MEMBER, { action: 'invite', invite: { token, approval: false } })))).toBe(
      'not_group_admin',
    );
    expect(ok(check(change(ADMIN, { action: 'revoke', invite: { token: GATED, approval: true } }))).inviteRevoked).toBe(
      GATED,
    );
    expect(code(check(change(MEMBER, { action: 'revoke', invite: { token: GATED, approval: true } })))).toBe(
      'not_group_admin',
    );
    expect(code(check(change(ADMIN, { action: 'revoke', invite: { token: GATED, approval: false } })))).toBe(
      'invalid_invite',
    );
    expect(code(check(change(ADMIN, { action: 'revoke', invite: { token, approval: false } })))).toBe('invalid_invite');
  });

  it('join: a non-member through a live open link, unless the caller refuses joins', () => {
    const join = (token: string, approval = false) =>
      change(NEWBIE, { action: 'join', targets: [NEWBIE], invite: { token, approval } });
    const result = ok(check(join(OPEN)));
    expect(result.added).toEqual([{ userId: NEWBIE, role: 'member' }]);
    expect(result.members.get(NEWBIE)).toBe('member');
    expect(code(check(join(GATED, true)))).toBe('invalid_invite');
    expect(code(check(join(OPEN, true)))).toBe('invalid_invite');
    expect(code(check(join('z'.repeat(32))))).toBe('invalid_invite');
    expect(code(check({ ...join(OPEN), actor: MEMBER, targets: [MEMBER] }))).toBe('bad_group_change');
    expect(code(check({ ...join(OPEN), targets: [NEWBIE, OTHER] }))).toBe('bad_group_change');
    const refused = groupRuleFailure('bad_group_change', "'join' is not a gChange");
    expect(check(join(OPEN), roles(), { ...context, refuse: { ...context.refuse, join: refused } })).toBe(refused);
  });

  it("create: refused as the caller says, after the actor's membership", () => {
    const create = (actor: string) => change(actor, { action: 'create', name: 'g' });
    expect(check(create(OWNER))).toEqual({ ok: false, code: 'bad_version', message: 'a second create' });
    expect(code(check(create(NEWBIE)))).toBe('not_group_member');
  });

  it('never mutates its inputs', () => {
    const members = roles();
    ok(check(change(OWNER, { action: 'remove', targets: [ADMIN] }), members));
    expect(members).toEqual(roles());
  });
});
