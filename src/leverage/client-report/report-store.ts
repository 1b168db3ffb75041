import type { Selectable } from 'kysely';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { ModelClient } from '../../ai/model-client.js';
import { newId } from '../../core/ids.js';
import { composeClientReport } from './report-figures.js';
import { writeSummary } from './report-summary.js';
import { checkSummary } from './number-check.js';
import type { ClientReportsTable } from './tables.js';
import './tables.js';

/** A stored client report. */
export type ClientReportRow = Selectable<ClientReportsTable>;

/** Who makes reports when no person asks: the scheduler / the system (never an approver). */
export const SYSTEM_MAKER = 'system';

/**
 * Makes and stores the client report of a business for an ISO week unless it exists (the unique
 * key keeps one per business and week, whoever races): figures, the summary (model or template)
 * and the summary's numbers that are not in the figures (`unchecked`). Returns the stored row and
 * whether this call made it.
 */
export async function makeClientReport(db: Db, models: ModelClient | null, tenant: TenantInfo, week: string, madeBy: string, now: Date): Promise<{ row: ClientReportRow; made: boolean }> {
  const existing = await findClientReport(db, tenant.id, week);
  if (existing) return { row: existing, made: false };
  const content = await composeClientReport(db, tenant, week);
  const s = await writeSummary(models, tenant.id, content);
  const { unchecked } = checkSummary(s.summary, content);
  const inserted = await db.insertInto('client_reports')
    .values({
      id: newId('crp'), tenant_id: tenant.id, week, week_start: content.weekStart, content: JSON.stringify(content), summary: s.summary, summary_source: s.source,
      unchecked: JSON.stringify(unchecked), made_by: madeBy, created_at: now,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'week']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { row: inserted, made: true };
  return { row: (await findClientReport(db, tenant.id, week))!, made: false };
}

/** The stored report of a business for a week, if any. */
export function findClientReport(db: Db, tenantId: string, week: string): Promise<ClientReportRow | undefined> {
  return db.selectFrom('client_reports').selectAll().where('tenant_id', '=', tenantId).where('week', '=', week).executeTakeFirst();
}

/** The week's reports of the given businesses (never others), by business id order. */
export async function listClientReports(db: Db, tenantIds: readonly string[], week: string): Promise<ClientReportRow[]> {
  if (tenantIds.length === 0) return [];
  return db.selectFrom('client_reports').selectAll().where('tenant_id', 'in', [...tenantIds]).where('week', '=', week).orderBy('tenant_id').execute();
}
