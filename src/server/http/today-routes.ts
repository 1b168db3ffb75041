import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { Services } from './services.js';
import { authResponses, openApiApp, scoped } from './openapi-app.js';

/** How far back "what came in" and "what AIOS did" look, in hours. */
export const TODAY_WINDOW_HOURS = 24;
/** Invoices due within this many local days count as "due soon". */
export const DUE_SOON_DAYS = 7;

const Count = z.number().int().nonnegative();
const Item = z.object({
  kind: z.string().describe('lead | missed_call | message | email | approval | signal | thread | invoice'),
  id: z.string(),
  title: z.string().describe('who or what: a contact name, phone or email, an invoice number'),
  detail: z.string().nullable().describe('a short line; for customer messages this text came from outside the business (untrusted)'),
  at: z.string().nullable().describe('ISO 8601'),
  untrusted: z.boolean(),
});
const TodaySchema = z.object({
  timeZone: z.string(),
  localDate: z.string().describe('today in the business\'s time zone, YYYY-MM-DD'),
  since: z.string().describe('start of the window, ISO 8601 (now − 24 h)'),
  cameIn: z.object({ newLeads: Count, missedCalls: Count, messages: Count, emails: Count, items: z.array(Item) }),
  didForYou: z.object({ textsSent: Count, emailsSent: Count, bookings: Count, ledgerEntries: Count, minutesSaved: z.number(), valueCents: z.number() }),
  waiting: z.object({ approvals: Count, signals: Count, threads: Count, items: z.array(Item) }),
  moneyAtRisk: z.object({
    currency: z.string(),
    overdue: z.object({ count: Count, cents: z.number() }),
    dueSoon: z.object({ count: Count, cents: z.number(), days: Count }),
    openDeals: z.object({ count: Count, cents: z.number() }),
    invoices: z.array(Item),
  }),
  todaysJobs: z.array(Item).describe('bookings that start today, local time'),
});

/** The response of `GET /api/v1/today`. */
export type Today = z.infer<typeof TodaySchema>;

const route = createRoute({
  method: 'get', path: '/today', summary: 'Today: what came in (24 h), what AIOS did, what waits for you, money at risk; in the business\'s time zone',
  ...scoped('read'),
  responses: { 200: { content: { 'application/json': { schema: TodaySchema } }, description: 'the day at a glance' }, ...authResponses('read') },
});

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const n = (x: unknown) => Number(x ?? 0);

/**
 * `GET /today` (read, under `/api/v1`): the owner's day in five queries, every one scoped by the
 * tenant, day boundaries in the business's time zone.
 */
