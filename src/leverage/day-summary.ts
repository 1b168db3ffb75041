import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { TenantInfo } from '../records/tenants.js';

/** How far back "what came in" and "what AIOS did" look by default, in hours. */
export const TODAY_WINDOW_HOURS = 24;
/** Invoices due within this many local days count as "due soon". */
export const DUE_SOON_DAYS = 7;
/** A lead with no answer counts toward money at risk for this many days after it came in. */
export const UNANSWERED_LEAD_DAYS = 30;
/** Ledger categories that are a chased invoice (a reminder sent, or paid after reminders). */
export const INVOICE_CHASE_CATEGORIES = ['invoice_chase', 'invoice_recovered'] as const;
/** Ledger categories that are a customer's question answered by AIOS. */
export const QUESTION_CATEGORIES = ['inbound_answer', 'call_answered'] as const;

/** One line of a list: a lead, a message, an approval, a signal, a thread, an invoice, a job. */
export interface SummaryItem {
  /** lead | missed_call | message | email | approval | signal | thread | invoice | booking */
  kind: string;
  id: string;
  /** Who or what: a contact name, phone or email, an invoice number. */
  title: string;
  /** A short line; for customer messages this text came from outside the business (untrusted). */
  detail: string | null;
  /** ISO 8601. */
  at: string | null;
  untrusted: boolean;
}

/** A count and a sum of money, in cents of the business's currency. */
export interface CountCents { count: number; cents: number }

/** The owner's day at a glance: what `GET /today` returns and what the daily brief is made of. */
export interface DaySummary {
  timeZone: string;
  /** Today in the business's time zone, YYYY-MM-DD. */
  localDate: string;
  /** Start of the window, ISO 8601 (default now − 24 h; the brief: its previous brief). */
  since: string;
  cameIn: { newLeads: number; missedCalls: number; messages: number; emails: number; items: SummaryItem[] };
  didForYou: { textsSent: number; emailsSent: number; bookings: number; invoicesChased: number; questionsAnswered: number; ledgerEntries: number; minutesSaved: number; valueCents: number };
  /** Items oldest first when `oldestFirst` was asked (the brief), else newest first (the Today page). */
  waiting: { approvals: number; signals: number; threads: number; items: SummaryItem[] };
  moneyAtRisk: {
    currency: string;
    overdue: CountCents;
    dueSoon: CountCents & { days: number };
    openDeals: CountCents;
    /** Leads of the last {@link UNANSWERED_LEAD_DAYS} days nobody answered, valued at `profile.average_job_value` each. */
    unansweredLeads: CountCents;
    invoices: SummaryItem[];
  };
  /** Bookings that start today, local time. */
  todaysJobs: SummaryItem[];
}

