import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { requireScope } from './require-scope.js';
import { formatBytes } from './body-limits.js';
import { NotFoundError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import { localParts } from '../../core/time-zone.js';
import { audit } from '../../records/audit.js';
import { userBusinesses } from '../../records/sessions.js';
import { ADS_MAX_BYTES, importAdsExport } from '../../leverage/client-report/ads-import.js';
import { lastCompleteWeek, weekStart } from '../../leverage/client-report/iso-week.js';
import { listClientReports, makeClientReport, SYSTEM_MAKER, type ClientReportRow } from '../../leverage/client-report/report-store.js';
import { APPROVE_MAX, approveReports } from '../../leverage/client-report/report-approve.js';
import { clientReportPdf } from '../../leverage/client-report/report-pdf.js';
import type { ReportContent, UncheckedNumber } from '../../leverage/client-report/report-content.js';
import { AdsImportSchema, ApproveResultSchema, ClientReportSchema } from './schemas/client-report.js';

type Ctx = Context<{ Variables: Vars }>;
/** Roles whose businesses the agency view spans. */
const REPORT_ROLES = ['owner', 'implementer'];

const WeekQuery = z.string().regex(/^\d{4}-W\d{2}$/, 'an ISO week, e.g. 2026-W48').optional().describe('ISO week (default: the last complete week)');
const Id = z.object({ id: z.string().min(1).max(100) });

/**
 * The businesses a caller's reports span: with a dashboard session, every business where the
 * person is owner or implementer (the agency); with a bearer token, only the token's business
 * (a token is bound to one business), and only for an owner's or implementer's token.
 */
export async function reportBusinesses(s: Services, c: Ctx): Promise<string[]> {
  const p = c.get('principal');
  if (p.kind === 'user' && p.tokenId.startsWith('ses_')) return (await userBusinesses(s.db, p.id)).filter((b) => REPORT_ROLES.includes(b.role)).map((b) => b.tenantId);
  return p.kind !== 'user' || (p.role && REPORT_ROLES.includes(p.role)) ? [c.get('tenantId')] : [];
}

/** The business a request names (`?business=<slug>`, default the session's or token's), if the caller may report on it; else 404. */
async function oneBusiness(s: Services, c: Ctx, slug: string | undefined): Promise<string> {
  const allowed = await reportBusinesses(s, c);
  const id = slug ? s.tenants.all().find((t) => t.slug === slug)?.id : c.get('tenantId');
  if (!id || !allowed.includes(id)) throw new NotFoundError('business', slug ?? c.get('tenantId'));
  return id;
}

function defaultWeek(s: Services, tenantId: string): string {
  const l = localParts(s.clock.now(), s.tenants.get(tenantId).timeZone);
  return lastCompleteWeek(`${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`);
}

function view(s: Services, r: ClientReportRow): z.infer<typeof ClientReportSchema> {
  const c = r.content as ReportContent;
  const t = s.tenants.get(r.tenant_id);
  return {
    id: r.id, business: { id: t.id, slug: t.slug, name: t.name }, week: r.week, weekStart: c.weekStart, weekEnd: c.weekEnd, status: r.status, summary: r.summary,
    summarySource: r.summary_source, unchecked: r.unchecked as UncheckedNumber[], figures: c.figures, sections: c.sections, adData: c.adData,
    approvedBy: r.approved_by, approvedAt: r.approved_at?.toISOString() ?? null, emailTo: r.email_to, sentAt: r.sent_at?.toISOString() ?? null, notSentReason: r.not_sent_reason, createdAt: r.created_at.toISOString(),
  };
}

async function ownReport(s: Services, c: Ctx, id: string): Promise<ClientReportRow> {
  const allowed = await reportBusinesses(s, c);
  const row = allowed.length ? await s.db.selectFrom('client_reports').selectAll().where('id', '=', id).where('tenant_id', 'in', allowed).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('client report', id);
  return row;
}

const MakeBody = z.object({
  week: WeekQuery,
  businesses: z.array(z.string().min(1).max(100)).max(500).optional().describe('slugs; default every business the caller reports on'),
}).strict();
const ApproveBody = z.object({
  ids: z.array(z.string().min(1).max(100)).min(1).max(APPROVE_MAX),
  confirm: z.array(z.string().min(1).max(100)).max(APPROVE_MAX).optional().describe('ids whose unchecked numbers you checked and accept'),
}).strict();

/**
 * Client reporting across businesses (issue 13.4), under `/api/v1`: `POST /client-reports/ads`
 * (propose; raw CSV of a Google Ads or Meta Ads export), `GET /client-reports?week=` (read; the
 * week's reports of every business the caller reports on, see {@link reportBusinesses}),
 * `POST /client-reports/make` (propose; made by the system), `POST /client-reports/approve`
 * (a batch, each checked against the caller's businesses), `GET /client-reports/{id}` and
 * `…/report.pdf` (read). A report of another business is a 404, never a 403.
 *
 * Approving is the agency's review of its own deliverable to the business's owner (no customer is
 * written to), which an implementer does: so the route asks for `propose` at the door (an
 * implementer holds no `decide`), then for the owner or implementer role in each report's business
 * ({@link reportBusinesses}), and `approveReports` refuses any principal that is not a person.
 */
export function clientReportRoutes(s: Services) {
  const app = openApiApp(s, 'GET /api/v1/client-reports?week=2026-W48; POST /api/v1/client-reports/make {"week":"2026-W48"}; POST /api/v1/client-reports/approve {"ids":["crp_…"],"confirm":[]}.');

  app.openapi(createRoute({
    method: 'post', path: '/client-reports/ads', summary: `Import a Google Ads or Meta Ads campaign export (raw CSV body, at most ${formatBytes(ADS_MAX_BYTES)}); re-importing replaces the same rows`,
    middleware: [requireScope('propose'), bodyLimit({ maxSize: ADS_MAX_BYTES, onError: (c) => c.json({ error: 'too_large', message: `the file is over ${formatBytes(ADS_MAX_BYTES)}`, fix: 'Export a shorter date range and import each file.' }, 413) })] as const,
    security: scoped('propose', { body: 'raw' }).security,
    request: { query: z.object({ business: z.string().max(100).optional().describe('slug; default the session\'s business'), name: z.string().min(1).max(200).default('ads.csv') }) },
    responses: { 200: jsonResponse(AdsImportSchema, 'imported'), 400: errorResponseDoc('a bad file: the message names each line and column'), 404: errorResponseDoc('not a business you report on'), 413: errorResponseDoc('file too large'), ...authResponses('propose') },
  }), async (c) => {
    const q = c.req.valid('query');
    const tenant = s.tenants.get(await oneBusiness(s, c, q.business));
    const r = await importAdsExport(s.db, tenant, { name: q.name, bytes: new Uint8Array(await c.req.arrayBuffer()) }, c.get('actor'), s.clock.now());
    await audit(s.db, tenant.id, c.get('actor'), 'client_report.ads_imported', r.importId, { platform: r.platform, rows: r.rows, replaced: r.replaced });
    return c.json({ ...r, business: tenant.slug }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/client-reports', summary: 'The week\'s client reports of every business you report on (owner or implementer), with the businesses that have none yet', ...scoped('read'),
    request: { query: z.object({ week: WeekQuery }) },
    responses: { 200: jsonResponse(z.object({ week: z.string(), reports: z.array(ClientReportSchema), missing: z.array(z.object({ slug: z.string(), name: z.string() })) }), 'the reports'), 400: errorResponseDoc('bad week'), ...authResponses('read') },
  }), async (c) => {
    const allowed = await reportBusinesses(s, c);
    const week = c.req.valid('query').week ?? defaultWeek(s, c.get('tenantId'));
    weekStart(week);
    const rows = await listClientReports(s.db, allowed, week);
    const missing = allowed.filter((id) => !rows.some((r) => r.tenant_id === id)).map((id) => s.tenants.get(id)).map((t) => ({ slug: t.slug, name: t.name }));
    return c.json({ week, reports: rows.map((r) => view(s, r)), missing }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/client-reports/make', summary: 'Make the week\'s client reports (once per business and week; made by the system, approved by a person)', ...scoped('propose'),
    request: { body: { content: { 'application/json': { schema: MakeBody } }, required: false } },
    responses: { 200: jsonResponse(z.object({ week: z.string(), reports: z.array(ClientReportSchema), made: z.array(z.string()) }), 'the week\'s reports, made now or before'), 400: errorResponseDoc('bad week'), 404: errorResponseDoc('a business you do not report on'), ...authResponses('propose') },
  }), async (c) => {
    const body = cleanDeep(c.req.valid('json') ?? {});
    const allowed = await reportBusinesses(s, c);
    const ids = body.businesses ? await Promise.all(body.businesses.map((slug) => oneBusiness(s, c, slug))) : allowed;
    const week = body.week ?? defaultWeek(s, c.get('tenantId'));
    weekStart(week);
    const made: string[] = [];
    const rows: ClientReportRow[] = [];
    for (const id of ids) {
      const r = await makeClientReport(s.db, s.host.deps.models, s.tenants.get(id), week, SYSTEM_MAKER, s.clock.now());
      if (r.made) {
        made.push(r.row.id);
        await audit(s.db, id, c.get('actor'), 'client_report.made', r.row.id, { week, summarySource: r.row.summary_source, unchecked: (r.row.unchecked as UncheckedNumber[]).map((u) => u.text) });
      }
      rows.push(r.row);
    }
    return c.json({ week, reports: rows.map((r) => view(s, r)), made }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/client-reports/approve', summary: 'Approve several client reports at once (a person who is owner or implementer of each report\'s business) and email each to its business\'s owner with the PDF; unchecked numbers need "confirm"', ...scoped('propose'),
    request: { body: { content: { 'application/json': { schema: ApproveBody } }, required: true } },
    responses: { 200: jsonResponse(z.object({ results: z.array(ApproveResultSchema), approved: z.number().int() }), 'one result per id, in order'), 400: errorResponseDoc('bad body'), 404: errorResponseDoc('an id is not a report of a business you report on: nothing was approved'), ...authResponses('propose') },
  }), async (c) => {
    const body = cleanDeep(c.req.valid('json'));
    const p = c.get('principal');
    const results = await approveReports({ db: s.db, channels: s.host.deps.channels, now: () => s.clock.now(), tenant: (id) => s.tenants.get(id) }, {
      ids: body.ids, confirm: body.confirm ?? [], allowed: await reportBusinesses(s, c), actor: c.get('actor'), kind: p.kind,
    });
    return c.json({ results, approved: results.filter((r) => r.ok).length }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/client-reports/{id}', summary: 'One client report', ...scoped('read'), request: { params: Id },
    responses: { 200: jsonResponse(ClientReportSchema, 'the report'), 404: errorResponseDoc('not a report of a business you report on'), ...authResponses('read') },
  }), async (c) => c.json(view(s, await ownReport(s, c, c.req.valid('param').id)), 200));

  app.openapi(createRoute({
    method: 'get', path: '/client-reports/{id}/report.pdf', summary: 'A client report as PDF', ...scoped('read'), request: { params: Id },
    responses: { 200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'PDF' }, 404: errorResponseDoc('not a report of a business you report on'), ...authResponses('read') },
  }), async (c) => {
    const r = await ownReport(s, c, c.req.valid('param').id);
    const content = r.content as ReportContent;
    return c.body(new Uint8Array(await clientReportPdf(content, r.summary)), 200, { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="report-${content.business.slug}-${r.week}.pdf"` });
  });
  return app;
}

