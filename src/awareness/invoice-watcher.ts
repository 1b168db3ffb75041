import { sql } from 'kysely';
import type { Signal } from '../store/schema.js';
import { INVOICE_DUE_SOON, INVOICE_OVERDUE, type InvoiceSignalData } from './back-office-signals.js';
import { storeSignal, liveSignals, resolveSignals, localDate, daysBetweenDates, knownDedupKeys } from './signal-store.js';
import type { Watcher, WatchContext } from './watcher.js';

interface InvoiceRow { id: string; number: string | null; due_at: Date; balance: string; currency: string; customer_email: string | null; customer_name: string | null; contact_id: string | null }

/**
 * `invoice_due_soon` and `invoice_overdue`: invoices of the tenant that are `open` or `overdue`
 * with a balance (amount − paid) above zero and a due date. Days are the business's local dates:
 * an invoice due today is due (not overdue); from the next local day on it is overdue. Due soon:
 * due within `watchers.invoice_due_soon_days` days and not yet overdue (after downtime an invoice
 * already past due raises only `invoice_overdue`). Invoices without a due date or with nothing
 * owed are left out (nothing to chase). Both resolve when the invoice is paid, void, uncollectible
 * or has nothing left owed.
 */
export const invoiceWatcher: Watcher = {
  id: 'invoices',
  kinds: [INVOICE_DUE_SOON, INVOICE_OVERDUE],
  async raise(c: WatchContext): Promise<Signal[]> {
    const today = localDate(c.now, c.tenant.timeZone);
    const rows = await sql<InvoiceRow>`
      select id, number, due_at, (amount_cents - amount_paid_cents)::text as balance, currency, customer_email, customer_name, contact_id
      from invoices
      where tenant_id = ${c.tenant.id} and status in ('open', 'overdue') and amount_cents > amount_paid_cents and due_at is not null
        and due_at <= ${new Date(c.now.getTime() + (c.settings.invoice_due_soon_days + 1) * 86_400_000)}
      order by due_at`.execute(c.db);
    const out: Signal[] = [];
    const known = await knownDedupKeys(c.db, c.tenant.id, this.kinds);
    for (const r of rows.rows) {
      const daysLeft = daysBetweenDates(today, localDate(new Date(r.due_at), c.tenant.timeZone));
      const kind = daysLeft < 0 ? INVOICE_OVERDUE : daysLeft <= c.settings.invoice_due_soon_days ? INVOICE_DUE_SOON : null;
      if (!kind || known.has(`${kind}:${r.id}`)) continue;
      const data: InvoiceSignalData = { invoiceId: r.id, number: r.number, dueAt: new Date(r.due_at).toISOString(), balanceCents: Number(r.balance), currency: r.currency, customerEmail: r.customer_email, customerName: r.customer_name, contactId: r.contact_id };
      const s = await storeSignal(c.db, { tenantId: c.tenant.id, kind, subject: r.id, dedupKey: `${kind}:${r.id}`, data, severity: kind === INVOICE_OVERDUE ? 'high' : 'normal' }, c.now);
      if (s) out.push(s);
    }
    return out;
  },
  async resolve(c: WatchContext): Promise<number> {
    const live = await liveSignals(c.db, c.tenant.id, this.kinds);
    if (live.length === 0) return 0;
    const ids = live.map((s) => (s.data as unknown as InvoiceSignalData).invoiceId);
    const owing = new Set(
      (await sql<{ id: string }>`select id from invoices where tenant_id = ${c.tenant.id} and id in (${sql.join(ids)}) and status in ('open', 'overdue', 'draft') and amount_cents > amount_paid_cents`.execute(c.db)).rows.map((r) => r.id),
    );
    return resolveSignals(c.db, c.tenant.id, live.filter((s) => !owing.has((s.data as unknown as InvoiceSignalData).invoiceId)).map((s) => s.id), c.now, 'the invoice is paid, void or settled');
  },
};
