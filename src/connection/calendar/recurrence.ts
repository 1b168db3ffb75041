import { RRuleTemporal } from 'rrule-temporal';
import { zonedTimeToUtc } from '../../core/time-zone.js';

/**
 * Rule → occurrences, with rrule-temporal (chosen by measurement: `npm run bench:recurrence`, see
 * this folder's README), under a budget that a hostile invite cannot exceed.
 *
 * The window is asked for in chunks that start at one minute and grow fourfold while they hold
 * fewer than 64 occurrences, so a dense rule (SECONDLY for a century, COUNT=1e9) is stopped soon
 * after the count budget, and the elapsed time is checked between chunks. Inside one call
 * rrule-temporal bounds its own work (`maxIterations` 10,000 periods, `maxCandidateEvaluations` 1,000,000 candidates, its defaults: lowering them turns off its fast paths);
 * a rule that exceeds them throws, which is reported as over budget too. Some rules still spend
 * a long time inside one call (an impossible BYWEEKNO/BYYEARDAY mix scans 400 years), so callers
 * run this under a hard deadline in a worker thread: see `bounded-expansion.ts`.
 */

/** Limits on one event's expansion within one window. */
export interface RecurrenceBudget {
  /** Most wall time spent expanding one event, milliseconds (default 100). */
  maxMs: number;
  /** Most occurrences of one event in one window (default 5,000). */
  maxOccurrences: number;
}

/** The default budget: 100 ms and 5,000 occurrences per event per window (100 ms, not 50: a legitimate rule on a loaded 2-core machine can take 30–40 ms, and a quarantined real event is a missed busy time). */
export const DEFAULT_RECURRENCE_BUDGET: RecurrenceBudget = { maxMs: 100, maxOccurrences: 5000 };

/** Wall-clock fields of an occurrence in the rule's zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** One recurrence set, written in the rule's zone. */
export interface RuleSpec {
  /** DTSTART wall-clock time, `YYYYMMDDTHHMMSS`. */
  dtstart: string;
  /** IANA zone the rule recurs in (`UTC` for UTC times and for wall-clock-only expansion). */
  tzid: string;
  /** The RRULE value (`FREQ=WEEKLY;BYDAY=MO`), or null for DTSTART + RDATE only. */
  rrule: string | null;
  /** RDATE instants, `YYYYMMDDTHHMMSSZ`. */
  rdates: string[];
  /** EXDATE instants, `YYYYMMDDTHHMMSSZ`. */
  exdates: string[];
}

/** One occurrence start: the instant and its wall-clock time in the rule's zone. */
export interface RuleOccurrence {
  at: Date;
  wall: WallTime;
}

export type RuleExpansion = { ok: true; occurrences: RuleOccurrence[] } | { ok: false; reason: string };

/** First chunk of the window asked for, ms; chunks grow fourfold while they hold < 64 occurrences. */
const FIRST_CHUNK_MS = 60_000;
const SPARSE_CHUNK = 64;

function budgetReason(budget: RecurrenceBudget, what: string): string {
  return `recurrence over budget (${what}; limits ${budget.maxOccurrences} occurrences and ${budget.maxMs} ms per event per window): the event is left out of availability; simplify the rule at its source`;
}

function utcStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function occurrenceOf(z: { epochMilliseconds: number; year: number; month: number; day: number; hour: number; minute: number; second: number }): RuleOccurrence {
  return { at: new Date(z.epochMilliseconds), wall: { year: z.year, month: z.month, day: z.day, hour: z.hour, minute: z.minute, second: z.second } };
}

/**
 * A floating `UNTIL` (no `Z`) read in the rule's zone and written in UTC, as RFC 5545 requires
 * with a zoned DTSTART (calendars send both; the library rejects the floating form).
 */
export function normalizeUntil(rrule: string, tzid: string): string {
  return rrule.replace(/UNTIL=(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?!Z)/i, (_m, y, mo, d, h, mi, se) => {
    if (tzid === 'UTC') return `UNTIL=${y}${mo}${d}T${h}${mi}${se}Z`;
    return `UNTIL=${utcStamp(zonedTimeToUtc({ year: +y, month: +mo, day: +d, hour: +h, minute: +mi, second: +se }, tzid))}`;
  });
}

/**
 * The occurrence starts of a rule in `[from, to)`, sorted, or the reason it could not be expanded
 * within `budget`. Never throws: an unreadable rule comes back as `{ ok: false, reason }`.
 * @param from window start (inclusive), an instant.
 * @param to window end (exclusive), an instant.
 */
export function expandRule(spec: RuleSpec, from: Date, to: Date, budget: RecurrenceBudget = DEFAULT_RECURRENCE_BUDGET): RuleExpansion {
  const started = performance.now();
  let rule: RRuleTemporal;
  try {
    const lines = [`DTSTART;TZID=${spec.tzid}:${spec.dtstart}`];
    lines.push(`RRULE:${spec.rrule ? normalizeUntil(spec.rrule, spec.tzid) : 'FREQ=DAILY;COUNT=1'}`);
    if (spec.rdates.length) lines.push(`RDATE:${spec.rdates.join(',')}`);
    if (spec.exdates.length) lines.push(`EXDATE:${spec.exdates.join(',')}`);
    rule = new RRuleTemporal({ rruleString: lines.join('\n'), includeDtstart: true });
  } catch (err) {
    return { ok: false, reason: `unreadable recurrence rule: ${err instanceof Error ? err.message : String(err)}` };
  }
  const seen = new Set<number>();
  const occurrences: RuleOccurrence[] = [];
  let cursor = from.getTime();
  let span = FIRST_CHUNK_MS;
  while (cursor < to.getTime()) {
    const end = Math.min(cursor + span, to.getTime());
    let chunk;
    try {
      chunk = rule.between(new Date(cursor), new Date(end), true);
    } catch (err) {
      return { ok: false, reason: budgetReason(budget, `the library stopped: ${err instanceof Error ? err.message : String(err)}`) };
    }
    for (const z of chunk) {
      const ms = z.epochMilliseconds;
      if (ms < from.getTime() || ms >= to.getTime() || seen.has(ms)) continue;
      seen.add(ms);
      occurrences.push(occurrenceOf(z));
    }
    if (occurrences.length > budget.maxOccurrences) return { ok: false, reason: budgetReason(budget, `more than ${budget.maxOccurrences} occurrences in the window`) };
    const elapsed = performance.now() - started;
    if (elapsed > budget.maxMs) return { ok: false, reason: budgetReason(budget, `expansion took more than ${budget.maxMs} ms`) };
    if (chunk.length < SPARSE_CHUNK) span *= 4;
    cursor = end;
  }
  occurrences.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { ok: true, occurrences };
}

/** `YYYYMMDDTHHMMSSZ` of an instant, for {@link RuleSpec.rdates} / {@link RuleSpec.exdates}. */
export { utcStamp };