/** What to summarise. */
export interface DaySummaryOptions {
  /** The instant "now" (the business clock). */
  now: Date;
  /** Start of the window; default `now` − {@link TODAY_WINDOW_HOURS}. */
  since?: Date;
  /** Waiting items oldest first (the brief) instead of newest first. */
  oldestFirst?: boolean;
  /** How many items per list, default 12. */
  limit?: number;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const n = (x: unknown) => Number(x ?? 0);
type Row = { kind: string; id: string; title: string | null; detail: string | null; at: Date | null; untrusted: boolean };
const item = (x: Row): SummaryItem => ({ kind: x.kind, id: x.id, title: x.title ?? x.id, detail: x.detail, at: iso(x.at), untrusted: Boolean(x.untrusted) });

/**
 * The owner's day for one business, every query scoped by the tenant, day boundaries in the
 * business's time zone: what came in and what AIOS did since `since`, what waits for the owner
 * now, money at risk now and today's jobs. Owner notices (`owner.notify`, the brief itself) are not
 * counted as texts or emails AIOS sent.
 */
export async function daySummary(db: Db, tenant: TenantInfo, opts: DaySummaryOptions): Promise<DaySummary> {
  const t = tenant.id;
  const tz = tenant.timeZone;
  const now = opts.now;
  const since = opts.since ?? new Date(now.getTime() - TODAY_WINDOW_HOURS * 3_600_000);
  const limit = opts.limit ?? 12;
  const jobCents = Math.round((tenant.profile.average_job_value ?? 0) * 100);
  const leadFrom = new Date(now.getTime() - UNANSWERED_LEAD_DAYS * 86_400_000);
  const dueSoonEnd = sql`((${now}::timestamptz at time zone ${tz})::date + ${DUE_SOON_DAYS + 1}::int) at time zone ${tz}`;
  const overdue = sql`(status = 'overdue' or (status = 'open' and due_at < ${now}))`;
  const openDeal = sql`stage not in ('won', 'lost', 'done')`;
  // A lead is someone who came in (called, texted, wrote, filled a form): contacts the owner imported are the business's existing customers.
  const arrived = sql`coalesce(ct.source, '') <> 'import' and coalesce(ct.source, '') not like 'csv:%'`;

  const counts = sql<Record<string, string | number>>`
    select
      (select count(*) from contacts ct where ct.tenant_id = ${t} and ct.created_at > ${since} and ct.created_at <= ${now} and ${arrived}) as new_leads,
      (select coalesce(sum(occurrences), 0) from signals where tenant_id = ${t} and kind = 'missed_call' and updated_at > ${since} and updated_at <= ${now}) as missed_calls,
      (select count(*) from messages m join conversations cv on cv.id = m.conversation_id where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since} and m.created_at <= ${now} and cv.channel <> 'email') as messages,
      (select count(*) from messages m join conversations cv on cv.id = m.conversation_id where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since} and m.created_at <= ${now} and cv.channel = 'email') as emails,
      (select count(*) from outbox where tenant_id = ${t} and status = 'sent' and channel = 'sms' and kind <> 'owner.notify' and sent_at > ${since} and sent_at <= ${now}) as texts_sent,
      (select count(*) from outbox where tenant_id = ${t} and status = 'sent' and channel = 'email' and kind <> 'owner.notify' and sent_at > ${since} and sent_at <= ${now}) as emails_sent,
      (select count(*) from bookings where tenant_id = ${t} and status in ('booked', 'confirmed', 'done') and created_at > ${since} and created_at <= ${now}) as bookings,
      (select count(*) from ledger where tenant_id = ${t} and category = any(${[...INVOICE_CHASE_CATEGORIES]}) and created_at > ${since} and created_at <= ${now}) as invoices_chased,
      (select count(*) from ledger where tenant_id = ${t} and category = any(${[...QUESTION_CATEGORIES]}) and created_at > ${since} and created_at <= ${now}) as questions_answered,
      (select count(*) from ledger where tenant_id = ${t} and created_at > ${since} and created_at <= ${now}) as ledger_entries,
      (select coalesce(sum(minutes_saved), 0) from ledger where tenant_id = ${t} and created_at > ${since} and created_at <= ${now}) as minutes_saved,
      (select coalesce(sum(value_cents), 0) from ledger where tenant_id = ${t} and created_at > ${since} and created_at <= ${now}) as value_cents,
      (select count(*) from approvals where tenant_id = ${t} and status = 'pending' and deadline > ${now}) as approvals,
      (select count(*) from signals where tenant_id = ${t} and status = 'open') as signals,
      (select count(*) from conversations where tenant_id = ${t} and state = 'waiting_for_owner') as threads,
      (select count(*) from invoices where tenant_id = ${t} and ${overdue}) as overdue_n,
      (select coalesce(sum(amount_cents - amount_paid_cents), 0) from invoices where tenant_id = ${t} and ${overdue}) as overdue_cents,
      (select count(*) from invoices where tenant_id = ${t} and status = 'open' and due_at >= ${now} and due_at < ${dueSoonEnd}) as due_soon_n,
      (select coalesce(sum(amount_cents - amount_paid_cents), 0) from invoices where tenant_id = ${t} and status = 'open' and due_at >= ${now} and due_at < ${dueSoonEnd}) as due_soon_cents,
      (select count(*) from deals where tenant_id = ${t} and ${openDeal}) as open_deals_n,
      (select coalesce(sum(value_cents), 0) from deals where tenant_id = ${t} and ${openDeal}) as open_deals_cents,
      (select count(*) from contacts ct where ct.tenant_id = ${t} and ct.created_at > ${leadFrom} and ct.opted_out_at is null
          and exists (select 1 from conversations cv join messages m on m.conversation_id = cv.id where cv.tenant_id = ${t} and cv.contact_id = ct.id and m.direction = 'inbound')
          and not exists (select 1 from conversations cv join messages m on m.conversation_id = cv.id where cv.tenant_id = ${t} and cv.contact_id = ct.id and m.direction = 'outbound')) as unanswered_leads,
      to_char(${now}::timestamptz at time zone ${tz}, 'YYYY-MM-DD') as local_date`.execute(db);

  // What came in, newest first: new contacts, missed calls, inbound messages.
  const cameIn = sql<Row>`
    (select 'missed_call' as kind, s.id, s.subject as title, null as detail, s.updated_at as at, false as untrusted
       from signals s where s.tenant_id = ${t} and s.kind = 'missed_call' and s.updated_at > ${since} and s.updated_at <= ${now})
    union all
    (select case when cv.channel = 'email' then 'email' else 'message' end, m.id, coalesce(ct.name, cv.address), left(m.body, 140), m.created_at, true
       from messages m join conversations cv on cv.id = m.conversation_id left join contacts ct on ct.id = cv.contact_id and ct.tenant_id = ${t}
      where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since} and m.created_at <= ${now})
    union all
    (select 'lead', ct.id, coalesce(ct.name, ct.phone, ct.email, ct.id), ct.source, ct.created_at, false
       from contacts ct where ct.tenant_id = ${t} and ct.created_at > ${since} and ct.created_at <= ${now} and ${arrived})
    order by at desc limit ${limit}`.execute(db);
  // What waits for the owner: pending approvals, threads waiting, open signals.
  const waiting = sql<Row>`
    (select 'approval' as kind, a.id, coalesce(a.recipient, a.action_kind) as title, a.action_kind as detail, a.created_at as at, false as untrusted
       from approvals a where a.tenant_id = ${t} and a.status = 'pending' and a.deadline > ${now})
    union all
    (select 'thread', cv.id, coalesce(ct.name, cv.address), cv.channel, cv.waiting_since, false
       from conversations cv left join contacts ct on ct.id = cv.contact_id and ct.tenant_id = ${t}
      where cv.tenant_id = ${t} and cv.state = 'waiting_for_owner')
    union all
    -- A signal's subject can be a customer's words (a question AIOS could not answer, a mail's subject): untrusted,
    -- unless the business wrote it (its knowledge files, invoices, deals, meetings) or it is a caller's number.
    (select 'signal', sg.id, replace(sg.kind, '_', ' '), sg.subject, sg.created_at,
            not (sg.kind like 'missed_call%' or sg.kind like 'knowledge_expir%' or sg.kind like 'invoice_%' or sg.kind like 'deal_%' or sg.kind like 'meeting_%')
       from signals sg where sg.tenant_id = ${t} and sg.status = 'open')
    order by at ${opts.oldestFirst ? sql`asc` : sql`desc`} nulls last limit ${limit}`.execute(db);
  const money = sql<Row & { currency: string }>`
    select 'invoice' as kind, i.id, coalesce(i.customer_name, i.customer_email, i.number, i.id) as title,
           (i.amount_cents - i.amount_paid_cents)::text as detail, i.due_at as at, false as untrusted, i.currency
      from invoices i where i.tenant_id = ${t} and (i.status = 'overdue' or (i.status = 'open' and i.due_at < ${dueSoonEnd}))
     order by i.due_at asc nulls last limit 8`.execute(db);
  const jobs = sql<Row>`
    select 'booking' as kind, b.id, coalesce(ct.name, b.address) as title, b.status as detail, b.starts_at as at, false as untrusted
      from bookings b left join contacts ct on ct.id = b.contact_id and ct.tenant_id = ${t}
     where b.tenant_id = ${t} and b.status in ('booked', 'confirmed')
       and b.starts_at >= ((${now}::timestamptz at time zone ${tz})::date) at time zone ${tz}
       and b.starts_at < ((${now}::timestamptz at time zone ${tz})::date + 1) at time zone ${tz}
     order by b.starts_at limit 20`.execute(db);
  const [k, inRows, waitRows, moneyRows, jobRows] = await Promise.all([counts, cameIn, waiting, money, jobs]);
  const r = k.rows[0]!;
  const unanswered = n(r.unanswered_leads);
  return {
    timeZone: tz, localDate: String(r.local_date), since: since.toISOString(),
    cameIn: { newLeads: n(r.new_leads), missedCalls: n(r.missed_calls), messages: n(r.messages), emails: n(r.emails), items: inRows.rows.map(item) },
    didForYou: {
      textsSent: n(r.texts_sent), emailsSent: n(r.emails_sent), bookings: n(r.bookings), invoicesChased: n(r.invoices_chased), questionsAnswered: n(r.questions_answered),
      ledgerEntries: n(r.ledger_entries), minutesSaved: n(r.minutes_saved), valueCents: n(r.value_cents),
    },
    waiting: { approvals: n(r.approvals), signals: n(r.signals), threads: n(r.threads), items: waitRows.rows.map(item) },
    moneyAtRisk: {
      currency: moneyRows.rows[0]?.currency ?? tenant.currency ?? 'CAD',
      overdue: { count: n(r.overdue_n), cents: n(r.overdue_cents) },
      dueSoon: { count: n(r.due_soon_n), cents: n(r.due_soon_cents), days: DUE_SOON_DAYS },
      openDeals: { count: n(r.open_deals_n), cents: n(r.open_deals_cents) },
      unansweredLeads: { count: unanswered, cents: unanswered * jobCents },
      invoices: moneyRows.rows.map(item),
    },
    todaysJobs: jobRows.rows.map(item),
  };
}
