import type { Db } from '../store/db.js';
import type { StripeEvent } from '../connection/stripe/process-event.js';
import { notifySettledInvoices } from '../autonomy/invoices/invoice-messages.js';
import '../connection/framework/tables.js';

/**
 * After a Stripe event changed the records (`invoice.paid`, `invoice.voided`,
 * `payment_intent.succeeded`, …): the chase run of the invoice it concerns is told when the
 * invoice is now paid or void. The invoice is found by its Stripe id (`data.object.id` of an
 * invoice event, `data.object.invoice` of a payment intent). Connection code stays unaware of
 * playbooks: the server passes this as the webhook's `onApplied`.
 */
export async function afterStripeEvent(db: Db, tenantId: string, event: StripeEvent): Promise<string[]> {
  const obj = event.data.object;
  const ref = event.type.startsWith('invoice.') ? obj.id : typeof obj.invoice === 'string' ? obj.invoice : (obj.invoice as { id?: unknown } | null | undefined)?.id;
  if (typeof ref !== 'string' || !ref) return [];
  const inv = await db.selectFrom('invoices').select('id').where('tenant_id', '=', tenantId).where('source', '=', 'stripe').where('external_ref', '=', ref).executeTakeFirst();
  return inv ? notifySettledInvoices(db, tenantId, 'stripe', [inv.id]) : [];
}

/** After a CSV import of invoices: every chased invoice of the tenant that the import marked paid or void is told. */
export async function afterInvoiceImport(db: Db, tenantId: string): Promise<string[]> {
  return notifySettledInvoices(db, tenantId, 'csv');
}
