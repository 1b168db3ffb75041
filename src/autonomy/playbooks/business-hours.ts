import { localParts } from '../policy/quiet-hours.js';
import type { TenantInfo } from '../../records/tenants.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * Today's opening hours in the business's time zone as "08:00–18:00", null when closed today,
 * or undefined when the business did not state its hours.
 */
export function hoursToday(tenant: TenantInfo, now: Date): string | null | undefined {
  const hours = tenant.profile.hours;
  if (!hours) return undefined;
  const day = hours[DAYS[localParts(now, tenant.timeZone).weekday]!];
  if (!day || day === 'closed') return null;
  return `${day[0]}–${day[1]}`;
}
