import { sql, type Kysely } from 'kysely';

/**
 * Invoice chasing (issue 10).
 * - `invoice_chases`: at most one chase per invoice, ever (primary key = invoice id). The run that
 *   claims it first owns it; `status` active → paid | void | stopped | finished | skipped.
 *   `balance_cents_at_start`: what was owed when the chase began (for "recovered").
 * - `invoice_reminders`: one row per reminder AIOS decided to send (stage unique per invoice), with
 *   its business-clock time `at`. The 48 h cap is checked against these rows, under a lock on the
 *   chase row, in the same step that records the reminder: a restart or a second run cannot
 *   send two reminders for one invoice within 48 h. `outcome` is filled in after the proposal
 *   (sent, awaiting approval, refused, rejected…); rows whose proposal did not go out
 *   (`refused`, `rejected`, `expired`, `failed`, `no_channel`) do not count toward the cap.
 * - `invoices.payment_url`: the payment page of the invoice (Stripe `hosted_invoice_url`), quoted
 *   in reminders from the record, never from a model.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table invoice_chases (
  invoice_id text primary key references invoices(id),
  tenant_id text not null references tenants(id),
  run_id text not null,
  status text not null default 'active' check (status in ('active', 'paid', 'void', 'stopped', 'finished', 'skipped')),
  balance_cents_at_start bigint not null,
  reason text,
  started_at timestamptz not null,
  ended_at timestamptz
);
create index invoice_chases_tenant on invoice_chases(tenant_id, status);

create table invoice_reminders (
  id text primary key,
  tenant_id text not null references tenants(id),
  invoice_id text not null references invoices(id),
  run_id text not null,
  stage text not null check (stage in ('before', 'due', 'plus7', 'plus14', 'call')),
  channel text not null check (channel in ('email', 'sms', 'owner_call')),
  recipient text,
  at timestamptz not null,
  outcome text,
  unique (invoice_id, stage)
);
create index invoice_reminders_invoice on invoice_reminders(invoice_id, at desc);

alter table invoices add column payment_url text;
`.execute(db);
}

/** Forward-only: AIOS never migrates down. */
export async function down(): Promise<void> {
  throw new Error('0017-invoice-chase cannot be reverted');
}
