import { sql } from 'kysely';
import type { Db } from '../../store/db.js';

/** The steps from a fresh install to a first audit, in order. */
export const ONBOARDING_STEPS = ['business', 'contacts', 'invoices', 'mail', 'calendar', 'knowledge', 'audit'] as const;
export type OnboardingStepId = (typeof ONBOARDING_STEPS)[number];

/** One step of the checklist: done or not, what was found, and what to do next. */
export interface OnboardingStep {
  id: OnboardingStepId;
  title: string;
  done: boolean;
  /** What was found, in words ("42 contacts"). */
  detail: string;
  /** Counts behind `detail`. */
  counts: Record<string, number>;
  /** The next step on the command line (run on the AIOS machine). */
  command: string;
  /** The dashboard page where the step is done. */
  page: string;
}

/** The checklist of a business. */
export interface OnboardingChecklist {
  business: { slug: string; name: string };
  steps: OnboardingStep[];
  doneCount: number;
  total: number;
  /** The first step not done, or null when all are. */
  next: OnboardingStepId | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * True when the business has run the audit. The audit (another module) is expected to write
 * `audit.run` to the audit log when it completes; until it exists, this is never true.
 */
async function auditRuns(db: Db, tenantId: string): Promise<number> {
  const r = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('action', '=', 'audit.run').executeTakeFirstOrThrow();
  return r.n;
}

/**
 * The onboarding checklist of one business, from its own data (every count scoped by tenant):
 * contacts and invoices imported, mail (IMAP) and calendar (CalDAV or ICS) connected, knowledge
 * indexed (and how much of it came from the website), the audit run.
 */
export async function onboardingChecklist(db: Db, tenant: { id: string; slug: string; name: string }): Promise<OnboardingChecklist> {
  const t = tenant.id;
  const count = async (q: Promise<{ n: number } | undefined>) => (await q)?.n ?? 0;
  const [contacts, invoices, mail, calendar, docs, website, audits] = await Promise.all([
    count(db.selectFrom('contacts').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).executeTakeFirst()),
    count(db.selectFrom('invoices').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).executeTakeFirst()),
    count(db.selectFrom('connections').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).where('kind', '=', 'imap').where('status', '!=', 'disabled').executeTakeFirst()),
    count(db.selectFrom('connections').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).where('kind', 'in', ['caldav', 'ics']).where('status', '!=', 'disabled').executeTakeFirst()),
    count(db.selectFrom('knowledge_documents').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).where('status', '=', 'indexed').executeTakeFirst()),
    count(db.selectFrom('knowledge_documents').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', t).where('status', '=', 'indexed').where('source_url', 'is not', null).executeTakeFirst()),
    auditRuns(db, t),
  ]);
  const steps: OnboardingStep[] = [
    { id: 'business', title: 'Create the business', done: true, detail: `${tenant.name} (${tenant.slug})`, counts: {}, command: `edit tenants/${tenant.slug}/tenant.yaml`, page: '/settings' },
    { id: 'contacts', title: 'Import your contacts', done: contacts > 0, detail: plural(contacts, 'contact'), counts: { contacts }, command: 'aios import contacts contacts.csv', page: '/setup' },
    { id: 'invoices', title: 'Import your invoices', done: invoices > 0, detail: plural(invoices, 'invoice'), counts: { invoices }, command: 'aios import invoices invoices.csv', page: '/setup' },
    { id: 'mail', title: 'Connect your mailbox', done: mail > 0, detail: mail ? plural(mail, 'mailbox', 'mailboxes') : 'no mailbox connected', counts: { connections: mail }, command: 'aios connect imap', page: '/connections' },
    { id: 'calendar', title: 'Connect your calendar', done: calendar > 0, detail: calendar ? plural(calendar, 'calendar') : 'no calendar connected', counts: { connections: calendar }, command: 'aios connect caldav   (or: aios connect ics)', page: '/connections' },
    { id: 'knowledge', title: 'Teach AIOS your business', done: docs > 0, detail: `${plural(docs, 'file')} indexed, ${plural(website, 'website page')}`, counts: { files: docs, websitePages: website }, command: 'aios knowledge crawl https://your-website.example/', page: '/setup' },
    { id: 'audit', title: 'Run the audit', done: audits > 0, detail: audits ? 'done' : 'not run yet', counts: { runs: audits }, command: 'aios audit', page: '/audit' },
  ];
  const doneCount = steps.filter((s) => s.done).length;
  return { business: { slug: tenant.slug, name: tenant.name }, steps, doneCount, total: steps.length, next: steps.find((s) => !s.done)?.id ?? null };
}
