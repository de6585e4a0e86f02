import { describe, expect, it } from 'vitest';
import type { GroupMessageView } from '../../../../shared/ipc';
import { buildGroupRows } from './groupRows';

const at = new Date(2026, 0, 5, 12, 0).getTime();
function message(
  id: string,
  senderId: string,
  sentAt: number,
  kind: GroupMessageView['kind'] = 'text',
): GroupMessageView {
  return {
    groupId: 'g',
    id,
    localId: Number(id.slice(1)),
    senderId,
    senderName: senderId,
    fromMe: false,
    kind,
    text: id,
    system: null,
    sentAt,
    seq: null,
    status: null,
  };
}

describe('buildGroupRows', () => {
  it('starts with the history edge, each day with a separator, and runs by sender', () => {
    const rows = buildGroupRows([
      message('m1', 'a', at),
      message('m2', 'a', at + 1_000),
      message('m3', 'b', at + 2_000),
      message('m4', 'b', at + 3_000, 'system'),
      message('m5', 'b', at + 86_400_000),
    ]);
    expect(rows.map((r) => (r.kind === 'message' ? `${r.key}:${+r.firstInRun}${+r.lastInRun}` : r.kind))).toEqual([
      'edge',
      'day',
      'm1:10',
      'm2:01',
      'm3:11',
      'system',
      'day',
      'm5:11',
    ]);
  });

  it('makes timer lines service rows that end a run', () => {
    const rows = buildGroupRows([
      message('m1', 'a', at),
      message('m2', 'a', at + 1_000, 'timer'),
      message('m3', 'a', at + 2_000),
    ]);
    expect(rows.map((r) => (r.kind === 'message' ? `${r.key}:${+r.firstInRun}${+r.lastInRun}` : r.kind))).toEqual([
      'edge',
      'day',
      'm1:11',
      'system',
      'm3:11',
    ]);
  });

  it('has no rows for no messages', () => {
    expect(buildGroupRows([])).toEqual([]);
  });
});
