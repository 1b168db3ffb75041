import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { ChannelSet } from '../../connection/channels/channel.js';
import { TODAY_WINDOW_HOURS } from '../day-summary.js';
import { composeDailyBrief } from './daily-brief.js';
import { composeWeeklyReport, type ReportWeek } from './weekly-report.js';
import type { BriefContent } from './brief-content.js';
import { dueBriefs, localDateOf, type BriefKind, type DueBrief } from './brief-time.js';
import { claimForSending, findBrief, lastBriefEnd, storeBrief, type BriefRow } from './brief-store.js';
import { mailBrief, type BriefMailResult } from './brief-mail.js';

/** What making and mailing briefs needs. */
export interface BriefDeps {
  db: Db;
  channels: ChannelSet;
  /** The business clock's "now". */
  now: () => Date;
  tenants: { all(): TenantInfo[] };
  /** The dashboard's base URL (links in the mail). */
  dashboardUrl: () => string;
}

/** What one pass did. */
export interface BriefPass {
  /** Briefs stored by this pass (`<slug>/<kind>/<local date>`). */
  made: string[];
  /** Briefs mailed by this pass. */
  sent: string[];
  /** `<slug>/<kind>: <why>` of briefs settled as not mailed, or left for a retry. */
  notSent: string[];
  /** `<slug>: <message>` of businesses whose brief failed (the others went on). */
  failed: string[];
}

/** The longest window a daily brief covers, ms (after a long downtime: the last week, not since the last brief). */
export const DAILY_LOOKBACK_MAX_MS = 7 * 86_400_000;

/**
 * Stores the brief of a kind for the business's local date unless it exists, and returns the
 * stored row. The daily brief covers the time since the previous one (at most
 * {@link DAILY_LOOKBACK_MAX_MS}; the first one: 24 h); the weekly report, its chart's weeks.
 */
export async function makeBrief(db: Db, tenant: TenantInfo, due: DueBrief, now: Date): Promise<{ row: BriefRow; made: boolean }> {
  const existing = await findBrief(db, tenant.id, due.kind, due.localDate);
  if (existing) return { row: existing, made: false };
  let content: BriefContent;
  let since: Date;
  let until = now;
  if (due.kind === 'daily') {
    const previous = await lastBriefEnd(db, tenant.id, 'daily');
    since = new Date(Math.max(previous?.getTime() ?? now.getTime() - TODAY_WINDOW_HOURS * 3_600_000, now.getTime() - DAILY_LOOKBACK_MAX_MS));
    content = await composeDailyBrief(db, tenant, now, since);
  } else {
    content = await composeWeeklyReport(db, tenant, now, due.localDate);
    const weeks = content.figures.weeks as ReportWeek[];
    since = new Date(weeks[0]!.since);
    until = new Date(weeks[weeks.length - 1]!.until);
  }
  const { row, inserted } = await storeBrief(db, { tenantId: tenant.id, content: { ...content, localDate: due.localDate }, periodStart: since, periodEnd: until, createdAt: now });
  return { row, made: inserted };
}

/** Mails a stored brief if this caller gets its sender lease; null when another holds it or it is settled. */
export async function sendIfClaimed(d: BriefDeps, tenant: TenantInfo, row: BriefRow): Promise<BriefMailResult | null> {
  const claimed = await claimForSending(d.db, row.id, d.now());
  return claimed ? mailBrief({ db: d.db, channels: d.channels, now: d.now, dashboardUrl: d.dashboardUrl }, tenant, claimed) : null;
}

/**
 * One pass over every business: each brief that is due (src/leverage/brief/brief-time.ts) is
 * stored once for its local date and mailed once, whichever process or tick gets there first.
 * A business whose brief fails is reported and tried again at the next pass; the rest go on.
 */
export async function runBriefs(d: BriefDeps, now: Date = d.now()): Promise<BriefPass> {
  const pass: BriefPass = { made: [], sent: [], notSent: [], failed: [] };
  for (const tenant of d.tenants.all()) {
    try {
      for (const due of dueBriefs(tenant, now)) {
        const { row, made } = await makeBrief(d.db, tenant, due, now);
        const key = `${tenant.slug}/${due.kind}/${due.localDate}`;
        if (made) pass.made.push(key);
        const r = await sendIfClaimed(d, tenant, row);
        if (r?.status === 'sent') pass.sent.push(key);
        else if (r) pass.notSent.push(`${key}: ${r.status === 'retry' ? `will retry: ${r.error}` : r.reason}`);
      }
    } catch (err) {
      pass.failed.push(`${tenant.slug}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return pass;
}

/**
 * "Send it now" (`aios brief --send`, `POST /api/v1/brief/send`): today's brief of a kind for one
 * business, made now if it was not yet (before `daily_at` too), and mailed unless it already was.
 */
export async function briefNow(d: BriefDeps, tenant: TenantInfo, kind: BriefKind): Promise<{ row: BriefRow; mail: BriefMailResult | null }> {
  const now = d.now();
  const { row } = await makeBrief(d.db, tenant, { kind, localDate: localDateOf(now, tenant.timeZone) }, now);
  const mail = await sendIfClaimed(d, tenant, row);
  const after = (await findBrief(d.db, tenant.id, kind, row.local_date)) ?? row;
  return { row: after, mail };
}
