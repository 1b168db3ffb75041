import { localParts, zonedTimeToUtc } from '../../core/time-zone.js';
import { InputError } from '../../core/errors.js';

/**
 * The availability engine: which appointment slots can be offered between two instants.
 *
 * Business hours are wall-clock windows per weekday in the business's IANA time zone, so a
 * 09:00–17:00 day stays 09:00–17:00 local across DST changes (the UTC instants move). Slots step
 * in real elapsed minutes from the start of each window; a window that contains a DST change is
 * as long as the real time between its local start and end (e.g. 00:00–04:00 on a spring-forward
 * night lasts 3 hours).
 */

/** A local time window `[start, end)`, `HH:MM` 24-hour; `end` may be `24:00` (midnight after). */
export interface HoursWindow {
  start: string;
  end: string;
}

/** Availability rules of a business (or of one person). */
export interface AvailabilityRules {
  /** IANA zone of the business, e.g. `America/Toronto`. */
  timeZone: string;
  /** Windows per weekday, 0 = Sunday … 6 = Saturday; a missing day is closed. */
  hours: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, HoursWindow[]>>;
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays?: string[];
  /** Free time kept before each booking, minutes (default 0). */
  bufferBeforeMinutes?: number;
  /** Free time kept after each booking, minutes (default 0). */
  bufferAfterMinutes?: number;
  /** Earliest start after `now`, minutes (default 0). */
  minNoticeMinutes?: number;
  /** Distance between candidate starts, minutes (default: the booking's duration). */
  slotStepMinutes?: number;
}

/** A kind of appointment, e.g. a 30-minute call or a 2-hour visit. */
export interface BookingType {
  id: string;
  /** Length of the appointment, minutes (> 0). */
  durationMinutes: number;
  /** Overrides the rules' buffers for this type, minutes. */
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
}

/** Time that is taken, e.g. an existing calendar event. Cancelled events are ignored. */
export interface BusyInterval {
  start: Date;
  end: Date;
  status?: 'confirmed' | 'tentative' | 'cancelled';
}

/** A local rendering of an instant. */
export interface LocalSlotTime {
  timeZone: string;
  /** `YYYY-MM-DD`. */
  date: string;
  /** `HH:MM`, 24-hour. */
  time: string;
  /** Offset from UTC at that instant, `±HH:MM`. */
  offset: string;
}

/** One bookable slot, with its instants and how both sides read them. */
export interface Slot {
  start: Date;
  end: Date;
  business: { start: LocalSlotTime; end: LocalSlotTime };
  customer: { start: LocalSlotTime; end: LocalSlotTime };
}

export interface SlotQuery {
  rules: AvailabilityRules;
  booking: BookingType;
  busy: BusyInterval[];
  /** Search window: slots start at or after `from` and end at or before `to`. */
  from: Date;
  to: Date;
  /** The current instant, for minimum notice. */
  now: Date;
  /** IANA zone to render slots in for the customer (default: the business's zone). */
  customerTimeZone?: string;
  /** Most slots returned (default 500). */
  limit?: number;
}

const MIN = 60_000;
const DAY = 86_400_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function parseHm(s: string, field: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  const v = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || v > 24 * 60) throw new InputError(`${field}: expected HH:MM between 00:00 and 24:00, got ${JSON.stringify(s)}`, { fix: 'Write business hours like "09:00".' });
  return v;
}

function checkZone(tz: string, field: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new InputError(`${field}: unknown time zone ${JSON.stringify(tz)}`, { fix: 'Use an IANA zone name such as "America/Toronto".' });
  }
}

/** Renders an instant in a zone: local date, `HH:MM` and UTC offset. */
export function localSlotTime(at: Date, timeZone: string): LocalSlotTime {
  const l = localParts(at, timeZone);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  const off = Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / MIN);
  const sign = off < 0 ? '-' : '+';
  return {
    timeZone,
    date: `${l.year}-${pad(l.month)}-${pad(l.day)}`,
    time: `${pad(l.hour)}:${pad(l.minute)}`,
    offset: `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`,
  };
}

