import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import { InputError } from '../../core/errors.js';
import type { InvoiceStatus } from '../framework/tables.js';
import '../framework/tables.js';

/** Stripe event types that update `invoices` / `payments`; others are stored as events only. */
export const STRIPE_RECORD_EVENTS = ['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_failed', 'invoice.overdue', 'invoice.voided', 'invoice.marked_uncollectible', 'payment_intent.succeeded'] as const;

/** The envelope of every Stripe event. */
export const stripeEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEvent = z.infer<typeof stripeEventSchema>;

const unix = z.number().int().nullish();
const invoiceSchema = z.object({
  id: z.string().min(1),
  number: z.string().nullish(),
  status: z.enum(['draft', 'open', 'paid', 'void', 'uncollectible']).nullish(),
  currency: z.string().length(3),
  total: z.number().int().nullish(),
  amount_due: z.number().int(),
  amount_paid: z.number().int().nullish(),
  due_date: unix,
  created: unix,
  customer_email: z.string().nullish(),
  customer_name: z.string().nullish(),
  hosted_invoice_url: z.string().url().max(2000).nullish(),
  status_transitions: z.object({ finalized_at: unix, paid_at: unix }).partial().nullish(),
});
const paymentIntentSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  amount_received: z.number().int().nullish(),
  currency: z.string().length(3),
  created: z.number().int(),
  invoice: z.union([z.string(), z.object({ id: z.string() })]).nullish(),
});

const date = (s: number | null | undefined) => (s == null ? null : new Date(s * 1000));

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(`Stripe ${what}: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`, { fix: 'The event was quarantined; check the Stripe API version of the endpoint.' });
  }
  return r.data;
}

/**
 * Applies a stored Stripe event to the records: `invoice.*` upserts the invoice (by tenant,
 * `stripe`, invoice id; amounts in cents, currency upper-cased; an older event never overwrites a
 * newer one), `payment_intent.succeeded` inserts the payment (linked to its invoice when known).
 * Other types change nothing. Throws InputError when the object lacks required fields.
 */
export async function applyStripeEvent(db: Db, tenantId: string, event: StripeEvent): Promise<'invoice' | 'payment' | 'ignored'> {
  const obj = event.data.object;
  const at = new Date(event.created * 1000);
  if (event.type.startsWith('invoice.') && (STRIPE_RECORD_EVENTS as readonly string[]).includes(event.type)) {
    const inv = parse(invoiceSchema, obj, 'invoice');
    const status: InvoiceStatus = event.type === 'invoice.overdue' ? 'overdue' : event.type === 'invoice.paid' ? 'paid' : event.type === 'invoice.voided' ? 'void' : event.type === 'invoice.marked_uncollectible' ? 'uncollectible' : (inv.status ?? 'open');
    const email = inv.customer_email?.trim().toLowerCase() || null;
    const contact = email
      ? await db.selectFrom('contacts').select('id').where('tenant_id', '=', tenantId).where(sql<string>`lower(email)`, '=', email).orderBy('created_at').executeTakeFirst()
      : undefined;
    const values = {
      contact_id: contact?.id ?? null,
      number: inv.number ?? null,
      status,
      currency: inv.currency.toUpperCase(),
      amount_cents: inv.total ?? inv.amount_due,
      amount_paid_cents: inv.amount_paid ?? (status === 'paid' ? inv.amount_due : 0),
      due_at: date(inv.due_date),
      issued_at: date(inv.status_transitions?.finalized_at ?? inv.created),
      paid_at: date(inv.status_transitions?.paid_at) ?? (status === 'paid' ? at : null),
      customer_email: email,
      customer_name: inv.customer_name ?? null,
      payment_url: inv.hosted_invoice_url?.startsWith('https://') ? inv.hosted_invoice_url : null,
      updated_at: at,
    };
    await db
      .insertInto('invoices')
      .values({ id: newId('inv'), tenant_id: tenantId, source: 'stripe', external_ref: inv.id, ...values })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'source', 'external_ref'])
          .doUpdateSet({ ...values, contact_id: sql`coalesce(excluded.contact_id, invoices.contact_id)` })
          .where('invoices.updated_at', '<=', at),
      )
      .execute();
    return 'invoice';
  }
  if (event.type === 'payment_intent.succeeded') {
    const pi = parse(paymentIntentSchema, obj, 'payment_intent');
    const invRef = typeof pi.invoice === 'string' ? pi.invoice : (pi.invoice?.id ?? null);
    const invoice = invRef
      ? await db.selectFrom('invoices').select('id').where('tenant_id', '=', tenantId).where('source', '=', 'stripe').where('external_ref', '=', invRef).executeTakeFirst()
      : undefined;
    await db
      .insertInto('payments')
      .values({ id: newId('pay'), tenant_id: tenantId, invoice_id: invoice?.id ?? null, external_ref: pi.id, amount_cents: pi.amount_received ?? pi.amount, currency: pi.currency.toUpperCase(), paid_at: new Date(pi.created * 1000), source: 'stripe' })
      .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_ref']).doNothing())
      .execute();
    return 'payment';
  }
  return 'ignored';
}
