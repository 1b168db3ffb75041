import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { sql } from 'kysely';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { parkRun, wakeOnMessage, wakeDueRuns } from '../src/autonomy/engine/run-parking.js';
import { replyTopic } from '../src/autonomy/engine/run-context.js';
import { cancelRun } from '../src/autonomy/engine/run-cancel.js';

// Runs that wait for a reply park (AIOS_PARK_AFTER_MS 1 s here); SHORT's reply wait is 4 s, so its
// parked runs wake on their deadline; LONG's waits 48 h.
const LONG = { slug: 'longwait', phone: '+14165550100' };
const SHORT = { slug: 'shortwait', phone: '+14165550200' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness(
    [
      { ...LONG, policy: AUTO_POLICY },
      { ...SHORT, policy: AUTO_POLICY, missedCall: { reply_wait_hours: 4 / 3600 } },
    ],
    { config: { AIOS_PARK_AFTER_MS: '1000' } },
  );
});
afterAll(() => h?.stop());

const runOf = async (caller: string) =>
  h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('signals.subject', '=', caller).where('runs.playbook', '=', 'missed-call-text-back').executeTakeFirst();
const dbosStatus = async (runId: string) => (await DBOS.getWorkflowStatus(runId))?.status;
const parkedRun = (caller: string) =>
  eventually(async () => {
    const r = await runOf(caller);
    return r?.parked_until ? r : undefined;
  }, 15_000, `the run of ${caller} parked`);

describe('parked runs', () => {
  it('a run waiting 48 h for a reply is parked: no live execution, the wait still shown, and the reply wakes it', async () => {
    const caller = '+14165550301';
    await h.voice(caller, LONG.phone);
    const run = await parkedRun(caller);
    expect(run.status).toBe('waiting');
    expect(run.waiting_for).toBe(`reply from ${caller}`);
    expect(run.parked_topic).toBe(replyTopic(caller));
    // About 48 h from now.
    expect(run.parked_until!.getTime() - Date.now()).toBeGreaterThan(47 * 3_600_000);
    expect(await dbosStatus(run.id)).toBe('CANCELLED');

    await h.sms(caller, LONG.phone, 'Yes please, my sink is leaking');
    // The reply woke the run: it opened the deal and answered (then it may wait, and park, again).
    const deal = await eventually(async () => h.aios.db.selectFrom('deals').innerJoin('contacts', 'contacts.id', 'deals.contact_id').select(['deals.stage']).where('contacts.phone', '=', caller).executeTakeFirst(), 15_000, 'the deal opened from the reply');
    expect(deal.stage).toBeTruthy();
    await eventually(async () => h.sink.messages.filter((m) => m.to === caller).length >= 2, 15_000, 'the answer to the reply');
    // Nothing sent twice by the replay.
    const bodies = h.sink.messages.filter((m) => m.to === caller).map((m) => m.body);
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it('a parked run wakes by itself when its wait runs out, and finishes as if it had waited in memory', async () => {
    const caller = '+14165550302';
    await h.voice(caller, SHORT.phone);
    const run = await parkedRun(caller);
    expect(await dbosStatus(run.id)).toBe('CANCELLED');
    const finished = await eventually(async () => {
      const r = await runOf(caller);
      // Woken, it is 'running' for a moment before it finishes.
      return r && ['completed', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    }, 20_000, 'the run finished after its reply wait');
    expect(finished.status).toBe('completed');
    expect(finished.parked_until).toBeNull();
    // DBOS records the workflow's outcome just after its body returns (which marked the run completed).
    expect(await eventually(async () => ((await dbosStatus(run.id)) === 'SUCCESS' ? 'SUCCESS' : undefined), 5_000, 'DBOS to record the outcome')).toBe('SUCCESS');
    expect(h.sink.messages.filter((m) => m.to === caller)).toHaveLength(1);
  });

  it('a message on another topic leaves a parked run parked', async () => {
    const caller = '+14165550303';
    await h.voice(caller, LONG.phone);
    const run = await parkedRun(caller);
    await DBOS.send(run.id, { type: 'x' }, 'some-other-topic');
    expect(await wakeOnMessage(h.aios.db, run.id, 'some-other-topic')).toBe(false);
    expect((await runOf(caller))!.parked_until).not.toBeNull();
    expect(await dbosStatus(run.id)).toBe('CANCELLED');
    // Parking an already parked run is refused (its workflow is not PENDING), and changes nothing.
    expect(await parkRun(h.aios.db, run.id, { until: new Date(Date.now() + 1000), topic: 'x', parkStep: 1_000_000, waitingFor: 'x' })).toBe(false);
    expect((await runOf(caller))!.parked_topic).toBe(replyTopic(caller));
  });

  it('a person cancelling a parked run stops it for good: neither its deadline nor a reply wakes it', async () => {
    const caller = '+14165550304';
    await h.voice(caller, LONG.phone);
    const run = await parkedRun(caller);
    const tenantId = h.aios.tenants.bySlugOrThrow(LONG.slug).id;
    await cancelRun(h.aios.db, tenantId, run.id, 'user:test');
    expect(await wakeDueRuns(h.aios.db, new Date(Date.now() + 72 * 3_600_000))).not.toContain(run.id);
    await h.sms(caller, LONG.phone, 'hello?');
    await new Promise((r) => setTimeout(r, 1500));
    const r = await runOf(caller);
    expect(r!.status).toBe('cancelled');
    expect(await dbosStatus(run.id)).toBe('CANCELLED');
  });

  it('twenty replies racing twenty parks lose no wake-up', async () => {
    const callers = Array.from({ length: 20 }, (_, i) => `+14165551${String(i).padStart(3, '0')}`);
    await Promise.all(callers.map((c) => h.voice(c, LONG.phone)));
    // Reply as soon as each caller is texted: the reply lands while its run is parking or parked.
    await Promise.all(
      callers.map(async (c) => {
        await eventually(async () => h.sink.messages.some((m) => m.to === c), 20_000, `text to ${c}`);
        const res = await h.sms(c, LONG.phone, 'Can you come Friday morning?'); // not "yes": an opt-in keyword
        expect(res.status, await res.text()).toBe(200);
      }),
    );
    // Every caller was answered after the reply (a second text), none twice the same.
    await eventually(async () => callers.every((c) => h.sink.messages.filter((m) => m.to === c).length >= 2), 30_000, 'every reply answered').catch(async (e) => {
      const rows = await Promise.all(callers.map(runOf));
      const all = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').select(['signals.subject', 'runs.playbook', 'runs.status', 'runs.waiting_for']).where('signals.subject', 'in', callers).execute();
      console.log(JSON.stringify(all.filter((r) => r.playbook !== 'missed-call-text-back')));
      const notes = await sql<{ destination_uuid: string; topic: string; consumed: boolean }>`select destination_uuid, topic, consumed from dbos.notifications`.execute(h.aios.db);
      console.log(JSON.stringify(notes.rows.slice(0, 5)), notes.rows.length);
      console.log(callers.map((c, i) => `${c} sms=${h.sink.messages.filter((m) => m.to === c).length} ${rows[i]?.status} ${rows[i]?.waiting_for} parked=${rows[i]?.parked_until?.toISOString()}`).join('\n'));
      throw e;
    });
  });
});
