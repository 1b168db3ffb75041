import type { TenantInfo } from '../../records/tenants.js';
import { localParts } from '../../core/time-zone.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * Whether the business is open at `at` by `profile.hours` (its time zone): true / false, or
 * undefined when it did not state its hours.
 */
export function isOpenAt(tenant: TenantInfo, at: Date): boolean | undefined {
  const hours = tenant.profile.hours;
  if (!hours) return undefined;
  const l = localParts(at, tenant.timeZone);
  const day = hours[DAYS[l.weekday]!];
  if (!day || day === 'closed') return false;
  const minutes = l.hour * 60 + l.minute;
  const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return minutes >= toMin(day[0]) && minutes < toMin(day[1]);
}