export function todayRoutes(s: Services) {
  const app = openApiApp(s, 'GET /api/v1/today takes no parameters.');
  app.openapi(route, async (c) => {
    const t = c.get('tenantId');
    const tenant = s.tenants.get(t);
    const tz = tenant.timeZone;
    const now = s.clock.now();
    const since = new Date(now.getTime() - TODAY_WINDOW_HOURS * 3_600_000);

    const counts = sql<Record<string, string | number>>`
      select
        (select count(*) from contacts where tenant_id = ${t} and created_at > ${since}) as new_leads,
        (select coalesce(sum(occurrences), 0) from signals where tenant_id = ${t} and kind = 'missed_call' and updated_at > ${since}) as missed_calls,
        (select count(*) from messages m join conversations cv on cv.id = m.conversation_id where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since} and cv.channel <> 'email') as messages,
        (select count(*) from messages m join conversations cv on cv.id = m.conversation_id where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since} and cv.channel = 'email') as emails,
        (select count(*) from outbox where tenant_id = ${t} and status = 'sent' and channel = 'sms' and kind <> 'owner.notify' and sent_at > ${since}) as texts_sent,
        (select count(*) from outbox where tenant_id = ${t} and status = 'sent' and channel = 'email' and sent_at > ${since}) as emails_sent,
        (select count(*) from bookings where tenant_id = ${t} and status in ('booked', 'confirmed', 'done') and created_at > ${since}) as bookings,
        (select count(*) from ledger where tenant_id = ${t} and created_at > ${since}) as ledger_entries,
        (select coalesce(sum(minutes_saved), 0) from ledger where tenant_id = ${t} and created_at > ${since}) as minutes_saved,
        (select coalesce(sum(value_cents), 0) from ledger where tenant_id = ${t} and created_at > ${since}) as value_cents,
        (select count(*) from approvals where tenant_id = ${t} and status = 'pending' and deadline > ${now}) as approvals,
        (select count(*) from signals where tenant_id = ${t} and status = 'open') as signals,
        (select count(*) from conversations where tenant_id = ${t} and state = 'waiting_for_owner') as threads,
        (select count(*) from invoices where tenant_id = ${t} and (status = 'overdue' or (status = 'open' and due_at < ${now}))) as overdue_n,
        (select coalesce(sum(amount_cents - amount_paid_cents), 0) from invoices where tenant_id = ${t} and (status = 'overdue' or (status = 'open' and due_at < ${now}))) as overdue_cents,
        (select count(*) from invoices where tenant_id = ${t} and status = 'open' and due_at >= ${now} and due_at < ((${now}::timestamptz at time zone ${tz})::date + ${DUE_SOON_DAYS + 1}::int) at time zone ${tz}) as due_soon_n,
        (select coalesce(sum(amount_cents - amount_paid_cents), 0) from invoices where tenant_id = ${t} and status = 'open' and due_at >= ${now} and due_at < ((${now}::timestamptz at time zone ${tz})::date + ${DUE_SOON_DAYS + 1}::int) at time zone ${tz}) as due_soon_cents,
        (select count(*) from deals where tenant_id = ${t} and stage not in ('won', 'lost', 'done')) as open_deals_n,
        (select coalesce(sum(value_cents), 0) from deals where tenant_id = ${t} and stage not in ('won', 'lost', 'done')) as open_deals_cents,
        to_char(${now}::timestamptz at time zone ${tz}, 'YYYY-MM-DD') as local_date`.execute(s.db);

    type Row = { kind: string; id: string; title: string | null; detail: string | null; at: Date | null; untrusted: boolean };
    // What came in, newest first: new contacts, missed calls, inbound messages.
    const cameIn = sql<Row>`
      (select 'missed_call' as kind, s.id, s.subject as title, null as detail, s.updated_at as at, false as untrusted
         from signals s where s.tenant_id = ${t} and s.kind = 'missed_call' and s.updated_at > ${since})
      union all
      (select case when cv.channel = 'email' then 'email' else 'message' end, m.id, coalesce(ct.name, cv.address), left(m.body, 140), m.created_at, true
         from messages m join conversations cv on cv.id = m.conversation_id left join contacts ct on ct.id = cv.contact_id and ct.tenant_id = ${t}
        where m.tenant_id = ${t} and m.direction = 'inbound' and m.created_at > ${since})
      union all
      (select 'lead', ct.id, coalesce(ct.name, ct.phone, ct.email, ct.id), ct.source, ct.created_at, false
         from contacts ct where ct.tenant_id = ${t} and ct.created_at > ${since})
      order by at desc limit 12`.execute(s.db);
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
      order by at desc nulls last limit 12`.execute(s.db);
    const money = sql<Row & { currency: string }>`
      select 'invoice' as kind, i.id, coalesce(i.customer_name, i.customer_email, i.number, i.id) as title,
             (i.amount_cents - i.amount_paid_cents)::text as detail, i.due_at as at, false as untrusted, i.currency
        from invoices i where i.tenant_id = ${t} and (i.status = 'overdue' or (i.status = 'open' and i.due_at < ((${now}::timestamptz at time zone ${tz})::date + ${DUE_SOON_DAYS + 1}::int) at time zone ${tz}))
       order by i.due_at asc nulls last limit 8`.execute(s.db);
    const jobs = sql<Row>`
      select 'booking' as kind, b.id, coalesce(ct.name, b.address) as title, b.status as detail, b.starts_at as at, false as untrusted
        from bookings b left join contacts ct on ct.id = b.contact_id and ct.tenant_id = ${t}
       where b.tenant_id = ${t} and b.status in ('booked', 'confirmed')
         and b.starts_at >= ((${now}::timestamptz at time zone ${tz})::date) at time zone ${tz}
         and b.starts_at < ((${now}::timestamptz at time zone ${tz})::date + 1) at time zone ${tz}
       order by b.starts_at limit 20`.execute(s.db);
    const [k, inRows, waitRows, moneyRows, jobRows] = await Promise.all([counts, cameIn, waiting, money, jobs]);
    const r = k.rows[0]!;
    const item = (x: Row) => ({ kind: x.kind, id: x.id, title: x.title ?? x.id, detail: x.detail, at: iso(x.at), untrusted: Boolean(x.untrusted) });
    const currency = moneyRows.rows[0]?.currency ?? tenant.currency ?? 'CAD';
    return c.json({
      timeZone: tz, localDate: String(r.local_date), since: since.toISOString(),
      cameIn: { newLeads: n(r.new_leads), missedCalls: n(r.missed_calls), messages: n(r.messages), emails: n(r.emails), items: inRows.rows.map(item) },
      didForYou: { textsSent: n(r.texts_sent), emailsSent: n(r.emails_sent), bookings: n(r.bookings), ledgerEntries: n(r.ledger_entries), minutesSaved: n(r.minutes_saved), valueCents: n(r.value_cents) },
      waiting: { approvals: n(r.approvals), signals: n(r.signals), threads: n(r.threads), items: waitRows.rows.map(item) },
      moneyAtRisk: {
        currency,
        overdue: { count: n(r.overdue_n), cents: n(r.overdue_cents) },
        dueSoon: { count: n(r.due_soon_n), cents: n(r.due_soon_cents), days: DUE_SOON_DAYS },
        openDeals: { count: n(r.open_deals_n), cents: n(r.open_deals_cents) },
        invoices: moneyRows.rows.map(item),
      },
      todaysJobs: jobRows.rows.map(item),
    }, 200);
  });
  return app;
}
