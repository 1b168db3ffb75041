import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from './services.js';
import { daySummary, UNANSWERED_LEAD_DAYS } from '../../leverage/day-summary.js';
import { authResponses, openApiApp, scoped } from './openapi-app.js';

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
  didForYou: z.object({ textsSent: Count, emailsSent: Count, bookings: Count, invoicesChased: Count, questionsAnswered: Count, ledgerEntries: Count, minutesSaved: z.number(), valueCents: z.number() }),
  waiting: z.object({ approvals: Count, signals: Count, threads: Count, items: z.array(Item) }),
  moneyAtRisk: z.object({
    currency: z.string(),
    overdue: z.object({ count: Count, cents: z.number() }),
    dueSoon: z.object({ count: Count, cents: z.number(), days: Count }),
    openDeals: z.object({ count: Count, cents: z.number() }),
    unansweredLeads: z.object({ count: Count, cents: z.number() }).describe(`leads of the last ${UNANSWERED_LEAD_DAYS} days nobody answered, at profile.average_job_value each`),
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

/**
 * `GET /today` (read, under `/api/v1`): the owner's day (src/leverage/day-summary.ts), every query
 * scoped by the tenant, day boundaries in the business's time zone.
 */
export function todayRoutes(s: Services) {
  const app = openApiApp(s, 'GET /api/v1/today takes no parameters.');
  app.openapi(route, async (c) => c.json(await daySummary(s.db, s.tenants.get(c.get('tenantId')), { now: s.clock.now() }), 200));
  return app;
}
