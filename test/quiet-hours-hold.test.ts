import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';

/**
 * The business's clock reads 23:10 in Toronto (quiet hours 21:00–08:00): a missed call is
 * acknowledged at once, but the text is held until 08:00 local — nothing reaches the provider.
 */
const clock = new ManualClock('2026-11-27T04:10:00Z'); // 23:10 EST on 2026-11-26
let h: Harness;
beforeAll(async () => {
  h = await startHarness([{ slug: 'night', phone: '+14165550300', policy: AUTO_POLICY + 'quiet_hours:\n  start: "21:00"\n  end: "08:00"\n' }], { clock });
});
afterAll(() => h?.stop());

describe('quiet hours', () => {
  it('holds the text until morning in the business time zone', async () => {
    const caller = '+14165550301';
    await h.voice(caller, '+14165550300');
    const tid = h.aios.tenants.bySlugOrThrow('night').id;
    const run = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').selectAll().where('tenant_id', '=', tid).executeTakeFirst();
      return r?.waiting_for === 'quiet hours' ? r : undefined;
    }, 10_000, 'run held for quiet hours');
    const steps = (await h.api(h.aios.cliTokens.get('night')!, 'GET', `/api/v1/runs/${encodeURIComponent(run.id)}`)).json.steps;
    const decide = steps.find((s: any) => s.step_id === 'text-back.decide');
    expect(decide.detail).toMatchObject({ outcome: 'auto', holdUntil: '2026-11-27T13:00:00.000Z' }); // 08:00 EST
    // The wait is said in words and local time, not as DBOS's internal `DBOS.sleep 1796759166202`.
    const wait = steps.find((s: any) => s.status === 'waiting');
    expect(wait).toMatchObject({ step_id: 'wait' });
    // 08:00 on the business's clock (the hold parks until that moment of it), in the business's locale (en-CA).
    expect(wait.detail).toBe('waiting for quiet hours to end at 8:00 a.m. tomorrow');
    // No DBOS step names and no epoch milliseconds (standalone: hex ids may hold long digit runs).
    expect(JSON.stringify(steps)).not.toMatch(/DBOS\.|\b1[6-9]\d{11}\b/);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sink.messages).toHaveLength(0);
    const outbox = await h.aios.db.selectFrom('outbox').select('id').where('tenant_id', '=', tid).execute();
    expect(outbox).toHaveLength(0);
  });

  it('a fourth text to the same person on one local day is refused by the daily limit', async () => {
    clock.set('2026-11-27T15:00:00Z'); // 10:00 EST, outside quiet hours
    const tid = h.aios.tenants.bySlugOrThrow('night').id;
    const to = '+14165550302';
    for (let i = 0; i < 3; i++) {
      await h.aios.db.insertInto('outbox').values({ id: `ob_seed${i}`, tenant_id: tid, idempotency_key: `seed:${i}`, kind: 'sms.send', channel: 'sms', recipient: to, payload: '{"from":"+14165550300","body":"earlier"}', status: 'sent', created_at: new Date('2026-11-27T14:00:00Z') }).execute();
    }
    await h.voice(to, '+14165550300');
    const run = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('signals.subject', '=', to).executeTakeFirst();
      return r?.status === 'completed' ? r : undefined;
    }, 10_000, 'refused run');
    expect(run.summary).toMatch(/not texted: .*3 messages today without writing back \(limit 3\)/);
    expect(h.sink.messages.filter((m) => m.to === to)).toHaveLength(0);
  });
});
