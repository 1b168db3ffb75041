import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { newId } from '../../core/ids.js';
import type { InvoiceRowIn } from './rows.js';
import type { BatchCounts } from './write-contacts.js';
import '../framework/tables.js';

/**
 * Upserts one batch of invoice rows in one transaction, keyed by (tenant, `csv`, invoice number):
 * a re-import updates status, amounts and dates instead of adding a row. Rows of the same batch
 * with the same number are merged (the last wins). Invoices are linked to the contact with the
 * customer's email when there is one. With `dryRun` nothing is written.
 */
export async function writeInvoiceBatch(db: Db, tenantId: string, rows: InvoiceRowIn[], opts: { dryRun: boolean; currency: string }): Promise<BatchCounts> {
  const counts: BatchCounts = { imported: 0, updated: 0 };
  if (rows.length === 0) return counts;
  const byNumber = new Map<string, InvoiceRowIn>();
  for (const r of rows) {
    if (byNumber.has(r.number)) counts.updated++;
    byNumber.set(r.number, r);
  }
  const unique = [...byNumber.values()];
  if (opts.dryRun) {
    const have = await db.selectFrom('invoices').select('external_ref').where('tenant_id', '=', tenantId).where('source', '=', 'csv').where('external_ref', 'in', [...byNumber.keys()]).execute();
    counts.updated += have.length;
    counts.imported += unique.length - have.length;
    return counts;
  }
  await db.transaction().execute(async (tx) => {
    const emails = [...new Set(unique.flatMap((r) => (r.customerEmail ? [r.customerEmail] : [])))];
    const contacts = emails.length
      ? await tx.selectFrom('contacts').select(['id', sql<string>`lower(email)`.as('email')]).where('tenant_id', '=', tenantId).where(sql<string>`lower(email)`, 'in', emails).execute()
      : [];
    const contactBy = new Map(contacts.map((c) => [c.email, c.id]));
    const res = await tx
      .insertInto('invoices')
      .values(
        unique.map((r) => ({
          id: newId('inv'),
          tenant_id: tenantId,
          contact_id: (r.customerEmail && contactBy.get(r.customerEmail)) || null,
          number: r.number,
          external_ref: r.number,
          source: 'csv' as const,
          status: r.status,
          currency: r.currency ?? opts.currency,
          amount_cents: r.amountCents,
          amount_paid_cents: r.amountPaidCents,
          due_at: r.dueAt,
          issued_at: r.issuedAt,
          paid_at: null,
          customer_email: r.customerEmail,
          customer_name: r.customerName,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'source', 'external_ref']).doUpdateSet({
          contact_id: sql`coalesce(excluded.contact_id, invoices.contact_id)`,
          status: sql`excluded.status`,
          currency: sql`excluded.currency`,
          amount_cents: sql`excluded.amount_cents`,
          amount_paid_cents: sql`excluded.amount_paid_cents`,
          due_at: sql`excluded.due_at`,
          issued_at: sql`excluded.issued_at`,
          customer_email: sql`coalesce(excluded.customer_email, invoices.customer_email)`,
          customer_name: sql`coalesce(excluded.customer_name, invoices.customer_name)`,
          updated_at: sql`now()`,
        }),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    for (const r of res) (r.inserted ? counts.imported++ : counts.updated++);
  });
  return counts;
}
