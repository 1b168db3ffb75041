import type { ColumnType } from 'kysely';
import type { AuditAnswers } from './questions.js';
import type { MeasuredInputs } from './measure.js';
import type { Blueprint } from './score.js';

type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type JsonNull<T> = ColumnType<T | null, string | null | undefined, string | null>;

/** One playbook "apply" switched, in the blueprint's order. */
export interface AppliedPlaybook {
  /** The blueprint rank. */
  rank: number;
  playbookId: string;
  /**
   * `shadow`: kept off live (tenant.yaml `enabled: false`, nothing is sent) and judged by shadow
   * replays on demand; `live`: it was already running live for the business, left as it was.
   */
  mode: 'shadow' | 'live';
  /** Why this mode, in one sentence. */
  why: string;
  /** What still has to be connected before it sees anything (words, e.g. "inbox (IMAP/SMTP)"). */
  connect: string[];
}

/** Row shape of `audits` (migration 0023-audits). */
export interface AuditsTable {
  id: string;
  tenant_id: string;
  /** The actor (`<kind>:<principal id>`) who ran it. */
  created_by: string;
  answers: Json<AuditAnswers>;
  measured: Json<MeasuredInputs>;
  blueprint: Json<Blueprint>;
  applied: JsonNull<AppliedPlaybook[]>;
  applied_by: string | null;
  applied_at: TsNull;
  created_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    audits: AuditsTable;
  }
}
