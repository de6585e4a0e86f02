import { describe, expect, it } from 'vitest';
import {
  GROUP_CHANGE_SIG_CONTEXT,
  groupChangeSignedBytes,
  groupMemberListBytes,
  clientFrame,
  serverFrame,
  type GroupChangeWire,
} from '../../../shared/protocol';

const enc = new TextEncoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const change: Omit<GroupChangeWire, 'sig' | 'ts'> = {
  gid: 'g_AAAAAAAAAAAAAAAAAAAAAA',
  version: 2,
  action: 'rename',
  actor: 'u_BBBBBBBBBBBBBBBBBBBBBB',
  targets: [],
  name: 'Café ☕ 𝄞',
  invite: null,
  memberHash: new Uint8Array(32).fill(7),
};

describe('group change records', () => {
  it('encodes the signed bytes exactly as documented (UTF-8 as TextEncoder)', () => {
    const lp = (s: string) => {
      const b = enc.encode(s);
      return Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    };
    const expected = Buffer.concat([
      enc.encode(GROUP_CHANGE_SIG_CONTEXT),
      lp(change.gid),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]),
      lp('rename'),
      lp(change.actor),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([1]),
      lp('Café ☕ 𝄞'),
      Buffer.from([0]),
      Buffer.from(change.memberHash),
    ]);
    expect(hex(groupChangeSignedBytes(change))).toBe(hex(expected));
  });

  it('every field changes the signed bytes', () => {
    const base = hex(groupChangeSignedBytes(change));
    const variants: Omit<GroupChangeWire, 'sig' | 'ts'>[] = [
      { ...change, gid: 'g_AAAAAAAAAAAAAAAAAAAAAB' },
      { ...change, version: 3 },
      { ...change, action: 'add' },
      { ...change, actor: 'u_CCCCCCCCCCCCCCCCCCCCCC' },
      { ...change, targets: ['u_CCCCCCCCCCCCCCCCCCCCCC'] },
      { ...change, name: null },
      { ...change, invite: { token: 'x'.repeat(32), approval: false } },
      { ...change, memberHash: new Uint8Array(32).fill(8) },
    ];
    for (const v of variants) expect(hex(groupChangeSignedBytes(v))).not.toBe(base);
  });

  it('hashes the member list independent of order', () => {
    const a = { userId: 'u_AAAAAAAAAAAAAAAAAAAAAA', role: 'owner' as const };
    const b = { userId: 'u_BBBBBBBBBBBBBBBBBBBBBB', role: 'member' as const };
    expect(groupMemberListBytes([a, b])).toEqual(groupMemberListBytes([b, a]));
    expect(groupMemberListBytes([a, b])).not.toEqual(groupMemberListBytes([a, { ...b, role: 'admin' }]));
  });
});

describe('frame unions', () => {
  it('carry the group frames beside the base protocol', () => {
    expect(clientFrame.safeParse({ t: 'gSync', id: 1 }).success).toBe(true);
    expect(clientFrame.safeParse({ t: 'ping', id: 1 }).success).toBe(true);
    expect(serverFrame.safeParse({ t: 'ok', re: 1 }).success).toBe(true);
    expect(serverFrame.safeParse({ t: 'gJoinPending', re: 1, gid: 'g_AAAAAAAAAAAAAAAAAAAAAA' }).success).toBe(true);
  });
});
