import type { Db } from '../store/db.js';
import type { TenantInfo } from '../records/tenants.js';
import { tradeDefaults } from './audit/questions.js';
import { categoryMinutes, type CategoryMinutes } from '../records/action-minutes.js';
import './audit/tables.js';
import type { AuditAnswers } from './audit/questions.js';

/** Where a figure came from: history (`measured`), the owner (`answered`), or a stated default (`assumed`). */
export type FigureBasis = 'measured' | 'answered' | 'assumed';

/** One number of the ROI with its provenance. */
export interface RoiInput {
  value: number;
  basis: FigureBasis;
  /** Where it comes from, in words ("tenant.yaml roi.hourly_value", "your audit answer", "default for trades…"). */
  source: string;
}

/**
 * Running cost assumed when tenant.yaml has no `roi.running_cost_cents_per_month`: 5,000 cents
 * ($50) a month — a small server and a phone number for a self-hosted AIOS.
 */
export const DEFAULT_RUNNING_COST_CENTS_PER_MONTH = 5_000;

/** The owner's numbers the ledger values work with, each with its provenance. */
export interface RoiSettings {
  /** Minutes per action, per ledger category. */
  minutes: CategoryMinutes[];
  /** The owner's hour, currency units per hour. */
  hourlyValue: RoiInput;
  /** An average job, currency units (values bookings won from missed calls and leads). */
  averageJobValue: RoiInput;
  /** Running AIOS, cents per month. */
  runningCostCentsPerMonth: RoiInput;
}

/**
 * The ROI inputs of a business: tenant.yaml (`roi:`, `profile.average_job_value`) first, then the
 * answers of its latest audit, then the trade's default (`tradeDefaults`), marked assumed.
 */
export async function roiSettings(db: Db, tenant: TenantInfo): Promise<RoiSettings> {
  const latest = await db.selectFrom('audits').select('answers').where('tenant_id', '=', tenant.id).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return roiSettingsFrom(tenant, latest?.answers ?? {});
}

/** {@link roiSettings} from answers already read (the agency overview reads every business's latest audit in one query). */
export function roiSettingsFrom(tenant: Pick<TenantInfo, 'roi' | 'profile'>, answers: AuditAnswers): RoiSettings {
  const roi = tenant.roi;
  const d = tradeDefaults(tenant.profile.trade);
  const pick = (own: number | undefined, ownSource: string, answered: number | undefined, fallback: number): RoiInput =>
    own !== undefined ? { value: own, basis: 'answered', source: ownSource }
      : answered !== undefined ? { value: answered, basis: 'answered', source: 'your latest audit answer' }
        : { value: fallback, basis: 'assumed', source: d.name };
  const running = roi?.running_cost_cents_per_month;
  return {
    minutes: categoryMinutes(roi?.minutes ?? {}),
    hourlyValue: pick(roi?.hourly_value, 'tenant.yaml roi.hourly_value', answers.hourlyValue, d.values.hourlyValue),
    averageJobValue: pick(tenant.profile.average_job_value, 'tenant.yaml profile.average_job_value', answers.averageJobValue, d.values.averageJobValue),
    runningCostCentsPerMonth: running !== undefined
      ? { value: running, basis: 'answered', source: 'tenant.yaml roi.running_cost_cents_per_month' }
      : { value: DEFAULT_RUNNING_COST_CENTS_PER_MONTH, basis: 'assumed', source: 'default: a small server and a phone number, about 50 a month (set roi.running_cost_cents_per_month)' },
  };
}