/** The instant a local `minutes`-after-midnight time occurs on a local date (24:00 = next midnight). */
function at(day: { year: number; month: number; day: number }, minutes: number, tz: string): Date {
  if (minutes === 24 * 60) {
    const next = new Date(Date.UTC(day.year, day.month - 1, day.day) + DAY);
    return zonedTimeToUtc({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 }, tz);
  }
  return zonedTimeToUtc({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, tz);
}

/**
 * Bookable slots between `from` and `to`, earliest first.
 *
 * A candidate `[start, start + duration)` is offered when it lies inside one business-hours window
 * of a non-holiday local day, starts at least `minNoticeMinutes` after `now`, and
 * `[start − bufferBefore, end + bufferAfter)` overlaps no busy interval (cancelled ones ignored;
 * tentative ones count as busy).
 * @throws InputError for an unknown zone, a malformed `HH:MM`, or a non-positive duration or step.
 */
export function findSlots(q: SlotQuery): Slot[] {
  const { rules, booking } = q;
  checkZone(rules.timeZone, 'rules.timeZone');
  const customerTz = q.customerTimeZone ?? rules.timeZone;
  checkZone(customerTz, 'customerTimeZone');
  const durMs = booking.durationMinutes * MIN;
  const stepMin = rules.slotStepMinutes ?? booking.durationMinutes;
  if (!(booking.durationMinutes > 0) || !(stepMin > 0)) throw new InputError('booking duration and slot step must be positive minutes', { fix: 'Set durationMinutes (and slotStepMinutes) to a number above 0.' });
  const before = (booking.bufferBeforeMinutes ?? rules.bufferBeforeMinutes ?? 0) * MIN;
  const after = (booking.bufferAfterMinutes ?? rules.bufferAfterMinutes ?? 0) * MIN;
  const earliest = Math.max(q.from.getTime(), q.now.getTime() + (rules.minNoticeMinutes ?? 0) * MIN);
  const limit = q.limit ?? 500;
  const holidays = new Set(rules.holidays ?? []);
  const busy = q.busy
    .filter((b) => b.status !== 'cancelled' && b.end > b.start)
    .map((b) => [b.start.getTime(), b.end.getTime()] as const)
    .sort((a, b) => a[0] - b[0]);
  const isFree = (s: number, e: number) => !busy.some(([bs, be]) => bs < e && be > s);

  const out: Slot[] = [];
  const first = localParts(q.from, rules.timeZone);
  const last = localParts(q.to, rules.timeZone);
  const lastKey = Date.UTC(last.year, last.month - 1, last.day);
  for (let k = Date.UTC(first.year, first.month - 1, first.day); k <= lastKey && out.length < limit; k += DAY) {
    const d = new Date(k);
    const day = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    if (holidays.has(`${day.year}-${pad(day.month)}-${pad(day.day)}`)) continue;
    const windows = rules.hours[d.getUTCDay() as 0] ?? [];
    for (const [i, w] of windows.entries()) {
      const ws = at(day, parseHm(w.start, `hours[${d.getUTCDay()}][${i}].start`), rules.timeZone).getTime();
      const we = at(day, parseHm(w.end, `hours[${d.getUTCDay()}][${i}].end`), rules.timeZone).getTime();
      for (let s = ws; s + durMs <= we && out.length < limit; s += stepMin * MIN) {
        const e = s + durMs;
        if (s < earliest || e > q.to.getTime() || !isFree(s - before, e + after)) continue;
        const start = new Date(s);
        const end = new Date(e);
        out.push({
          start,
          end,
          business: { start: localSlotTime(start, rules.timeZone), end: localSlotTime(end, rules.timeZone) },
          customer: { start: localSlotTime(start, customerTz), end: localSlotTime(end, customerTz) },
        });
      }
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}
