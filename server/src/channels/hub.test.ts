import { describe, expect, it } from 'vitest';
import { preFrame } from './hub';
import type { ChannelStore } from './store';
import { ViewCounter } from './views';

describe('preFrame', () => {
  it('builds one final, unmasked binary frame with the shortest length encoding', () => {
    const small = preFrame(new Uint8Array([1, 2, 3]));
    expect([...small]).toEqual([0x82, 3, 1, 2, 3]);

    const medium = preFrame(new Uint8Array(300).fill(9));
    expect(medium.subarray(0, 4)).toEqual(Buffer.from([0x82, 126, 0x01, 0x2c]));
    expect(medium.byteLength).toBe(304);

    const large = preFrame(new Uint8Array(70_000));
    expect(large[1]).toBe(127);
    expect(large.readBigUInt64BE(2)).toBe(70_000n);
    expect(large.byteLength).toBe(70_010);
  });
});

describe('ViewCounter', () => {
  it('aggregates views in memory and writes them in one batch; a failed write keeps them', async () => {
    const counter = new ViewCounter();
    counter.add('c1', 1);
    counter.add('c1', 1);
    counter.add('c1', 2);
    counter.add('c2', 1);
    expect(counter.pendingFor('c1', 1)).toBe(2);

    const batches: unknown[] = [];
    let fail = true;
    const store = {
      addViews: async (increments: unknown) => {
        if (fail) throw new Error('disk full');
        batches.push(increments);
      },
    } as unknown as ChannelStore;
    await expect(counter.flush(store)).rejects.toThrow('disk full');
    expect(counter.pendingFor('c1', 1)).toBe(2);

    fail = false;
    expect(await counter.flush(store)).toBe(3);
    expect(batches).toEqual([
      [
        { channelId: 'c1', seq: 1, count: 2 },
        { channelId: 'c1', seq: 2, count: 1 },
        { channelId: 'c2', seq: 1, count: 1 },
      ],
    ]);
    expect(counter.pendingFor('c1', 1)).toBe(0);
    expect(await counter.flush(store)).toBe(0);
  });
});
