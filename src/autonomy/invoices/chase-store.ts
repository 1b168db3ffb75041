import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import type { ChaseStage, ChaseStatus } from './tables.js';
import './tables.js';
import '../../connection/framework/tables.js';

/** An invoice as a chase sees it, re-read before every reminder. */
export interface InvoiceState {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  amountCents: number;
  /** Paid so far: the larger of the invoice's `amount_paid_cents` and the sum of its payments. */
  paidCents: number;
  /** Still owed (amount − paid), in cents. */
  balanceCents: number;
  /** ISO 8601, or null. */
  dueAt: string | null;
  email: string | null;
  name: string | null;
  /** The contact's phone (for an SMS when there is no email). */
  phone: string | null;
  contactId: string | null;
  paymentUrl: string | null;
}

/** Reads one invoice of a tenant with what has been paid on it; null when there is no such invoice. */
export async function readInvoiceState(db: Db, tenantId: string, invoiceId: string): Promise<InvoiceState | null> {
  const r = await db
    .selectFrom('invoices as i')
    .leftJoin('contacts as c', 'c.id', 'i.contact_id')
    .select(['i.id', 'i.number', 'i.status', 'i.currency', 'i.amount_cents', 'i.amount_paid_cents', 'i.due_at', 'i.customer_email', 'i.customer_name', 'i.contact_id', 'i.payment_url', 'c.email as contact_email', 'c.phone as contact_phone', 'c.name as contact_name'])
    .select(sql<string>`coalesce((select sum(p.amount_cents) from payments p where p.invoice_id = i.id), 0)`.as('payments_cents'))
    .where('i.tenant_id', '=', tenantId)
    .where('i.id', '=', invoiceId)
    .executeTakeFirst();
  if (!r) return null;
  const amount = Number(r.amount_cents);
  const paid = Math.max(Number(r.amount_paid_cents), Number(r.payments_cents));
  return {
    id: r.id, number: r.number, status: r.status, currency: r.currency, amountCents: amount, paidCents: paid, balanceCents: amount - paid,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    email: r.customer_email ?? r.contact_email ?? null, name: r.customer_name ?? r.contact_name ?? null, phone: r.contact_phone ?? null,
    contactId: r.contact_id, paymentUrl: r.payment_url,
  };
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Why an invoice cannot be chased (bad input), or null. Paid / void invoices are not "bad": see {@link settledReason}. */
export function invoiceProblem(s: InvoiceState): string | null {
  if (!s.dueAt) return 'the invoice has no due date';
  if (!/^[A-Z]{3}$/.test(s.currency) || !CURRENCIES.has(s.currency)) return `unknown currency "${s.currency}"`;
  if (s.status === 'draft') return 'the invoice is a draft (not sent to the customer)';
  if (s.amountCents <= 0) return `the invoice amount is ${s.amountCents} cents (nothing to collect)`;
  if (s.balanceCents <= 0 && s.status !== 'paid') return `the balance is ${s.balanceCents} cents (nothing owed)`;
  return null;
}

/** `paid` / `void` when the invoice no longer needs chasing, else null. A balance of zero or less counts as paid. */
export function settledReason(s: InvoiceState): 'paid' | 'void' | null {
  if (s.status === 'void' || s.status === 'uncollectible') return 'void';
  if (s.status === 'paid' || s.balanceCents <= 0) return 'paid';
  return null;
}

/**
 * Claims the invoice's one chase for `runId` (idempotent for the same run). Another run that
 * already claimed it, at any time, wins: one chase per invoice, ever.
 */
export async function claimChase(db: Db, tenantId: string, invoiceId: string, runId: string, balanceCents: number, now: Date): Promise<{ owner: true } | { owner: false; runId: string; status: ChaseStatus }> {
  await db
    .insertInto('invoice_chases')
    .values({ invoice_id: invoiceId, tenant_id: tenantId, run_id: runId, balance_cents_at_start: balanceCents, started_at: now })
    .onConflict((oc) => oc.column('invoice_id').doNothing())
    .execute();
  const row = await db.selectFrom('invoice_chases').select(['run_id', 'status']).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return row.run_id === runId ? { owner: true } : { owner: false, runId: row.run_id, status: row.status };
}

/** Outcomes of a reminder that did not reach the customer: they do not count toward the 48 h cap. */
const NOT_SENT = ['refused', 'rejected', 'expired', 'failed', 'cancelled', 'no_channel'];

/** What {@link reserveReminder} decided. */
export type Reservation = { ok: true; reminderId: string } | { ok: false; notBefore: string; lastStage: ChaseStage };

/**
 * Records that a reminder for `stage` is about to be proposed, unless one was recorded for the
 * invoice less than `capHours` ago (then `notBefore` says when the next may go). One transaction
 * holding the chase row's lock, so two runs or a replay cannot both pass the check; the same run
 * and stage again returns its existing row.
 */
export async function reserveReminder(
  db: Db,
  r: { tenantId: string; invoiceId: string; runId: string; stage: ChaseStage; channel: 'email' | 'sms' | 'owner_call'; recipient: string | null; now: Date; capHours: number },
): Promise<Reservation> {
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom('invoice_chases').select('invoice_id').where('invoice_id', '=', r.invoiceId).forUpdate().executeTakeFirst();
    const mine = await tx.selectFrom('invoice_reminders').select(['id', 'run_id']).where('invoice_id', '=', r.invoiceId).where('stage', '=', r.stage).executeTakeFirst();
    if (mine && mine.run_id === r.runId) return { ok: true as const, reminderId: mine.id };
    const last = await tx
      .selectFrom('invoice_reminders')
      .select(['at', 'stage'])
      .where('invoice_id', '=', r.invoiceId)
      .where('channel', '<>', 'owner_call')
      .where((eb) => eb.or([eb('outcome', 'is', null), eb('outcome', 'not in', NOT_SENT)]))
      .orderBy('at', 'desc')
      .executeTakeFirst();
    const capMs = r.capHours * 3_600_000;
    if (r.channel !== 'owner_call' && last && new Date(last.at).getTime() + capMs > r.now.getTime()) {
      return { ok: false as const, notBefore: new Date(new Date(last.at).getTime() + capMs).toISOString(), lastStage: last.stage };
    }
    if (mine) return { ok: false as const, notBefore: new Date(r.now.getTime() + capMs).toISOString(), lastStage: r.stage };
    const id = newId('irm');
    await tx.insertInto('invoice_reminders').values({ id, tenant_id: r.tenantId, invoice_id: r.invoiceId, run_id: r.runId, stage: r.stage, channel: r.channel, recipient: r.recipient, at: r.now }).execute();
    return { ok: true as const, reminderId: id };
  });
}

/** Writes how a reminder's proposal ended (`sent`, `awaiting`, `refused`, …). */
export async function setReminderOutcome(db: Db, reminderId: string, outcome: string): Promise<void> {
  await db.updateTable('invoice_reminders').set({ outcome }).where('id', '=', reminderId).execute();
}

/** Reminders of an invoice that reached (or were queued for) the customer. */
export async function sentReminderCount(db: Db, invoiceId: string): Promise<number> {
  const r = await db.selectFrom('invoice_reminders').select((eb) => eb.fn.countAll<string>().as('n')).where('invoice_id', '=', invoiceId).where('channel', '<>', 'owner_call').where('outcome', '=', 'sent').executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Ends the invoice's chase (only while active). */
export async function endChase(db: Db, invoiceId: string, status: Exclude<ChaseStatus, 'active'>, reason: string, now: Date): Promise<void> {
  await db.updateTable('invoice_chases').set({ status, reason, ended_at: now }).where('invoice_id', '=', invoiceId).where('status', '=', 'active').execute();
}
