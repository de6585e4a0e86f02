import { describe, expect, it } from 'vitest';
import { message } from '../../test-support/fakeBridge';
import { buildMessageRows, GROUP_WINDOW_MS } from './messageRows';

const at = (d: number, h: number, m = 0) => new Date(2024, 2, d, h, m).getTime();

describe('message rows', () => {
  it('has no rows for an empty conversation', () => {
    expect(buildMessageRows([])).toEqual([]);
  });

  it('starts with the history edge and puts a separator before each new day', () => {
    const rows = buildMessageRows([
      message({ id: 'a', sentAt: at(4, 23, 59) }),
      message({ id: 'b', sentAt: at(5, 0, 1) }),
      message({ id: 'c', sentAt: at(5, 9) }),
    ]);
    expect(rows.map((r) => r.key)).toEqual(['edge', 'day:2024-03-04', 'a', 'day:2024-03-05', 'b', 'c']);
  });

  it('groups consecutive messages from the same side within the window', () => {
    const start = at(5, 10);
    const rows = buildMessageRows([
      message({ id: 'in1', sentAt: start }),
      message({ id: 'in2', sentAt: start + 1000 }),
      message({ id: 'out', fromMe: true, sentAt: start + 2000 }),
      message({ id: 'in3', sentAt: start + 3000 }),
      message({ id: 'in4', sentAt: start + 3000 + GROUP_WINDOW_MS }),
    ]).filter((r) => r.kind === 'message');
    expect(rows.map((r) => [r.key, r.firstInGroup, r.lastInGroup])).toEqual([
      ['in1', true, false],
      ['in2', false, true],
      ['out', true, true],
      ['in3', true, true],
      ['in4', true, true],
    ]);
  });

  it('shows lines the core adds as service rows that break the groups around them', () => {
    const start = at(5, 10);
    const rows = buildMessageRows([
      message({ id: 'in1', sentAt: start }),
      message({ id: 'changed', kind: 'keyChanged', text: '', sentAt: start + 1000 }),
      message({ id: 'in2', sentAt: start + 2000 }),
      message({ id: 'lost', kind: 'undecryptable', text: '', sentAt: start + 3000 }),
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['edge', 'day', 'message', 'system', 'message', 'system']);
    const system = rows.filter((r) => r.kind === 'system');
    expect(system.map((r) => r.sentence)).toEqual(['security.keyChangedLine', 'security.undecryptableLine']);
    const bubbles = rows.filter((r) => r.kind === 'message');
    expect(bubbles.map((r) => [r.key, r.firstInGroup, r.lastInGroup])).toEqual([
      ['in1', true, true],
      ['in2', true, true],
    ]);
  });
});
