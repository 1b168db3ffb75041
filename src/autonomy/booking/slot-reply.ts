import type * as Chrono from 'chrono-node';
import { lazyModule } from '../../core/lazy-module.js';
import { localParts, zonedTimeToUtc } from '../../core/time-zone.js';
import type { OfferedSlot, SlotOffer, SlotReply } from './booking-api.js';
import {
  AFTER_WORDS, BEFORE_WORDS, CANCEL_WORDS, DAY_PARTS, NONE_PHRASES, NUMBER_WORDS, ORDINALS, RESCHEDULE_WORDS, WEEK_WORDS, YES_WORDS,
  hasPhrase, plainWords, tokens,
} from './slot-words.js';

/** chrono-node, loaded at the first reply read (about 20 MiB an idle process does not need). */
const loadChrono = lazyModule<typeof Chrono>('chrono-node');

const DAY_MS = 86_400_000;
const UNCLEAR: SlotReply = { kind: 'unclear' };

/** A local calendar day. */
interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** What chrono read: a day (exact or by weekday only) and maybe a time of day. */
interface When {
  day: LocalDay;
  /** Only a weekday was said ("Thursday"): match offered slots by weekday, not by date. */
  weekdayOnly: boolean;
  weekday: number;
  time?: { hour: number; minute: number };
}

