import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from './services.js';
import { authResponses, openApiApp, scoped } from './openapi-app.js';
import { audit } from '../../records/audit.js';
import { latestBrief, type BriefRow } from '../../leverage/brief/brief-store.js';
import { briefSettings } from '../../leverage/brief/brief-time.js';
import { briefRecipient } from '../../leverage/brief/brief-mail.js';
import { briefNow } from '../../leverage/brief/run-briefs.js';
import type { BriefContent } from '../../leverage/brief/brief-content.js';

const Kind = z.enum(['daily', 'weekly']);
const Line = z.object({ text: z.string(), href: z.string().nullable().describe('dashboard path, e.g. /approvals'), untrusted: z.boolean().describe('carries a customer\'s words (a name, a subject)') });
const Part = z.object({ id: z.enum(['came_in', 'did', 'waits', 'money', 'ledger']), title: z.string(), summary: z.string(), lines: z.array(Line) });
const BriefSchema = z.object({
  id: z.string(),
  kind: Kind,
  localDate: z.string().describe('the business\'s local date, YYYY-MM-DD'),
  periodStart: z.string().describe('ISO 8601'),
  periodEnd: z.string().describe('ISO 8601'),
  createdAt: z.string().describe('ISO 8601'),
  subject: z.string(),
  parts: z.array(Part),
  emailed: z.boolean(),
  sentAt: z.string().nullable().describe('when the mail left, ISO 8601'),
  emailTo: z.string().nullable(),
  notEmailedReason: z.string().nullable().describe('why it was not emailed (email off, no address, no mail server, refused); null while sending or once sent'),
});
const Schedule = z.object({
  timeZone: z.string(),
  dailyAt: z.string().describe('local HH:MM'),
  weeklyOn: z.string(),
  email: z.boolean().describe('brief.email in tenant.yaml'),
  to: z.string().nullable(),
  cannotEmail: z.string().nullable().describe('why briefs cannot be emailed now, or null'),
});
const View = z.object({ brief: BriefSchema.nullable().describe('the latest brief of the kind; null before the first'), schedule: Schedule });

/** A brief as `GET /api/v1/brief` answers it. */
export type BriefView = z.infer<typeof BriefSchema>;

const getRoute = createRoute({
  method: 'get', path: '/brief', summary: 'The latest daily brief (or weekly report) and whether it was emailed, with the brief schedule',
  ...scoped('read'),
  request: { query: z.object({ kind: Kind.default('daily') }) },
  responses: { 200: { content: { 'application/json': { schema: View } }, description: 'the latest brief (null before the first) and when they are made' }, ...authResponses('read') },
});
const sendRoute = createRoute({
  method: 'post', path: '/brief/send', summary: 'Make today\'s brief now (also before its time) and email it unless it already was; once per day',
  ...scoped('admin'),
  request: { body: { content: { 'application/json': { schema: z.object({ kind: Kind.default('daily') }).strict() } }, required: false } },
  responses: { 200: { content: { 'application/json': { schema: z.object({ brief: BriefSchema }) } }, description: 'today\'s brief, as stored' }, ...authResponses('admin') },
});

function view(row: BriefRow): BriefView {
  const c = row.content as BriefContent;
  return {
    id: row.id, kind: row.kind, localDate: row.local_date, periodStart: row.period_start.toISOString(), periodEnd: row.period_end.toISOString(), createdAt: row.created_at.toISOString(),
    subject: c.subject, parts: c.parts, emailed: row.sent_at !== null, sentAt: row.sent_at?.toISOString() ?? null, emailTo: row.email_to, notEmailedReason: row.not_sent_reason,
  };
}

/**
 * `GET /brief` (read) and `POST /brief/send` (admin, audited), under `/api/v1`: the owner's daily
 * brief and weekly report (src/leverage/brief/). Only the caller's business is ever read.
 */
export function briefRoutes(s: Services) {
  const app = openApiApp(s, 'GET /api/v1/brief takes ?kind=daily|weekly; POST /api/v1/brief/send takes {"kind":"daily"|"weekly"} or no body.');
  app.openapi(getRoute, async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const row = await latestBrief(s.db, tenant.id, c.req.valid('query').kind);
    const set = briefSettings(tenant);
    const who = briefRecipient(tenant, s.host.deps.channels);
    return c.json({
      brief: row ? view(row) : null,
      schedule: { timeZone: tenant.timeZone, dailyAt: set.daily_at, weeklyOn: set.weekly_on, email: set.email, to: set.to ?? tenant.owner.email ?? null, cannotEmail: 'reason' in who ? who.reason : null },
    }, 200);
  });
  app.openapi(sendRoute, async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const kind = c.req.valid('json')?.kind ?? 'daily';
    const r = await briefNow({ db: s.db, channels: s.host.deps.channels, now: () => s.clock.now(), tenants: s.tenants, dashboardUrl: s.publicUrl }, tenant, kind);
    await audit(s.db, tenant.id, c.get('actor'), 'brief.send', r.row.id, { kind, localDate: r.row.local_date, mail: r.mail?.status ?? 'already settled' });
    return c.json({ brief: view(r.row) }, 200);
  });
  return app;
}
