import type { AuditKey } from './questions.js';
import { ACTION_KINDS as K, type ActionMinutes } from '../../records/action-minutes.js';

/** Something a playbook needs connected before it can work. */
export type ConnectionNeed = 'phone' | 'email' | 'calendar' | 'payments';
export const CONNECTION_WORDS: Record<ConnectionNeed, string> = {
  phone: 'phone number (Twilio)', email: 'inbox (IMAP/SMTP)', calendar: 'calendar (CalDAV or ICS)', payments: 'invoices (Stripe or CSV import)',
};

/** How much an automation is worth per month, and the sentences that show the arithmetic. */
export interface Estimate {
  /** Times it would run per month. */
  runsPerMonth: number;
  /** Owner's hours saved per month. */
  hoursPerMonth: number;
  /** Revenue at risk recovered per month, dollars. */
  revenuePerMonth: number;
  reasoning: string[];
}

/** An automation the audit can recommend: a playbook of this build, or a system not yet available. */
export interface CatalogEntry {
  /** The playbook id (`src/autonomy/playbooks`), or the id of an upcoming system. */
  id: string;
  title: string;
  /** False for systems this build does not have yet (scored, never applied). */
  available: boolean;
  /** Set when the playbook is a part of another entry and not recommended alone: that entry's id. */
  partOf?: string;
  /** What it saves, in one sentence. */
  saves: string;
  /** The audit inputs its estimate reads. */
  drivers: AuditKey[];
  connections: ConnectionNeed[];
  /** What the owner has to do to switch it on. */
  setupSteps: string[];
  risk: 'low' | 'medium' | 'high';
  riskWhy: string;
  /** True for office work: its hours saved are capped by the owner's admin hours. */
  adminWork?: boolean;
  /** Playbooks that are halves of this one: "apply" switches them the same way (e.g. the overdue half of invoice chasing). */
  alsoSwitches?: string[];
  /** An entry that recovers the same work (the same missed calls): totals count only the larger of the two. */
  overlapsWith?: string;
  estimate?(v: Record<AuditKey, number>): Estimate;
}

/** Weeks per month (52 / 12). */
export const WEEKS_PER_MONTH = 4.33;
const DAYS_PER_MONTH = 30.44;

const n1 = (x: number) => String(Math.round(x * 10) / 10);
const pct = (x: number) => `${Math.round(x * 100)}%`;
const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/** `runs` per month at `action.minutes` each (`records/action-minutes.ts`), plus `recovered` jobs × job value, with the sentences saying so. */
function est(runs: number, runsWhy: string, action: ActionMinutes, v: Record<AuditKey, number>, recovered?: { share: number; why: string }): Estimate {
  const { minutes, source: minutesWhy } = action;
  const hours = (runs * minutes) / 60;
  const reasoning = [`${runsWhy} = ${n1(runs)} a month.`, `${minutesWhy}: ${n1(runs)} × ${minutes} min = ${n1(hours)} h a month.`];
  let revenue = 0;
  if (recovered && runs > 0) {
    revenue = runs * recovered.share * v.averageJobValue;
    reasoning.push(`${recovered.why}: ${n1(runs)} × ${pct(recovered.share)} × ${usd(v.averageJobValue)} average job = ${usd(revenue)} a month.`);
  }
  return { runsPerMonth: runs, hoursPerMonth: hours, revenuePerMonth: revenue, reasoning };
}

const missedPerMonth = (v: Record<AuditKey, number>) => v.callsPerWeek * v.missedCallShare * WEEKS_PER_MONTH;
const missedWhy = (v: Record<AuditKey, number>) => `${n1(v.callsPerWeek)} calls a week × ${pct(v.missedCallShare)} missed × ${WEEKS_PER_MONTH} weeks`;
const leadsPerMonth = (v: Record<AuditKey, number>) => v.leadsPerWeek * WEEKS_PER_MONTH;
const leadsWhy = (v: Record<AuditKey, number>) => `${n1(v.leadsPerWeek)} leads a week × ${WEEKS_PER_MONTH} weeks`;

/**
 * Every playbook of this build (a test checks the list against `ALL_PLAYBOOKS`) and the system
 * still to come, with what each saves, the inputs and connections it needs, its setup and risk.
 * The shares (callers who would have gone elsewhere, leads won by answering in a minute, …) are
 * stated assumptions, shown in every reasoning that uses them.
 */
