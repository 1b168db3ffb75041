import type { ColumnType } from 'kysely';
import type { TriageCategory } from './categories.js';

type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;

/** Who decided a mail's category. */
export type TriageSource = 'classifier' | 'model' | 'owner';

/** Row shape of `email_triage` (migration 0016-email-triage). */
export interface EmailTriageTable {
  id: string;
  tenant_id: string;
  event_id: string;
  connection_id: string | null;
  message_id: string | null;
  from_address: string;
  subject: string | null;
  category: TriageCategory;
  reason: string;
  source: TriageSource;
  /** 0..1. */
  confidence: number;
  run_id: string | null;
  created_at: TsDefault;
  updated_at: TsDefault;
}

/** Row shape of `triage_corrections`: one owner relabel, a training example. */
export interface TriageCorrectionsTable {
  id: string;
  tenant_id: string;
  triage_id: string;
  from_category: string;
  to_category: TriageCategory;
  /** The mail's {@link TriageEmail} (JSON). */
  features: ColumnType<unknown, string, string>;
  decided_by: string;
  created_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    email_triage: EmailTriageTable;
    triage_corrections: TriageCorrectionsTable;
  }
}
