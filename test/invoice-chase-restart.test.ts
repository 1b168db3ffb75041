import { describe, it, expect, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTwilioSink } from './support/twilio-sink.js';
import { makeHome, eventually, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { startChild, type ChildAios } from './support/child-aios.js';
import { createTestDatabase } from './support/test-db.js';
import { newId } from '../src/core/ids.js';
import { INVOICE_DUE_SOON, INVOICE_OVERDUE } from '../src/awareness/back-office-signals.js';
import '../src/autonomy/invoices/tables.js';
import '../src/connection/framework/tables.js';

/**
 * The chase across a hard kill: AIOS as a child process on a database the test can also reach.
 * An overdue invoice gets its reminder; AIOS is killed (SIGKILL) while the run waits for the next
 * stage; a second trigger for the same invoice is stored meanwhile. After the restart the run is
 * waiting again, the second trigger's run finds the chase taken, and the customer still has ONE text.
 */
const PHONE = '+14165550100';
const CUSTOMER = '+14165550888';
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const tdb = await createTestDatabase({ migrate: false });
const home = makeHome([{ slug: 'acme', phone: PHONE, policy: AUTO_POLICY }]);
const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url, AIOS_DATABASE_ADMIN_URL: tdb.url, AIOS_WAKE_EVERY_MS: '200' };
let current: ChildAios | undefined;
afterAll(async () => {
  if (current && current.proc.exitCode === null) {
    current.proc.kill('SIGTERM');
    await current.exited;
  }
  await sink.close();
  await tdb.close();
  rmSync(home, { recursive: true, force: true });
});

async function storeSignal(tenantId: string, kind: string, invoiceId: string, dueAt: string): Promise<string> {
  const id = newId('sig');
  await tdb.db.insertInto('signals').values({
    id, tenant_id: tenantId, kind, subject: invoiceId, dedup_key: `${kind}:${invoiceId}`,
    data: JSON.stringify({ invoiceId, number: 'R-1', dueAt, balanceCents: 9900, currency: 'CAD', customerEmail: null, customerName: 'Rita', contactId: null }),
  }).execute();
  return id;
}
const run = (id: string) => tdb.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();

describe('invoice chase across a kill -9', () => {
  it('resumes waiting, sends no second reminder, and a second trigger finds the chase taken', async () => {
    current = await startChild(home, env); // migrates the database
    current.proc.kill('SIGTERM');
    await current.exited;
    const tenant = await tdb.db.selectFrom('tenants').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const contactId = newId('ct');
    await tdb.db.insertInto('contacts').values({ id: contactId, tenant_id: tenant.id, phone: CUSTOMER, name: 'Rita Park' }).execute();
    const invoiceId = newId('inv');
    const dueAt = new Date(Date.now() - 2 * 86_400_000).toISOString(); // two days late: the due-stage reminder goes at once
    await tdb.db.insertInto('invoices').values({ id: invoiceId, tenant_id: tenant.id, contact_id: contactId, number: 'R-1', external_ref: 'R-1', source: 'builtin', status: 'open', currency: 'CAD', amount_cents: 9900, due_at: dueAt }).execute();
    const first = await storeSignal(tenant.id, INVOICE_OVERDUE, invoiceId, dueAt);

    current = await startChild(home, env); // dispatches the stored signal at start
    const runId = `invoice-chase-overdue@1:${first}`;
    await eventually(async () => sink.messages.filter((m) => m.to === CUSTOMER).length === 1, 30_000, 'the reminder');
    await eventually(async () => (await run(runId))?.waiting_for?.includes('the +7 days reminder'), 30_000, 'the run waiting for +7');
    current.proc.kill('SIGKILL');
    await current.exited;

    const second = await storeSignal(tenant.id, INVOICE_DUE_SOON, invoiceId, dueAt);
    current = await startChild(home, env);
    const other = await eventually(async () => { const r = await run(`invoice-chase@1:${second}`); return r?.status === 'completed' && r; }, 30_000, 'the second trigger');
    expect(other.summary).toBe(`no chase: invoice R-1 is already chased by run ${runId} (active)`);
    await eventually(async () => (await run(runId))?.status === 'waiting', 30_000, 'the first run resumed');
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages.filter((m) => m.to === CUSTOMER)).toHaveLength(1);
    const reminders = await tdb.db.selectFrom('invoice_reminders').select(['stage', 'outcome']).where('invoice_id', '=', invoiceId).execute();
    expect(reminders).toEqual([{ stage: 'due', outcome: 'sent' }]);
    current.proc.kill('SIGTERM');
    expect((await current.exited).code).toBe(0);
  }, 180_000);
});