function offsetMinutes(at: Date, timeZone: string): number {
  const l = localParts(at, timeZone);
  return Math.round((Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

function parsersFor(locale: string): Chrono.Chrono[] {
  const chrono = loadChrono();
  const l = locale.toLowerCase();
  if (l.startsWith('fr')) return [chrono.fr.casual, chrono.en.casual];
  const en = /^en-(gb|au|nz|ie|in|za)/.test(l) ? chrono.en.GB : chrono.en.casual;
  return [en, chrono.fr.casual];
}

/** Replaces window markers ("after", "avant") by "at"/"à" so chrono reads the time after them. */
function unmarkWindow(text: string): { text: string; dir?: 'after' | 'before' } {
  const plain = plainWords(text);
  for (const [dir, words] of [['after', AFTER_WORDS], ['before', BEFORE_WORDS]] as const) {
    for (const w of [...words].sort((a, b) => b.length - a.length)) {
      if (!hasPhrase(plain, w)) continue;
      // The same phrase in the original text, accents and curly apostrophes allowed.
      const pattern = w.replace(/a/g, '[aàâ]').replace(/e/g, '[eéèê]').replace(/'/g, "['’]");
      const re = new RegExp(`(^|[\\s,])${pattern}(?=\\s)`, 'i');
      return { text: text.replace(re, `$1${FRENCH_MARKERS.has(w) ? 'à' : 'at'}`), dir };
    }
  }
  return { text };
}

const FRENCH_MARKERS = new Set(['apres', 'a partir de', 'avant', "jusqu'a", 'jusqua']);

/** Reads a day and time with chrono; null when there is none, 'many' when more than one day is named. */
function readWhen(text: string, ref: Date, timeZone: string, locale: string): When | 'many' | null {
  const reference = { instant: ref, timezone: offsetMinutes(ref, timeZone) };
  // The business's language first; the other one when it reads more of the reply.
  let results: Chrono.ParsedResult[] = [];
  let covered = 0;
  for (const parser of parsersFor(locale)) {
    const r = parser.parse(text, reference, { forwardDate: true });
    const c = r.reduce((n, x) => n + x.text.length, 0);
    if (c > covered) [results, covered] = [r, c];
  }
  if (results.length === 0) return null;
  const dated = results.filter((r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('month'));
  const timed = results.filter((r) => r.start.isCertain('hour'));
  if (dated.length > 1 || timed.length > 1 || (results.length > 1 && new Set([...dated, ...timed]).size < results.length)) return 'many';
  const d = dated[0] ?? results[0]!;
  const t = timed[0];
  const when: When = {
    day: { year: d.start.get('year')!, month: d.start.get('month')!, day: d.start.get('day')! },
    weekdayOnly: d.start.isCertain('weekday') && !d.start.isCertain('day'),
    weekday: d.start.get('weekday') ?? new Date(Date.UTC(d.start.get('year')!, d.start.get('month')! - 1, d.start.get('day')!)).getUTCDay(),
  };
  if (t) {
    let hour = t.start.get('hour')!;
    // "at 3" with no am/pm, from a customer booking a business: the afternoon.
    if (!t.start.isCertain('meridiem') && hour >= 1 && hour <= 6) hour += 12;
    when.time = { hour, minute: t.start.get('minute') ?? 0 };
  }
  if (!dated[0] && t) {
    // A time only ("at 10am"): the next such time after the reference (chrono's day is it).
    when.day = { year: t.start.get('year')!, month: t.start.get('month')!, day: t.start.get('day')! };
    when.weekday = new Date(Date.UTC(when.day.year, when.day.month - 1, when.day.day)).getUTCDay();
  }
  return when;
}

function localDate(at: Date, timeZone: string): { key: string; weekday: number } {
  const l = localParts(at, timeZone);
  return { key: `${l.year}-${l.month}-${l.day}`, weekday: l.weekday };
}

function dayStart(d: LocalDay, timeZone: string, hour = 0): Date {
  if (hour >= 24) {
    const n = new Date(Date.UTC(d.year, d.month - 1, d.day) + DAY_MS);
    return zonedTimeToUtc({ year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate(), hour: 0, minute: 0 }, timeZone);
  }
  return zonedTimeToUtc({ ...d, hour, minute: 0 }, timeZone);
}

function window(from: Date, to: Date, ref: Date): SlotReply {
  const f = from < ref ? ref : from;
  return to > f ? { kind: 'window', from: f.toISOString(), to: to.toISOString() } : UNCLEAR;
}

/** The offered slot a reply's position refers to: "2", "#2", "option 2", "the second one", "le deuxième". */
function positions(plain: string, offer: SlotOffer): number[] {
  const toks = tokens(plain).map((t) => t.replace(/^#|^n°/, ''));
  const found = new Set<number>();
  for (const t of toks) {
    if (/^\d+$/.test(t)) found.add(Number(t));
    const o = ORDINALS[t];
    if (o !== undefined) found.add(o === -1 ? offer.slots.length : o);
  }
  const fillers = new Set(['option', 'number', 'slot', 'choice', 'please', 'the', 'le', 'la', 'numero', 'ok', 'i', "i'll", 'take', 'want', 'je', 'prends', 'svp', 'stp']);
  const rest = toks.filter((t) => !fillers.has(t));
  if (rest.length === 1 && NUMBER_WORDS[rest[0]!] !== undefined) found.add(NUMBER_WORDS[rest[0]!]!);
  return [...found];
}

/** See {@link import('./booking-api.js').readSlotReply}. */
export function readSlotReply(text: string, offer: SlotOffer, opts: { locale: string }): SlotReply {
  const trimmed = text.trim().slice(0, 500);
  if (!trimmed) return UNCLEAR;
  const plain = plainWords(trimmed);
  const ref = new Date(offer.offeredAt);
  const tz = offer.timeZone;
  const marked = unmarkWindow(trimmed);
  const when = readWhen(marked.text, ref, tz, opts.locale);
  if (when === 'many') return UNCLEAR;
  const words = tokens(plain);
  const pos = positions(plain, offer);

  if (!when) {
    if (words.some((w) => CANCEL_WORDS.includes(w))) return { kind: 'cancel' };
    if (words.some((w) => RESCHEDULE_WORDS.includes(w))) return { kind: 'reschedule' };
    if (pos.length === 1) {
      const slot = offer.slots.find((s) => s.n === pos[0]);
      return slot ? { kind: 'pick', slot } : UNCLEAR;
    }
    if (pos.length > 1) return UNCLEAR;
    if (NONE_PHRASES.some((p) => hasPhrase(plain, p))) return { kind: 'none' };
    if (offer.slots.length === 1 && YES_WORDS.some((w) => hasPhrase(plain, w))) return { kind: 'pick', slot: offer.slots[0]! };
    return UNCLEAR;
  }

  const sameDay = (s: OfferedSlot) => {
    const l = localDate(new Date(s.start), tz);
    return when.weekdayOnly ? l.weekday === when.weekday : l.key === `${when.day.year}-${when.day.month}-${when.day.day}`;
  };
  const byPosition = pos.length === 1 ? offer.slots.find((s) => s.n === pos[0]) : undefined;

  if (when.time && !marked.dir) {
    const start = zonedTimeToUtc({ ...when.day, ...when.time }, tz);
    if (start <= ref) return UNCLEAR;
    const exact = offer.slots.filter((s) => new Date(s.start).getTime() === start.getTime() || (when.weekdayOnly && sameDay(s) && localParts(new Date(s.start), tz).hour === when.time!.hour && localParts(new Date(s.start), tz).minute === when.time!.minute));
    if (exact.length === 1) return { kind: 'pick', slot: exact[0]! };
    if (exact.length > 1) return UNCLEAR;
    return { kind: 'time', start: start.toISOString() };
  }
  if (when.time && marked.dir) {
    const at = zonedTimeToUtc({ ...when.day, ...when.time }, tz);
    return marked.dir === 'after' ? window(at, dayStart(when.day, tz, 24), ref) : window(dayStart(when.day, tz), at, ref);
  }
  const part = DAY_PARTS.find((p) => p.words.some((w) => hasPhrase(plain, w)));
  if (part) return window(dayStart(when.day, tz, part.from), dayStart(when.day, tz, part.to), ref);
  if (WEEK_WORDS.some((w) => hasPhrase(plain, w))) return window(dayStart(when.day, tz), new Date(dayStart(when.day, tz).getTime() + 7 * DAY_MS), ref);

  const matches = offer.slots.filter(sameDay);
  if (byPosition) return matches.includes(byPosition) ? { kind: 'pick', slot: byPosition } : UNCLEAR;
  const asks = trimmed.includes('?');
  if (!asks && matches.length === 1) return { kind: 'pick', slot: matches[0]! };
  if (!asks && matches.length > 1) return UNCLEAR;
  return window(dayStart(when.day, tz), dayStart(when.day, tz, 24), ref);
}
