import type { ColumnType } from 'kysely';
import type { AdPlatform } from './ads-formats.js';
import type { ReportContent, UncheckedNumber } from './report-content.js';

type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TsDefault = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;
type BigNum = ColumnType<string, number | string, number | string>;

/** `ad_imports` (migration 0035): one imported campaign export. */
export interface AdImportsTable {
  id: string;
  tenant_id: string;
  platform: AdPlatform;
  file_name: string;
  sha256: string;
  rows: number;
  created_by: string;
  created_at: TsDefault;
}

/** `ad_metrics` (migration 0035): one campaign's figures over one day or week. */
export interface AdMetricsTable {
  tenant_id: string;
  platform: AdPlatform;
  campaign: string;
  /** Local dates YYYY-MM-DD, inclusive. */
  starts: string;
  ends: string;
  impressions: BigNum;
  clicks: BigNum;
  cost_cents: BigNum;
  conversions: BigNum;
  result_indicator: string | null;
  currency: string;
  import_id: string;
  updated_at: TsDefault;
}

/** Lifecycle of a client report: pending (waits for the agency) → approved → sent | not_sent. */
export type ClientReportStatus = 'pending' | 'approved' | 'sent' | 'not_sent';

/** `client_reports` (migration 0035): one weekly report per business and ISO week. */
export interface ClientReportsTable {
  id: string;
  tenant_id: string;
  week: string;
  week_start: string;
  content: Json<ReportContent>;
  summary: string;
  summary_source: 'template' | 'model';
  unchecked: Json<UncheckedNumber[]>;
  status: ColumnType<ClientReportStatus, ClientReportStatus | undefined, ClientReportStatus>;
  made_by: string;
  approved_by: string | null;
  approved_at: TsNull;
  unchecked_confirmed: ColumnType<boolean, boolean | undefined, boolean>;
  email_to: string | null;
  outbox_id: string | null;
  sent_at: TsNull;
  not_sent_reason: string | null;
  created_at: TsDefault;
}

declare module '../../store/schema.js' {
  interface Database {
    ad_imports: AdImportsTable;
    ad_metrics: AdMetricsTable;
    client_reports: ClientReportsTable;
  }
}
