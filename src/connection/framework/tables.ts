import type { ColumnType, Selectable } from 'kysely';

/**
 * Table types of migration 0003-connections, added to Kysely's `Database` by module augmentation
 * (so `src/store/schema.ts` stays owned by the backbone). Import this module (even `import type`)
 * anywhere these tables are queried.
 */

type Ts = ColumnType<Date, Date | string | undefined, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint columns come back from pg as strings; convert with Number() at the edge. */
type BigNum = ColumnType<string, number | bigint | string, number | bigint | string>;
type BigNumDefault = ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
type IntDefault = ColumnType<number, number | undefined, number>;

/** Health of a connection: `auth_failed` stops polling until the credentials change. */
export type ConnectionStatus = 'ok' | 'error' | 'auth_failed' | 'disabled';

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  /** Connector kind, e.g. `imap`, `stripe`. */
  kind: string;
  name: string;
  /** SecretBox envelope of the credentials JSON; null for connectors without credentials. */
  credentials_encrypted: string | null;
  /** Per polling trigger: `{ [triggerId]: cursor }`. */
  cursor: ColumnType<Record<string, unknown>, string | Record<string, unknown> | undefined, string | Record<string, unknown>>;
  status: ColumnType<ConnectionStatus, ConnectionStatus | undefined, ConnectionStatus>;
  last_sync_at: TsNull;
  last_error: string | null;
  /** Consecutive failed polls (drives the backoff). */
  failures: IntDefault;
  next_retry_at: TsNull;
  /** Items known to be waiting at the provider (from the trigger's progress), 0 when caught up. */
  backlog: IntDefault;
  created_at: Ts;
  updated_at: Ts;
}

export interface ConnectorItemsTable {
  tenant_id: string;
  connection_id: string;
  external_id: string;
  event_id: string | null;
  created_at: Ts;
}

export interface QuarantineTable {
  id: string;
  tenant_id: string;
  connection_id: string | null;
  /** Where the item came from: a connection kind (`stripe`) or an import (`csv:contacts`). */
  source: string;
  external_id: string;
  reason: string;
  sample: string | null;
  created_at: Ts;
}

export type InvoiceSource = 'stripe' | 'csv' | 'builtin';
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible' | 'overdue';

export interface InvoicesTable {
  id: string;
  tenant_id: string;
  contact_id: string | null;
  number: string | null;
  external_ref: string;
  source: InvoiceSource;
  status: InvoiceStatus;
  /** ISO 4217, upper case. */
  currency: string;
  amount_cents: BigNum;
  amount_paid_cents: BigNumDefault;
  due_at: TsNull;
  issued_at: TsNull;
  paid_at: TsNull;
  customer_email: string | null;
  customer_name: string | null;
  updated_at: Ts;
  /** The invoice's payment page (Stripe `hosted_invoice_url`), migration 0017; null when unknown. */
  payment_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PaymentsTable {
  id: string;
  tenant_id: string;
  invoice_id: string | null;
  external_ref: string;
  amount_cents: BigNum;
  currency: string;
  paid_at: Ts;
  source: string;
}

declare module '../../store/schema.js' {
  interface Database {
    connections: ConnectionsTable;
    connector_items: ConnectorItemsTable;
    quarantine: QuarantineTable;
    invoices: InvoicesTable;
    payments: PaymentsTable;
  }
}

export type ConnectionRow = Selectable<ConnectionsTable>;
export type QuarantineRow = Selectable<QuarantineTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type PaymentRow = Selectable<PaymentsTable>;
