import type Holidays from 'date-holidays';
import { lazyModule } from '../core/lazy-module.js';

/** date-holidays, loaded for the first business with public holidays (its tables are large). */
const loadHolidays = lazyModule<typeof Holidays>('date-holidays');
import type { HolidaysSectionT } from '../records/tenant-sections.js';

/** Whether a local date (`YYYY-MM-DD`, the business's zone) is a day the business is closed. */
export type IsHoliday = (localDate: string) => boolean;

/** A day that is never a holiday (no `holidays:` in tenant.yaml). */
export const NO_HOLIDAYS: IsHoliday = () => false;

/**
 * The closed days of `holidays:` (tenant.yaml): its explicit dates, plus the public holidays of each
 * `{ public: CC[-RR] }` item, computed offline by `date-holidays` (type `public` only, not bank or
 * observance days) one year at a time and cached in the returned function.
 */
export function holidayCalendar(spec: HolidaysSectionT | undefined): IsHoliday {
  if (!spec || spec.length === 0) return NO_HOLIDAYS;
  const key = JSON.stringify(spec);
  let fn = cache.get(key);
  if (!fn) {
    if (cache.size > 100) cache.clear();
    fn = build(spec);
    cache.set(key, fn);
  }
  return fn;
}

/** Calendars by their spec (a tenant's `holidays:` rarely changes; public ones cost a parse per year). */
const cache = new Map<string, IsHoliday>();

function build(spec: HolidaysSectionT): IsHoliday {
  const dates = new Set<string>();
  const calendars: Holidays[] = [];
  const Calendar = loadHolidays();
  for (const item of spec) {
    if (typeof item === 'string') dates.add(item);
    else {
      const [country, region] = item.public.split('-');
      calendars.push(region ? new Calendar(country!, region) : new Calendar(country!));
    }
  }
  const years = new Set<number>();
  return (localDate: string) => {
    const year = Number(localDate.slice(0, 4));
    if (calendars.length && !years.has(year)) {
      years.add(year);
      for (const hd of calendars) for (const h of hd.getHolidays(year)) if (h.type === 'public') dates.add(h.date.slice(0, 10));
    }
    return dates.has(localDate);
  };
}
