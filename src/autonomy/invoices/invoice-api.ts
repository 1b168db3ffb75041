import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { notifySettledInvoices } from './invoice-messages.js';
import type { ChaseStatus } from './tables.js';
import './tables.js';
import '../../connection/framework/tables.js';

/** One invoice as `GET /api/v1/invoices` lists it, with its chase. */
export interface InvoiceListItem {
  id: string;
  number: string | null;
  source: string;
  status: string;
  currency: string;
  amountCents: number;
  paidCents: number;
  balanceCents: number;
  dueAt: string | null;
  customerName: string | null;
  customerEmail: string | null;
  chase: { status: ChaseStatus; runId: string; reminders: number; lastReminderAt: string | null } | null;
}

/** Invoices of a tenant, unpaid first then by due date (at most `limit`); `status` filters (`unpaid` = open + overdue). */
export async function listInvoices(db: Db, tenantId: string, opts: { status?: string; limit?: number } = {}): Promise<InvoiceListItem[]> {
  let q = db
    .selectFrom('invoices as i')
    .leftJoin('invoice_chases as c', 'c.invoice_id', 'i.id')
    .select(['i.id', 'i.number', 'i.source', 'i.status', 'i.currency', 'i.amount_cents', 'i.amount_paid_cents', 'i.due_at', 'i.customer_name', 'i.customer_email', 'c.status as chase_status', 'c.run_id as chase_run'])
    .select(sql<string>`coalesce((select sum(p.amount_cents) from payments p where p.invoice_id = i.id), 0)`.as('payments_cents'))
    .select(sql<string>`(select count(*) from invoice_reminders r where r.invoice_id = i.id and r.outcome = 'sent')`.as('reminders'))
    .select(sql<Date | null>`(select max(r.at) from invoice_reminders r where r.invoice_id = i.id and r.outcome = 'sent')`.as('last_reminder'))
    .where('i.tenant_id', '=', tenantId);
  if (opts.status === 'unpaid') q = q.where('i.status', 'in', ['open', 'overdue']);
  else if (opts.status) q = q.where('i.status', '=', opts.status as never);
  const rows = await q.orderBy(sql`i.status in ('open', 'overdue')`, 'desc').orderBy('i.due_at', 'asc').limit(Math.min(opts.limit ?? 100, 500)).execute();
  return rows.map((r) => {
    const amount = Number(r.amount_cents);
    const paid = Math.max(Number(r.amount_paid_cents), Number(r.payments_cents));
    return {
      id: r.id, number: r.number, source: r.source, status: r.status, currency: r.currency, amountCents: amount, paidCents: paid, balanceCents: amount - paid,
      dueAt: r.due_at ? new Date(r.due_at).toISOString() : null, customerName: r.customer_name, customerEmail: r.customer_email,
      chase: r.chase_status && r.chase_run ? { status: r.chase_status, runId: r.chase_run, reminders: Number(r.reminders), lastReminderAt: r.last_reminder ? new Date(r.last_reminder).toISOString() : null } : null,
    };
  });
}

/**
 * The owner says an invoice is paid (cash, cheque, a transfer AIOS cannot see): status `paid`,
 * amount paid = amount, `paid_at` = now; then its chase run is told (it stops and writes the
 * ledger). Marking a paid invoice again changes nothing.
 * @throws NotFoundError for an unknown invoice; ConflictError for a void one.
 * @returns the invoice id and whether a chase run was told.
 */
export async function markInvoicePaid(db: Db, tenantId: string, invoiceId: string, now: Date): Promise<{ invoiceId: string; status: 'paid'; chaseStopped: boolean; alreadyPaid: boolean }> {
  const inv = await db.selectFrom('invoices').select(['id', 'status']).where('tenant_id', '=', tenantId).where('id', '=', invoiceId).executeTakeFirst();
  if (!inv) throw new NotFoundError('invoice', invoiceId);
  if (inv.status === 'void' || inv.status === 'uncollectible') throw new ConflictError(`invoice ${invoiceId} is ${inv.status}`, 'A void invoice cannot be paid; list invoices with `aios invoices`.');
  const alreadyPaid = inv.status === 'paid';
  if (!alreadyPaid) {
    await db.updateTable('invoices').set({ status: 'paid', amount_paid_cents: sql`amount_cents`, paid_at: now, updated_at: now }).where('id', '=', invoiceId).where('tenant_id', '=', tenantId).execute();
  }
  const told = await notifySettledInvoices(db, tenantId, 'owner', [invoiceId]);
  return { invoiceId, status: 'paid', chaseStopped: told.length > 0, alreadyPaid };
}
