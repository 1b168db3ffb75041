import { sendToRun } from '../engine/run-parking.js';
import type { Db } from '../../store/db.js';
import { readInvoiceState, settledReason } from './chase-store.js';
import './tables.js';

/** The DBOS topic on which an invoice's chase run hears that the invoice was paid or voided. */
export function invoiceTopic(invoiceId: string): string {
  return `invoice:${invoiceId}`;
}

/** A message to a chase run: the invoice changed (the run re-reads it and decides). */
export interface InvoiceMessage {
  type: 'paid' | 'void' | 'changed';
  /** Which path noticed: `stripe`, `csv`, `owner`. */
  via: string;
}

/**
 * Tells the chase runs of these invoices (or of every actively chased invoice of the tenant, when
 * `invoiceIds` is omitted) that are now paid or void. Idempotent per invoice and outcome: a
 * repeated call sends nothing new. Called by the server after a Stripe event, a CSV import or the
 * owner marking an invoice paid — the run also re-reads the invoice before every reminder, so a
 * lost message cannot cause a reminder for a paid invoice.
 * @returns the invoice ids whose runs were told.
 */
export async function notifySettledInvoices(db: Db, tenantId: string, via: string, invoiceIds?: string[]): Promise<string[]> {
  if (invoiceIds && invoiceIds.length === 0) return [];
  let q = db.selectFrom('invoice_chases').select(['invoice_id', 'run_id']).where('tenant_id', '=', tenantId).where('status', '=', 'active');
  if (invoiceIds) q = q.where('invoice_id', 'in', invoiceIds);
  const told: string[] = [];
  for (const c of await q.execute()) {
    const s = await readInvoiceState(db, tenantId, c.invoice_id);
    const settled = s ? settledReason(s) : null;
    if (!settled) continue;
    await sendToRun(db, c.run_id, { type: settled, via } satisfies InvoiceMessage, invoiceTopic(c.invoice_id), `invoice-message:${c.invoice_id}:${settled}`);
    told.push(c.invoice_id);
  }
  return told;
}
