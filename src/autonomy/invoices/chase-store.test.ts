import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { newId } from '../../core/ids.js';
import { claimChase, reserveReminder, readInvoiceState, invoiceProblem, settledReason, setReminderOutcome } from './chase-store.js';
import './tables.js';

const t = await createTestDatabase({ migrate: true });
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'chaseco', '+14165550300');

async function invoice(over: Record<string, unknown> = {}): Promise<string> {
  const id = newId('inv');
  await t.db.insertInto('invoices').values({ id, tenant_id: tid, number: id.slice(-6), external_ref: id, source: 'builtin', status: 'open', currency: 'CAD', amount_cents: 10000, due_at: '2026-12-10T17:00:00Z', customer_email: 'x@customer.example', ...over } as never).execute();
  return id;
}
const at = (iso: string) => new Date(iso);
const reserve = (invoiceId: string, runId: string, stage: 'before' | 'due' | 'plus7', now: string) =>
  reserveReminder(t.db, { tenantId: tid, invoiceId, runId, stage, channel: 'email', recipient: 'x@customer.example', now: at(now), capHours: 48 });

describe('one chase per invoice, ever', () => {
  it('the first run to claim owns it; a second run (any time later) does not', async () => {
    const id = await invoice();
    expect(await claimChase(t.db, tid, id, 'run-1', 10000, at('2026-12-01T00:00:00Z'))).toEqual({ owner: true });
    expect(await claimChase(t.db, tid, id, 'run-1', 10000, at('2026-12-01T00:00:00Z'))).toEqual({ owner: true });
    expect(await claimChase(t.db, tid, id, 'run-2', 10000, at('2026-12-20T00:00:00Z'))).toEqual({ owner: false, runId: 'run-1', status: 'active' });
  });
});

describe('the 48 h cap in invoice_reminders', () => {
  it('two reservations racing for one invoice: exactly one passes; a replay of the winner gets its own row back', async () => {
    const id = await invoice();
    await claimChase(t.db, tid, id, 'run-a', 10000, at('2026-12-01T00:00:00Z'));
    const [x, y] = await Promise.all([reserve(id, 'run-a', 'before', '2026-12-09T14:00:00Z'), reserve(id, 'run-b', 'due', '2026-12-09T14:00:01Z')]);
    expect([x.ok, y.ok].filter(Boolean)).toHaveLength(1);
    const winner = x.ok ? x : y;
    const again = x.ok ? await reserve(id, 'run-a', 'before', '2026-12-09T14:05:00Z') : await reserve(id, 'run-b', 'due', '2026-12-09T14:05:00Z');
    expect(again).toEqual(winner);
    const loser = (x.ok ? y : x) as { ok: false; notBefore: string };
    expect(loser.notBefore).toMatch(/^2026-12-11T14:00:0[01]\.000Z$/);
    expect(await t.db.selectFrom('invoice_reminders').select('stage').where('invoice_id', '=', id).execute()).toHaveLength(1);
  });
  it('the next reminder passes 48 h later; one that was not sent (refused) does not count', async () => {
    const id = await invoice();
    await claimChase(t.db, tid, id, 'run-c', 10000, at('2026-12-01T00:00:00Z'));
    const first = await reserve(id, 'run-c', 'before', '2026-12-09T14:00:00Z');
    expect(first.ok).toBe(true);
    expect((await reserve(id, 'run-c', 'due', '2026-12-11T13:59:59Z')).ok).toBe(false);
    const due = await reserve(id, 'run-c', 'due', '2026-12-11T14:00:00Z');
    expect(due.ok).toBe(true);
    if (due.ok) await setReminderOutcome(t.db, due.reminderId, 'refused');
    expect((await reserve(id, 'run-c', 'plus7', '2026-12-11T15:00:00Z')).ok).toBe(true);
  });
});

describe('invoice state', () => {
  it('payments count toward what is paid; bad input is named', async () => {
    const id = await invoice();
    await t.db.insertInto('payments').values({ id: newId('pay'), tenant_id: tid, invoice_id: id, external_ref: `pi_${id}`, amount_cents: 10000, currency: 'CAD', paid_at: '2026-12-12T00:00:00Z', source: 'stripe' }).execute();
    const s = (await readInvoiceState(t.db, tid, id))!;
    expect(s.balanceCents).toBe(0);
    expect(settledReason(s)).toBe('paid');
    expect(invoiceProblem((await readInvoiceState(t.db, tid, await invoice({ amount_cents: -500 })))!)).toBe('the invoice amount is -500 cents (nothing to collect)');
    expect(invoiceProblem((await readInvoiceState(t.db, tid, await invoice({ due_at: null })))!)).toBe('the invoice has no due date');
    expect(settledReason((await readInvoiceState(t.db, tid, await invoice({ status: 'void' })))!)).toBe('void');
  });
});
