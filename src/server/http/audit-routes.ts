import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import type { Services, Vars } from './services.js';
import { InputError } from '../../core/errors.js';
import { AUDIT_QUESTIONS, AuditAnswers, tradeDefaults } from '../../leverage/audit/questions.js';
import { measureInputs } from '../../leverage/audit/measure.js';
import { blueprintMarkdown, blueprintPdf } from '../../leverage/audit/blueprint-document.js';
import { applyAudit, auditResults, auditView, getAudit, latestAudit, runAudit, type AuditRow } from '../audit-service.js';
import { AuditSchema, ErrorSchema, MeasuredSchema, ResultSchema } from './audit-schemas.js';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = {
  400: json(ErrorSchema, 'bad input: the message says what, the fix what to send'),
  403: json(ErrorSchema, 'the token or session lacks the scope'),
  404: json(ErrorSchema, 'no such audit in this business'),
  409: json(ErrorSchema, 'the audit is not in the state this needs'),
};
const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, example: 'aud_0190a1b2c3d4e5f6a7b8c9d0' }) });
const FileParam = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{1,100}\.(md|pdf)$/, 'must be <audit id>.md or <audit id>.pdf').openapi({ param: { name: 'file', in: 'path' }, example: 'aud_0190a1b2c3d4e5f6a7b8c9d0.pdf' }) });

/**
 * The audit that decides what to automate first (issue 11): measured inputs, run an audit
 * (answers → stored blueprint; `admin`: owners and implementers), the latest audit, its Markdown
 * or PDF export (`/audits/<id>.md`, `/audits/<id>.pdf`), apply it (`admin`: the top playbooks to
 * shadow first, in order) and its shadow results against the estimate (`propose`: it replays
 * playbooks in shadow, which calls a configured model). Every query is scoped to the caller's business.
 */
export function auditRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        throw new InputError(`invalid request: ${issues}`, { fix: `Send only the audit questions as numbers, e.g. {"answers": {"callsPerWeek": 40, "hourlyValue": 90}} (keys: ${AUDIT_QUESTIONS.map((q) => q.key).join(', ')}).` });
      }
    },
  });
  const tenantOf = (c: { get(k: 'tenantId'): string }) => s.tenants.get(c.get('tenantId'));

  app.openapi(createRoute({
    method: 'get', path: '/audit/inputs', summary: 'The audit questions with the volumes measured from the last 8 weeks of history', ...scoped('read'),
    responses: { ...authResponses('read'), 200: json(z.object({ inputs: MeasuredSchema }), 'measured values (by question key), what could not be measured, the questions and the assumed defaults'), 403: errors[403] },
  }), async (c) => {
    const tenant = tenantOf(c);
    const m = await measureInputs(s.db, tenant.id, s.clock.now());
    return c.json({ inputs: { ...m, values: m.values as Record<string, { value: number; basis: string; window: { since: string; until: string } }>, questions: [...AUDIT_QUESTIONS], defaults: tradeDefaults(tenant.profile?.trade) } }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/audits', summary: 'Run an audit: answers (any subset) → a stored, ranked blueprint', ...scoped('admin'),
    request: { body: { content: { 'application/json': { schema: z.object({ answers: AuditAnswers.default({}) }).strict() } }, required: false } },
    responses: { ...authResponses('admin'), 201: json(z.object({ audit: AuditSchema }), 'the audit with its blueprint'), 400: errors[400], 403: errors[403] },
  }), async (c) => {
    const body = c.req.valid('json') as { answers?: AuditAnswers } | undefined;
    const row = await runAudit(s, tenantOf(c), c.get('actor'), body?.answers ?? {});
    return c.json({ audit: auditView(row) }, 201);
  });

  app.openapi(createRoute({
    method: 'get', path: '/audits/latest', summary: 'The newest audit of this business (null when none was run)', ...scoped('read'),
    responses: { ...authResponses('read'), 200: json(z.object({ audit: AuditSchema.nullable() }), 'the newest audit or null'), 403: errors[403] },
  }), async (c) => {
    const row = await latestAudit(s, c.get('tenantId'));
    return c.json({ audit: row ? auditView(row) : null }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/audits/{file}', summary: 'The blueprint as Markdown (<id>.md) or PDF (<id>.pdf)', ...scoped('read'),
    request: { params: FileParam },
    responses: { ...authResponses('read'),
      200: { content: { 'text/markdown': { schema: z.string() }, 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'the document, ranked highest impact per effort first' },
      400: errors[400], 403: errors[403], 404: errors[404],
    },
  }), async (c) => {
    const { file } = c.req.valid('param');
    const [id, ext] = [file.slice(0, file.lastIndexOf('.')), file.slice(file.lastIndexOf('.') + 1)];
    const tenant = tenantOf(c);
    const row = await getAudit(s, tenant.id, id);
    const header = { business: tenant.name, date: row.created_at.toISOString().slice(0, 10), auditId: row.id };
    if (ext === 'md') return c.body(blueprintMarkdown(row.blueprint, header), 200, { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `inline; filename="blueprint-${row.id}.md"` });
    const pdf = await blueprintPdf(row.blueprint, header);
    return c.body(pdf as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="blueprint-${row.id}.pdf"` });
  });

  app.openapi(createRoute({
    method: 'post', path: '/audits/{id}/apply', summary: 'Apply: the top playbooks of the blueprint, in order, to shadow first (nothing is sent)', ...scoped('admin'),
    request: { params: IdParam, body: { content: { 'application/json': { schema: z.object({ top: z.number().int().min(1).max(10).optional() }).strict() } }, required: false } },
    responses: { ...authResponses('admin'), 200: json(z.object({ audit: AuditSchema }), 'the audit with `applied`: each playbook and its mode'), 400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409] },
  }), async (c) => {
    const body = c.req.valid('json') as { top?: number } | undefined;
    const row: AuditRow = await applyAudit(s, tenantOf(c), c.req.valid('param').id, c.get('actor'), body?.top);
    return c.json({ audit: auditView(row) }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/audits/{id}/results', summary: 'Shadow results of the applied playbooks against the audit\'s estimate (replayed now; nothing is sent or kept)', ...scoped('propose'),
    request: { params: IdParam, query: z.object({ days: z.coerce.number().int().min(1).max(365).optional().openapi({ description: 'replay window in days (default 30)' }) }) },
    responses: { ...authResponses('propose'), 200: json(z.object({ auditId: z.string(), appliedAt: z.string().nullable(), results: z.array(ResultSchema) }), 'per playbook: estimate, shadow replay, verdict'), 400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409] },
  }), async (c) => {
    const { audit, results } = await auditResults(s, c.get('tenantId'), c.req.valid('param').id, c.req.valid('query').days);
    return c.json({ auditId: audit.id, appliedAt: audit.applied_at?.toISOString() ?? null, results }, 200);
  });

  return app;
}
