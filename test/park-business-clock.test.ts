import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { z } from 'zod';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { definePlaybook } from '../src/autonomy/engine/define-playbook.js';
import { sendToRun, wakeDueRuns } from '../src/autonomy/engine/run-parking.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';

// A wait until a moment of the business clock parks until that moment, read on the business clock:
// one replay when it comes, not one per wake interval (AIOS_WAKE_EVERY_MS 50 ms here: before, a
// 5-day wait woke, replayed and parked again every 50 ms of real time, every hour in production).
const clock = new ManualClock('2026-12-01T14:00:00Z');
const DAY = 24 * 3_600_000;
const executions = new Map<string, number>();
const waiter = definePlaybook({
  id: 'wait-days-test', version: 1, title: 'Test: wait five days for a message', trigger: { signal: 'wait_days_test' },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(), minutesPerRun: 1,
  async run(ctx, input) {
    executions.set(input.subject, (executions.get(input.subject) ?? 0) + 1);
    const start = await ctx.now('start');
    const msg = await ctx.waitUntil<{ note: string }>('wait', new Date(start.getTime() + 5 * DAY), 'five days', `days:${input.subject}`);
    return { summary: msg ? `message: ${msg.note}` : 'five days passed', resolved: true };
  },
});

const A = { slug: 'clockwait', phone: '+14165550100' };
let h: Harness;
let tenantId: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY }], { clock, extraPlaybooks: [waiter as never], config: { AIOS_PARK_AFTER_MS: '1000', AIOS_WAKE_EVERY_MS: '50' } });
  tenantId = h.aios.tenants.bySlugOrThrow(A.slug).id;
});
afterAll(() => h?.stop());

const run = (id: string) => h.aios.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
async function start(subject: string): Promise<string> {
  const signal = await h.aios.db.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind: 'wait_days_test', subject, dedup_key: `wd:${subject}`, data: '{}' }).returningAll().executeTakeFirstOrThrow();
  const [runId] = await h.aios.host.dispatchSignal(signal);
  return runId!;
}
const parked = (id: string) => eventually(async () => { const r = await run(id); return r.parked_until ? r : undefined; }, 15_000, `run ${id} parked`);
const finished = (id: string) => eventually(async () => { const r = await run(id); return r.status === 'completed' ? r : undefined; }, 15_000, `run ${id} completed`);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a wait until a moment parks on the business clock', () => {
  it('parks once until the moment, stays parked while real time passes, and wakes once when the business clock gets there', async () => {
    const id = await start('a');
    const p = await parked(id);
    expect(p.parked_until!.toISOString()).toBe('2026-12-06T14:00:00.000Z');
    expect(p.parked_on_business_clock).toBe(true);
    expect(p.waiting_for).toBe('five days');
    await pause(1500); // thirty wake intervals, and the waker's pass
    expect((await run(id)).parked_until).not.toBeNull();
    expect(executions.get('a')).toBe(1);

    clock.set('2026-12-04T14:00:00Z'); // three days on: not yet
    await pause(1500);
    expect((await run(id)).status).toBe('waiting');
    expect(executions.get('a')).toBe(1);

    clock.set('2026-12-06T14:00:01Z');
    expect((await finished(id)).summary).toBe('five days passed');
    expect(executions.get('a')).toBe(2);
  });

  it('a message on its topic wakes it before the moment', async () => {
    clock.set('2026-12-07T14:00:00Z');
    const id = await start('b');
    await parked(id);
    await sendToRun(h.aios.db, id, { note: 'paid early' }, 'days:b', 'early-b');
    const r = await finished(id);
    expect(r.summary).toBe('message: paid early');
    expect(r.parked_until).toBeNull();
    expect(executions.get('b')).toBe(2);
  });

  it('the business clock wakes only waits parked on it; a reply wait (a span of real time) waits out its real deadline', async () => {
    clock.set('2026-12-08T14:00:00Z'); // 09:00 in Toronto: the missed-call text goes out at once
    const caller = '+14165550301';
    await h.voice(caller, A.phone);
    const reply = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('signals.subject', '=', caller).executeTakeFirst();
      return r?.parked_until ? r : undefined;
    }, 15_000, 'the reply wait parked');
    expect(reply.parked_on_business_clock).toBe(false);
    const id = await start('c');
    await parked(id);
    // The business clock 30 days on, the system clock now: only the business-clock wait is due.
    expect(await wakeDueRuns(h.aios.db, new Date(), new Date(clock.now().getTime() + 30 * DAY))).toEqual([id]);
    expect((await run(reply.id)).parked_until).not.toBeNull();
    // Its (48 h) deadline on the system clock: due, whatever the business clock says.
    expect(await wakeDueRuns(h.aios.db, new Date(Date.now() + 3 * DAY), new Date(0))).toEqual([reply.id]);
  });
});
