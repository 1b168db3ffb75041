import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import { formatAmount } from '../../ai/templates/invoice-reminder.js';
import { localTimeWords } from '../../core/time-words.js';
import { daySummary, type DaySummary, type SummaryItem } from '../day-summary.js';
import { countOf, listWords, minutesWords, type BriefContent, type BriefLine, type BriefPart } from './brief-content.js';

/** How many items of a list the brief shows (the dashboard has the rest). */
export const BRIEF_ITEMS = 5;
/** Longest item text in a brief, characters (names and subjects are outside text). */
const MAX_TEXT = 80;

const KIND_WORDS: Record<string, string> = { lead: 'New lead', missed_call: 'Missed call', message: 'Message', email: 'Email', approval: 'Approval', thread: 'Waiting', signal: 'Signal', invoice: 'Invoice', booking: 'Job' };

/** Where an item is acted on in the dashboard. */
export function dashboardPath(it: Pick<SummaryItem, 'kind' | 'id'>): string | null {
  switch (it.kind) {
    case 'approval': return '/approvals';
    case 'thread': return `/conversations/${encodeURIComponent(it.id)}`;
    case 'signal': return '/signals';
    case 'invoice': return '/invoices';
    case 'booking': return '/calendar';
    case 'lead': return '/contacts';
    case 'message': case 'email': case 'missed_call': return '/conversations';
    default: return null;
  }
}

const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s).replace(/[\r\n\t]+/g, ' ');

function itemLine(it: SummaryItem, tz: string, now: Date, locale: string): BriefLine {
  const since = it.at ? ` (${it.kind === 'booking' ? 'at' : 'since'} ${localTimeWords(new Date(it.at), tz, now, locale)})` : '';
  // A signal's subject may be a customer's words; the brief shows the kind and the subject clipped.
  const what = it.kind === 'signal' && it.detail ? `${it.title}: ${it.detail}` : it.title;
  // Message bodies are never in a brief; a signal's subject is, and is marked when a customer could have written it.
  return { text: clip(`${KIND_WORDS[it.kind] ?? it.kind}: ${what}`) + since, href: dashboardPath(it), untrusted: it.kind === 'signal' && it.untrusted && Boolean(it.detail) };
}

/** The four sections of a daily brief, in words, from a day's summary. */
export function dailyParts(d: DaySummary, tenant: Pick<TenantInfo, 'locale'>, now: Date): BriefPart[] {
  const money = (cents: number) => formatAmount(cents, d.moneyAtRisk.currency, tenant.locale);
  const since = localTimeWords(new Date(d.since), d.timeZone, now, tenant.locale);
  const c = d.cameIn;
  const cameIn = [c.newLeads && countOf(c.newLeads, 'new lead'), c.missedCalls && countOf(c.missedCalls, 'missed call'), c.messages && countOf(c.messages, 'message'), c.emails && countOf(c.emails, 'email')].filter((x): x is string => Boolean(x));
  const a = d.didForYou;
  const did = [a.textsSent && `sent ${countOf(a.textsSent, 'text')}`, a.emailsSent && `sent ${countOf(a.emailsSent, 'email')}`, a.bookings && `booked ${countOf(a.bookings, 'job')}`, a.invoicesChased && `chased ${countOf(a.invoicesChased, 'invoice')}`, a.questionsAnswered && `answered ${countOf(a.questionsAnswered, 'question')}`].filter((x): x is string => Boolean(x));
  const w = d.waiting;
  const waits = [w.approvals && countOf(w.approvals, 'approval'), w.threads && countOf(w.threads, 'thread'), w.signals && countOf(w.signals, 'open signal')].filter((x): x is string => Boolean(x));
  const m = d.moneyAtRisk;
  const risk = [
    m.overdue.count && `${money(m.overdue.cents)} overdue (${countOf(m.overdue.count, 'invoice')})`,
    m.dueSoon.count && `${money(m.dueSoon.cents)} due within ${m.dueSoon.days} days (${countOf(m.dueSoon.count, 'invoice')})`,
    m.unansweredLeads.count && `${countOf(m.unansweredLeads.count, 'lead')} not answered${m.unansweredLeads.cents ? ` (about ${money(m.unansweredLeads.cents)})` : ''}`,
  ].filter((x): x is string => Boolean(x));
  return [
    { id: 'came_in', title: 'What came in', summary: cameIn.length ? `${listWords(cameIn)} since ${since}.` : `Nothing new since ${since}.`, lines: c.items.slice(0, BRIEF_ITEMS).map((it) => itemLine(it, d.timeZone, now, tenant.locale)) },
    { id: 'did', title: 'What AIOS did', summary: did.length ? `AIOS ${listWords(did)}${a.minutesSaved ? `: ${minutesWords(a.minutesSaved)} saved` : ''}.` : 'AIOS had nothing to do.', lines: [] },
    { id: 'waits', title: 'What waits for you', summary: waits.length ? `${listWords(waits)} ${w.approvals + w.threads + w.signals === 1 ? 'waits' : 'wait'} for you, oldest first.` : 'Nothing waits for you.', lines: w.items.slice(0, BRIEF_ITEMS).map((it) => itemLine(it, d.timeZone, now, tenant.locale)) },
    { id: 'money', title: 'Money at risk', summary: risk.length ? `${listWords(risk)}.` : 'No money at risk.', lines: m.invoices.filter((i) => i.at && new Date(i.at) < now).slice(0, BRIEF_ITEMS).map((i) => ({ text: clip(`${i.title}: ${money(Number(i.detail))}`) + (i.at ? `, due ${localTimeWords(new Date(i.at), d.timeZone, now, tenant.locale)}` : ''), href: '/invoices', untrusted: false })) },
  ];
}

/**
 * The daily brief of one business for its local day: what came in and what AIOS did since
 * `since` (the previous brief, or 24 h), what waits (oldest first) and money at risk now.
 */
export async function composeDailyBrief(db: Db, tenant: TenantInfo, now: Date, since?: Date): Promise<BriefContent> {
  const d = await daySummary(db, tenant, { now, since, oldestFirst: true, limit: BRIEF_ITEMS });
  const parts = dailyParts(d, tenant, now);
  const waiting = d.waiting.approvals + d.waiting.threads + d.waiting.signals;
  return {
    kind: 'daily', localDate: d.localDate,
    subject: `${tenant.name}: your brief for ${d.localDate}${waiting ? ` (${waiting} waiting)` : ''}`,
    parts, figures: d as unknown as Record<string, unknown>,
  };
}