export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'missed-call-text-back', title: 'Missed-call text-back', available: true,
    saves: 'Texts every caller you missed within a minute, with your booking link, and hands you the reply.',
    drivers: ['callsPerWeek', 'missedCallShare', 'averageJobValue', 'hourlyValue'], connections: ['phone'],
    setupSteps: ['Point your Twilio number\'s voice and SMS webhooks at AIOS'], risk: 'low', riskWhy: 'one short text to someone who just called you',
    estimate: (v) => est(missedPerMonth(v), missedWhy(v), K.missedCallBack, v, { share: 0.15, why: 'Assuming 15% of missed callers would otherwise have called a competitor and now book' }),
  },
  {
    id: 'phone-call', title: 'AI receptionist (answers calls)', available: true, overlapsWith: 'missed-call-text-back',
    saves: 'Answers the calls you cannot take, takes the details and books or hands over.',
    drivers: ['callsPerWeek', 'missedCallShare', 'averageJobValue', 'hourlyValue'], connections: ['phone'],
    setupSteps: ['Point your Twilio number\'s voice webhook at AIOS', 'Set voice.mode in tenant.yaml', 'Write the greeting and the questions to ask'], risk: 'high', riskWhy: 'talks to customers live in your name',
    estimate: (v) => {
      const e = est(missedPerMonth(v), missedWhy(v), K.callAnswered, v, { share: 0.25, why: 'Assuming 25% of missed callers book when someone answers at once' });
      e.reasoning.push('It counts the same missed calls as the missed-call text-back: choose one first.');
      return e;
    },
  },
  {
    id: 'lead-response', title: 'Speed-to-lead reply', available: true,
    saves: 'Answers every new web or mail lead within a minute, from your knowledge, and offers a time.',
    drivers: ['leadsPerWeek', 'leadResponseHours', 'averageJobValue', 'hourlyValue'], connections: [],
    setupSteps: ['Put the web form or chat widget on your site', 'Check your prices and FAQs in knowledge/'], risk: 'medium', riskWhy: 'writes to new customers from your knowledge',
    estimate: (v) => {
      const share = v.leadResponseHours >= 1 ? Math.min(0.2, 0.05 * Math.log2(1 + v.leadResponseHours)) : 0.02;
      return est(leadsPerMonth(v), leadsWhy(v), K.leadFirstAnswer, v, { share, why: `You answer in ${n1(v.leadResponseHours)} h; assuming ${pct(share)} more leads become jobs when answered in a minute` });
    },
  },
  {
    id: 'appointment', title: 'Booking from a conversation', available: true,
    saves: 'Offers free times from your calendar, books the slot and confirms it.',
    drivers: ['leadsPerWeek', 'hourlyValue'], connections: ['calendar'],
    setupSteps: ['Connect your calendar', 'Set booking hours and job lengths in tenant.yaml'], risk: 'medium', riskWhy: 'writes to your calendar and confirms times to customers',
    estimate: (v) => est(leadsPerMonth(v) * 0.5, `${leadsWhy(v)} × 50% asking for a time`, K.bookingBackAndForth, v),
  },
  {
    id: 'review-request', title: 'Review request after a job', available: true,
    saves: 'Asks each happy customer for a review when the job is done.',
    drivers: ['invoicesPerMonth', 'averageJobValue', 'hourlyValue'], connections: ['phone'],
    setupSteps: ['Set your review link in tenant.yaml', 'Mark jobs done (or let bookings do it)'], risk: 'low', riskWhy: 'one polite text after a finished job',
    estimate: (v) => est(v.invoicesPerMonth, `${n1(v.invoicesPerMonth)} jobs a month (one per invoice)`, K.reviewAsk, v, { share: 0.02, why: 'Assuming one job in 50 brings a new customer through reviews' }),
  },
  {
    id: 'invoice-chase', title: 'Invoice chasing', available: true,
    saves: 'Reminds customers before and after the due date, politely, with the payment link.',
    drivers: ['invoicesPerMonth', 'lateInvoiceShare', 'averageJobValue', 'hourlyValue'], connections: ['payments'], adminWork: true, alsoSwitches: ['invoice-chase-overdue'],
    setupSteps: ['Connect Stripe or import invoices (CSV)'], risk: 'low', riskWhy: 'reminders about money owed; the owner approves the firm ones',
    estimate: (v) => est(v.invoicesPerMonth * v.lateInvoiceShare, `${n1(v.invoicesPerMonth)} invoices a month × ${pct(v.lateInvoiceShare)} paid late`, K.invoiceChase, v, { share: 0.1, why: 'Assuming 10% of late invoices would otherwise never be paid' }),
  },
  { id: 'invoice-chase-overdue', title: 'Invoice chasing (overdue)', available: true, partOf: 'invoice-chase', saves: 'The after-due-date half of invoice chasing.', drivers: [], connections: ['payments'], setupSteps: [], risk: 'low', riskWhy: 'part of invoice chasing' },
  {
    id: 'inbox-triage', title: 'Inbox triage', available: true,
    saves: 'Sorts incoming mail (leads, customers, invoices, noise) and drafts replies to the routine ones.',
    drivers: ['emailsPerDay', 'adminHoursPerWeek', 'hourlyValue'], connections: ['email'], adminWork: true,
    setupSteps: ['Connect your inbox (IMAP/SMTP)'], risk: 'low', riskWhy: 'labels and drafts; nothing is sent without the policy',
    estimate: (v) => est(v.emailsPerDay * DAYS_PER_MONTH, `${n1(v.emailsPerDay)} emails a day × ${DAYS_PER_MONTH} days`, K.emailSort, v),
  },
  { id: 'email-relabel', title: 'Learning from your relabels', available: true, partOf: 'inbox-triage', saves: 'Teaches inbox triage from the mails you move.', drivers: [], connections: ['email'], setupSteps: [], risk: 'low', riskWhy: 'part of inbox triage' },
  {
    id: 'proposal', title: 'Proposal drafting', available: true,
    saves: 'Drafts a priced proposal from your price list when a deal asks for one.',
    drivers: ['leadsPerWeek', 'adminHoursPerWeek', 'hourlyValue'], connections: [], adminWork: true,
    setupSteps: ['Put your price list in knowledge/'], risk: 'medium', riskWhy: 'quotes prices; the owner approves before it is sent',
    estimate: (v) => est(leadsPerMonth(v) * 0.3, `${leadsWhy(v)} × 30% needing a written quote`, K.proposalWrite, v),
  },
  {
    id: 'meeting-follow-up', title: 'Meeting follow-up', available: true,
    saves: 'Sends the recap and next step after each meeting in your calendar.',
    drivers: ['leadsPerWeek', 'hourlyValue'], connections: ['calendar', 'email'],
    setupSteps: ['Connect your calendar', 'Connect your inbox'], risk: 'medium', riskWhy: 'mails customers a summary in your name',
    estimate: (v) => est(leadsPerMonth(v) * 0.3, `${leadsWhy(v)} × 30% meeting you`, K.meetingFollowUp, v),
  },
  {
    id: 'stalled-deal-nudge', title: 'Stalled-deal nudge', available: true,
    saves: 'Nudges quotes that went quiet, before they go cold.',
    drivers: ['leadsPerWeek', 'averageJobValue', 'hourlyValue'], connections: [],
    setupSteps: ['Keep deals in AIOS (leads create them)'], risk: 'low', riskWhy: 'a short check-in to someone who asked for a quote',
    estimate: (v) => est(leadsPerMonth(v) * 0.2, `${leadsWhy(v)} × 20% going quiet`, K.dealNudge, v, { share: 0.1, why: 'Assuming 10% of quiet quotes are won by a timely nudge' }),
  },
  { id: 'document-request', title: 'Document requests to clients', available: true, partOf: 'document-qc', saves: 'Emails a client what their loan package still needs, after your approval.', drivers: [], connections: ['email'], setupSteps: [], risk: 'low', riskWhy: 'part of document QC; always approved by a person' },
  { id: 'inbound-message', title: 'Conversation replies', available: true, partOf: 'missed-call-text-back', saves: 'Answers the replies of customers AIOS is talking to.', drivers: [], connections: ['phone'], setupSteps: [], risk: 'medium', riskWhy: 'part of the conversations' },
  { id: 'owner-reply', title: "Owner's replies by text", available: true, partOf: 'missed-call-text-back', saves: 'Relays what you text back to the customer.', drivers: [], connections: ['phone'], setupSteps: [], risk: 'low', riskWhy: 'part of the conversations' },
  { id: 'proposed-sms', title: 'Texts proposed by assistants', available: true, partOf: 'lead-response', saves: 'Runs texts proposed over the API or MCP through the policy.', drivers: [], connections: ['phone'], setupSteps: [], risk: 'medium', riskWhy: 'infrastructure' },
  { id: 'proposed-tool-call', title: 'Tool calls proposed by assistants', available: true, partOf: 'lead-response', saves: 'Runs tool calls proposed over MCP through the policy.', drivers: [], connections: [], setupSteps: [], risk: 'medium', riskWhy: 'infrastructure' },
  {
    id: 'content-engine', title: 'Content engine', available: true,
    saves: 'Drafts your weekly posts from the jobs you did and the questions customers asked.',
    drivers: ['postsPerWeek', 'hourlyValue'], connections: [],
    setupSteps: ['Add a blog post, notes or a transcript (aios content add)', 'Approve the week in one sitting (Content page)'], risk: 'medium', riskWhy: 'publishes in your name',
    estimate: (v) => est(v.postsPerWeek * WEEKS_PER_MONTH, `${n1(v.postsPerWeek)} posts a week × ${WEEKS_PER_MONTH} weeks`, K.socialPost, v),
  },
  {
    id: 'document-qc', title: 'Document QC', available: true,
    saves: 'Checks documents (applications, forms, contracts) for missing pieces before you do.',
    drivers: ['documentsPerWeek', 'adminHoursPerWeek', 'hourlyValue'], connections: ['email'], adminWork: true,
    setupSteps: ['Check a package: aios docs check <folder> or the Documents page', 'Add your own checklist if yours differs from the purchase mortgage one (optional)'], risk: 'medium', riskWhy: 'a missed error still needs a person',
    estimate: (v) => est(v.documentsPerWeek * WEEKS_PER_MONTH, `${n1(v.documentsPerWeek)} documents a week × ${WEEKS_PER_MONTH} weeks`, K.documentCheck, v),
  },
];
