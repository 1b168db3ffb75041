import { localParts } from '../../core/time-zone.js';
import { BriefSection, WEEKDAY_NAMES, type BriefSectionT } from '../../records/tenant-sections.js';
import type { TenantInfo } from '../../records/tenants.js';

/** The two kinds of brief: the daily brief and the weekly report. */
export type BriefKind = 'daily' | 'weekly';

/** A brief that is due now: its kind and the business's local date it is for (YYYY-MM-DD). */
export interface DueBrief {
  kind: BriefKind;
  localDate: string;
}

const pad = (x: number) => String(x).padStart(2, '0');

/** The tenant's `brief:` settings, defaults filled in. */
export function briefSettings(tenant: Pick<TenantInfo, 'brief'>): BriefSectionT {
  return tenant.brief ?? BriefSection.parse({});
}

/** The business's local date of an instant, YYYY-MM-DD. */
export function localDateOf(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/**
 * The briefs due at `now` for one business: the daily brief once the local wall clock has reached
 * `brief.daily_at` on the local day, and on `brief.weekly_on` the weekly report too. Only today's
 * local date is ever due — a server that was down at 07:30 and starts at 09:10 makes today's brief
 * (once: the `briefs` row is unique per day), never the days it missed. Comparing wall-clock
 * HH:MM is right across DST: a `daily_at` inside the skipped spring hour falls due when the clock
 * jumps past it, and a repeated autumn hour cannot make a second row for the same local date.
 */
export function dueBriefs(tenant: Pick<TenantInfo, 'brief' | 'timeZone'>, now: Date): DueBrief[] {
  const s = briefSettings(tenant);
  const l = localParts(now, tenant.timeZone);
  if (`${pad(l.hour)}:${pad(l.minute)}` < s.daily_at) return [];
  const localDate = `${l.year}-${pad(l.month)}-${pad(l.day)}`;
  const due: DueBrief[] = [{ kind: 'daily', localDate }];
  if (WEEKDAY_NAMES[l.weekday] === s.weekly_on) due.push({ kind: 'weekly', localDate });
  return due;
}
