import type { TenantInfo } from '../../records/tenants.js';
import { hoursAt } from '../../records/opening-hours.js';

/**
 * Today's opening hours in the business's time zone as "08:00–18:00", null when closed today,
 * or undefined when the business did not state its hours.
 */
export function hoursToday(tenant: TenantInfo, now: Date): string | null | undefined {
  const day = hoursAt(tenant, now);
  return day ? `${day[0]}–${day[1]}` : day;
}
