import type { ColumnType } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type BigNum = ColumnType<string, number | bigint | string, number | bigint | string>;

/** Lifecycle of a chase: `active` until the invoice is paid / void, the owner stops it, the sequence ends, or it is skipped. */
export type ChaseStatus = 'active' | 'paid' | 'void' | 'stopped' | 'finished' | 'skipped';

/** The stages of a chase, in order. `call` is the owner's call task, not a message. */
export type ChaseStage = 'before' | 'due' | 'plus7' | 'plus14' | 'call';

/** Row shape of `invoice_chases` (migration 0017-invoice-chase): one per invoice, ever. */
export interface InvoiceChasesTable {
  invoice_id: string;
  tenant_id: string;
  run_id: string;
  status: ColumnType<ChaseStatus, ChaseStatus | undefined, ChaseStatus>;
  /** Owed when the chase began, in cents. */
  balance_cents_at_start: BigNum;
  reason: string | null;
  started_at: Ts;
  ended_at: TsNull;
}

/** Row shape of `invoice_reminders` (migration 0017-invoice-chase): one per stage acted on. */
export interface InvoiceRemindersTable {
  id: string;
  tenant_id: string;
  invoice_id: string;
  run_id: string;
  stage: ChaseStage;
  channel: 'email' | 'sms' | 'owner_call';
  recipient: string | null;
  /** Business-clock time the reminder was recorded (the 48 h cap counts from here). */
  at: Ts;
  /** How its proposal ended (`sent`, `awaiting`, `refused`, …); null while being proposed. */
  outcome: string | null;
}

declare module '../../store/schema.js' {
  interface Database {
    invoice_chases: InvoiceChasesTable;
    invoice_reminders: InvoiceRemindersTable;
  }
}
