import type { ColumnType } from 'kysely';

type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/** Lifecycle of a `proposals` row (migration 0018-proposals). */
export type ProposalStatus = 'draft' | 'approved' | 'sent' | 'rejected' | 'expired' | 'failed';

/** One priced line of a proposal: every price comes from a knowledge fact, cited by id and file. */
export interface ProposalLineItem {
  /** The service as the price list names it. */
  description: string;
  /** Integer count (1 unless the owner's request said otherwise). */
  quantity: number;
  /** Price of one, in cents, copied from the fact. */
  unitCents: number;
  /** `quantity × unitCents`, in cents. */
  totalCents: number;
  currency: string;
  /** The fact's unit ("per visit", "from", "flat"…), or null. */
  unit: string | null;
  /** `knowledge_facts.id` the price came from. */
  factId: string;
  /** The knowledge file holding the fact (relative path). */
  file: string;
}

/** Row shape of `proposals`. */
export interface ProposalsTable {
  id: string;
  tenant_id: string;
  deal_id: string;
  run_id: string;
  version: number;
  markdown: string;
  pdf: Buffer;
  /** bigint, returned by pg as a string. */
  total_cents: ColumnType<string, number | string, number | string>;
  currency: string;
  line_items: Json<ProposalLineItem[]>;
  /** What was asked for but has no price in knowledge: to be quoted by the owner. */
  unpriced: Json<string[]>;
  status: ColumnType<ProposalStatus, ProposalStatus | undefined, ProposalStatus>;
  recipient: string | null;
  approved_by: string | null;
  approved_at: TsNull;
  sent_at: TsNull;
  error: string | null;
  created_at: TsDefault;
  updated_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    proposals: ProposalsTable;
  }
}
