import { describe, it, expect } from 'vitest';
import { IntakeLanes, defaultIntakeConcurrency } from './intake-lanes.js';

const gate = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
};

describe('IntakeLanes', () => {
  it('holds one business to its limit, in arrival order, while another business goes straight through', async () => {
    const lanes = new IntakeLanes(2);
    const started: string[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const floods = gates.map((g, i) => lanes.run('a', async () => {
      started.push(`a${i}`);
      await g.p;
      return i;
    }));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a0', 'a1']);
    expect(lanes.waiting('a')).toBe(3);
    // B is not behind A's line.
    expect(await lanes.run('b', async () => 'b done')).toBe('b done');
    gates[1]!.open();
    await floods[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a0', 'a1', 'a2']);
    for (const g of gates) g.open();
    expect(await Promise.all(floods)).toEqual([0, 1, 2, 3, 4]);
    expect(lanes.waiting('a')).toBe(0);
  });

  it('passes the slot on when a webhook fails', async () => {
    const lanes = new IntakeLanes(1);
    const failing = lanes.run('a', async () => {
      throw new Error('bad webhook');
    });
    const next = lanes.run('a', async () => 'next');
    await expect(failing).rejects.toThrow('bad webhook');
    expect(await next).toBe('next');
  });

  it('by default takes one webhook of a business at a time once a second business is served, four while there is one', async () => {
    let businesses = 1;
    const lanes = new IntakeLanes(() => defaultIntakeConcurrency(businesses));
    const hold = (n: number) => {
      const gates = Array.from({ length: n }, gate);
      const started: number[] = [];
      const runs = gates.map((g, i) => lanes.run('a', async () => {
        started.push(i);
        await g.p;
      }));
      return { started, release: async () => { for (const g of gates) g.open(); await Promise.all(runs); } };
    };
    const alone = hold(6);
    await new Promise((r) => setImmediate(r));
    expect(alone.started).toEqual([0, 1, 2, 3]);
    await alone.release();
    businesses = 2; // an agency added a business while AIOS runs
    const shared = hold(3);
    await new Promise((r) => setImmediate(r));
    expect(shared.started).toEqual([0]);
    await shared.release();
  });
});
