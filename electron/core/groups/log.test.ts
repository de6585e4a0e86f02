import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupChangeWire } from '../../../shared/protocol';
import { sodiumReady } from '../crypto/sodium';
import {
  applyChange,
  GroupLogError,
  memberList,
  memberListHash,
  signChange,
  transition,
  type GroupLogState,
} from './log';

const id = (c: string) => `u_${c.repeat(22)}`;
const GID = `g_${'G'.repeat(22)}`;
const [OWNER, ADMIN, MEMBER, OTHER] = [id('A'), id('B'), id('C'), id('D')];
let keys: Map<string, { publicKey: Uint8Array; privateKey: Uint8Array }>;
const keyOf = (userId: string) => keys.get(userId)?.publicKey;

beforeAll(async () => {
  await sodiumReady();
  keys = new Map([OWNER, ADMIN, MEMBER, OTHER].map((u) => [u, sodium.crypto_sign_keypair()]));
});

/** A correctly signed change by `actor` from `state` (hash computed from the resulting list). */
function change(
  state: GroupLogState | null,
  actor: string,
  fields: Partial<GroupChangeWire> & Pick<GroupChangeWire, 'action'>,
  signer = actor,
): GroupChangeWire {
  const draft: GroupChangeWire = {
    gid: GID,
    version: (state?.version ?? 0) + 1,
    actor,
    targets: [],
    name: null,
    invite: null,
    memberHash: new Uint8Array(32),
    sig: null,
    ts: 0,
    ...fields,
  };
  let hash = new Uint8Array(32);
  try {
    hash = memberListHash(memberList(transition(state, draft)));
  } catch {
    // an invalid change: any hash
  }
  return signChange({ ...draft, memberHash: hash }, keys.get(signer)!.privateKey);
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof GroupLogError ? err.code : 'other';
  }
  return 'none';
}

describe('the verified group log', () => {
  let s1: GroupLogState;
  let s2: GroupLogState;
  beforeAll(() => {
    s1 = applyChange(null, change(null, OWNER, { action: 'create', name: 'Team', targets: [ADMIN, MEMBER] }), keyOf);
    s2 = applyChange(s1, change(s1, OWNER, { action: 'promote', targets: [ADMIN] }), keyOf);
  });

  it('replays a valid chain', () => {
    expect(s2.version).toBe(2);
    expect(s2.members.get(ADMIN)).toBe('admin');
    const s3 = applyChange(s2, change(s2, ADMIN, { action: 'add', targets: [OTHER] }), keyOf);
    expect(s3.members.size).toBe(4);
  });

  it('refuses, with a specific code and without changing the state, what the rules forbid', () => {
    const before = JSON.stringify([...s2.members]);
    // A member adding someone.
    expect(code(() => applyChange(s2, change(s2, MEMBER, { action: 'add', targets: [OTHER] }), keyOf))).toBe(
      'not_group_admin',
    );
    // The owner cannot leave; a member cannot promote.
    expect(code(() => transition(s2, change(s2, OWNER, { action: 'leave', targets: [OWNER] })))).toBe(
      'bad_group_change',
    );
    expect(code(() => applyChange(s2, change(s2, MEMBER, { action: 'promote', targets: [MEMBER] }), keyOf))).toBe(
      'not_owner',
    );
    // A forged signature (signed by someone else's key).
    expect(code(() => applyChange(s2, change(s2, OWNER, { action: 'remove', targets: [MEMBER] }, MEMBER), keyOf))).toBe(
      'bad_signature',
    );
    // A skipped version.
    expect(
      code(() => applyChange(s2, { ...change(s2, OWNER, { action: 'rename', name: 'X' }), version: 4 }, keyOf)),
    ).toBe('bad_signature'); // the signature covers the version
    const skipped = change({ ...s2, version: 3 }, OWNER, { action: 'rename', name: 'X' });
    expect(code(() => applyChange(s2, skipped, keyOf))).toBe('bad_version');
    // A member list hash that is not the list after the change.
    const wrongHash = signChange(
      { ...change(s2, OWNER, { action: 'add', targets: [OTHER] }), memberHash: memberListHash(memberList(s2)) },
      keys.get(OWNER)!.privateKey,
    );
    expect(code(() => applyChange(s2, wrongHash, keyOf))).toBe('bad_member_hash');
    // A relay-written join without a live open link.
    const join = {
      ...change(s2, OTHER, { action: 'join', targets: [OTHER], invite: { token: 'T'.repeat(32), approval: false } }),
      sig: null,
    };
    expect(code(() => applyChange(s2, join, keyOf))).toBe('invalid_invite');
    // A non-member's change.
    expect(code(() => applyChange(s2, change(s2, OTHER, { action: 'rename', name: 'Mine' }), keyOf))).toBe(
      'not_group_member',
    );
    expect(JSON.stringify([...s2.members])).toBe(before);
  });

  it('lets an open link admit a joiner, and not after it is revoked', () => {
    const token = 'T'.repeat(32);
    const s3 = applyChange(s2, change(s2, ADMIN, { action: 'invite', invite: { token, approval: false } }), keyOf);
    const join = {
      ...change(s3, OTHER, { action: 'join', targets: [OTHER], invite: { token, approval: false } }),
      sig: null,
    };
    expect(applyChange(s3, join, keyOf).members.get(OTHER)).toBe('member');
    const s4 = applyChange(s3, change(s3, ADMIN, { action: 'revoke', invite: { token, approval: false } }), keyOf);
    const late = {
      ...change(s4, OTHER, { action: 'join', targets: [OTHER], invite: { token, approval: false } }),
      sig: null,
    };
    expect(code(() => applyChange(s4, late, keyOf))).toBe('invalid_invite');
  });
});
