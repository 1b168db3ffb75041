import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { requireScope } from './require-scope.js';
import { DOCUMENT_UPLOAD_MAX_BYTES, formatBytes } from './body-limits.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { createOcr } from '../../knowledge/documents/index.js';
import { loadChecklists, type Checklist } from '../../autonomy/document-qc/checklist.js';
import { addFilesAndCheck } from '../../autonomy/document-qc/package-service.js';
import { createPackage, decideException, storedReport, submitPackage } from '../../autonomy/document-qc/package-store.js';
import { monday, qcLedgerSummary } from '../../autonomy/document-qc/ledger-rate.js';
import { storedFile, storedPage, type StoredFile } from '../../autonomy/document-qc/file-store.js';
import { reportMarkdown, reportPdf, verdict } from '../../autonomy/document-qc/report.js';
import '../../autonomy/document-qc/tables.js';

const FIX = 'Send the JSON body the OpenAPI document at /openapi.json describes.';
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const Id = z.object({ id: z.string().max(64) });
const PackageStatus = z.enum(['received', 'read', 'checked', 'exceptions_open', 'ready', 'submitted']);
const PackageRow = z.object({ id: z.string(), name: z.string(), checklistId: z.string(), status: PackageStatus, open: z.number(), createdAt: z.string(), checkedAt: z.string().nullable() });
const Evidence = z.object({ file: z.string(), page: z.number().nullable(), seen: z.string() });
const ExceptionView = z.object({
  id: z.string(), key: z.string(), kind: z.string(), item: z.string().nullable(), message: z.string(), evidence: z.array(Evidence),
  status: z.enum(['open', 'resolved', 'waived', 'requested']), note: z.string().nullable(),
});
const DocumentView = z.object({ file: z.string(), pages: z.array(z.number()), type: z.string(), blank: z.boolean(), fields: z.record(z.string(), z.object({ value: z.string(), page: z.number() })) });
const ReportView = z.object({
  id: z.string(), name: z.string(), status: PackageStatus, verdict: z.string(), checklist: z.object({ id: z.string(), label: z.string() }), asOf: z.string(),
  borrowers: z.array(z.string()), borrowersInferred: z.boolean(), documents: z.array(DocumentView), exceptions: z.array(ExceptionView),
});
const NewPackageBody = z.object({
  name: z.string().trim().min(1).max(200),
  checklist: z.string().max(64).default('purchase'),
  borrowers: z.array(z.string().trim().min(2).max(120)).max(4).default([]),
  clientEmail: z.string().email().max(254).nullable().default(null),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
}).strict();
const DecisionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('resolve'), note: z.string().max(1000).optional() }).strict(),
  z.object({ action: z.literal('waive'), reason: z.string().trim().min(3).max(1000) }).strict(),
  z.object({ action: z.literal('request'), note: z.string().max(1000).optional() }).strict(),
]);
const Rate = { firstChecks: z.number(), withExceptions: z.number(), rate: z.number().nullable(), reviewMinutes: z.number() };
const LedgerView = z.object({ since: z.string(), ...Rate, weeks: z.array(z.object({ week: z.string(), ...Rate })) });
const FileParams = z.object({ id: z.string().max(64), file: z.string().min(1).max(200) });
const FILE_RESPONSES = {
  'application/pdf': { schema: z.string().openapi({ format: 'binary' }) }, 'image/png': { schema: z.string().openapi({ format: 'binary' }) }, 'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
};
/** Uploaded bytes go back inline but inert: their own type only, never sniffed, sandboxed, not cached. */
const fileHeaders = (f: StoredFile, suffix = '') => ({
  'content-type': f.contentType, 'x-content-type-options': 'nosniff', 'content-security-policy': "sandbox; default-src 'none'", 'cache-control': 'private, no-store',
  'content-disposition': `inline; filename="${f.file.replace(/[^\w.-]+/g, '_')}${suffix}"`, etag: `"${f.sha256}"`,
});
const UPLOAD_TYPES: Record<string, string> = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg' };

/**
 * Document quality control over HTTP (under `/api/v1`): checklists, packages (create, list,
 * report as JSON, Markdown or PDF), uploads of PDFs and images (raw body up to 25 MiB, read and
 * checked at once), decisions on exceptions (resolve, waive with a reason, request from the
 * client — an email drafted that someone else approves) and submission, and the ledger's
 * first-check exception rate. Reading and uploading need `propose`; decisions need `decide`.
 */
export function documentQcRoutes(s: Services) {
  const app = openApiApp(s, FIX);
  const checklistsOf = (c: Context<{ Variables: Vars }>) => loadChecklists(s.tenants.get(c.get('tenantId')).dir);
  const checklistOf = (c: Context<{ Variables: Vars }>, id: string): Checklist => {
    const cl = checklistsOf(c).get(id);
    if (!cl) throw new InputError(`no checklist "${id}"`, { fix: `Use one of: ${[...checklistsOf(c).keys()].join(', ')} (GET /document-checklists).` });
    return cl;
  };
  const report = async (c: Context<{ Variables: Vars }>, id: string) => {
    const tenantId = c.get('tenantId');
    const pkg = await s.db.selectFrom('docqc_packages').select('checklist_id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!pkg) throw new NotFoundError('document package', id);
    const cl = checklistsOf(c).get(pkg.checklist_id) ?? { id: pkg.checklist_id, label: pkg.checklist_id };
    return storedReport(s.db, tenantId, id, cl);
  };
  const view = async (c: Context<{ Variables: Vars }>, id: string) => {
    const r = await report(c, id);
    return {
      id, name: r.packageName, status: r.status, verdict: verdict(r), checklist: r.checklist, asOf: r.asOf, borrowers: r.borrowers, borrowersInferred: r.borrowersInferred,
      documents: r.documents, exceptions: r.exceptions.map((e, i) => ({ id: r.exceptionIds[i]!, key: e.key, kind: e.kind, item: e.item, message: e.message, evidence: e.evidence, status: e.status, note: e.note })),
    };
  };

  app.openapi(createRoute({ method: 'get', path: '/document-checklists', summary: 'Checklists packages can be checked against', ...scoped('read'),
    responses: { 200: json(z.object({ checklists: z.array(z.object({ id: z.string(), label: z.string(), items: z.array(z.object({ id: z.string(), label: z.string(), types: z.array(z.string()), count: z.number() })) })) }), 'shipped and the business\'s own'), ...authResponses('read') } }),
  (c) => c.json({ checklists: [...checklistsOf(c).values()].map((cl) => ({ id: cl.id, label: cl.label, items: cl.items.map((i) => ({ id: i.id, label: i.label, types: i.types, count: i.count })) })) }, 200));

  app.openapi(createRoute({ method: 'get', path: '/document-packages', summary: 'Document packages, newest first', ...scoped('read'),
    responses: { 200: json(z.object({ packages: z.array(PackageRow) }), 'at most 200'), ...authResponses('read') } }), async (c) => {
    const rows = await s.db.selectFrom('docqc_packages as p')
      .select(['p.id', 'p.name', 'p.checklist_id', 'p.status', 'p.created_at', 'p.checked_at', (eb) => eb.selectFrom('docqc_exceptions as e').select((x) => x.fn.countAll<string>().as('n')).whereRef('e.package_id', '=', 'p.id').where('e.status', 'in', ['open', 'requested']).as('open')])
      .where('p.tenant_id', '=', c.get('tenantId')).orderBy('p.created_at', 'desc').limit(200).execute();
    return c.json({ packages: rows.map((r) => ({ id: r.id, name: r.name, checklistId: r.checklist_id, status: r.status, open: Number(r.open ?? 0), createdAt: r.created_at.toISOString(), checkedAt: r.checked_at?.toISOString() ?? null })) }, 200);
  });

  app.openapi(createRoute({ method: 'post', path: '/document-packages', summary: 'Create a document package', ...scoped('propose'),
    request: { body: { content: { 'application/json': { schema: NewPackageBody } }, required: true } },
    responses: { 201: json(ReportView, 'the empty package'), 400: errorResponseDoc('invalid body or unknown checklist'), ...authResponses('propose') } }), async (c) => {
    const b = c.req.valid('json');
    checklistOf(c, b.checklist);
    const tenant = s.tenants.get(c.get('tenantId'));
    const id = await createPackage(s.db, { tenantId: tenant.id, name: b.name, checklistId: b.checklist, borrowers: b.borrowers, clientEmail: b.clientEmail, asOf: b.asOf ?? s.clock.now().toISOString().slice(0, 10), createdBy: c.get('actor') });
    return c.json(await view(c, id), 201);
  });

  app.openapi(createRoute({ method: 'get', path: '/document-packages/{id}', summary: 'A package\'s exception report with evidence', ...scoped('read'), request: { params: Id },
    responses: { 200: json(ReportView, 'the report'), 404: errorResponseDoc('no such package'), ...authResponses('read') } }), async (c) => c.json(await view(c, c.req.valid('param').id), 200));

  app.openapi(createRoute({ method: 'get', path: '/document-packages/{id}/report.md', summary: 'The exception report as Markdown', ...scoped('read'), request: { params: Id },
    responses: { 200: { content: { 'text/markdown': { schema: z.string() } }, description: 'Markdown' }, 404: errorResponseDoc('no such package'), ...authResponses('read') } }), async (c) => {
    const r = await report(c, c.req.valid('param').id);
    return c.body(reportMarkdown(r), 200, { 'content-type': 'text/markdown; charset=utf-8' });
  });

  app.openapi(createRoute({ method: 'get', path: '/document-packages/{id}/report.pdf', summary: 'The exception report as PDF', ...scoped('read'), request: { params: Id },
    responses: { 200: { content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'PDF' }, 404: errorResponseDoc('no such package'), ...authResponses('read') } }), async (c) => {
    const r = await report(c, c.req.valid('param').id);
    return c.body(new Uint8Array(await reportPdf(r)), 200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="document-check.pdf"' });
  });

  app.openapi(createRoute({
    method: 'post', path: '/document-uploads/{id}', summary: `Add a PDF or image (raw body, at most ${formatBytes(DOCUMENT_UPLOAD_MAX_BYTES)}) and re-check the package`,
    middleware: [requireScope('propose'), bodyLimit({ maxSize: DOCUMENT_UPLOAD_MAX_BYTES, onError: (c) => c.json({ error: 'too_large', message: `the file is over ${formatBytes(DOCUMENT_UPLOAD_MAX_BYTES)}`, fix: 'Send each document as its own file, or scan at a lower resolution.' }, 413) })] as const,
    security: scoped('propose', { body: 'raw' }).security,
    request: { params: Id, query: z.object({ name: z.string().min(1).max(200).regex(/^[^/\\]+$/, 'a file name without folders') }) },
    responses: { 200: json(ReportView, 'the package after the check'), 400: errorResponseDoc('not a PDF, PNG or JPEG'), 404: errorResponseDoc('no such package'), 413: errorResponseDoc('file too large'), ...authResponses('propose') },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const tenantId = c.get('tenantId');
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const ext = UPLOAD_TYPES[type];
    if (!ext) throw new InputError(`content-type "${type || '(none)'}" is not a PDF or image`, { fix: 'Send the file as the raw body with content-type application/pdf, image/png or image/jpeg.' });
    const pkg = await s.db.selectFrom('docqc_packages').select(['checklist_id', 'status']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    if (!pkg) throw new NotFoundError('document package', id);
    if (pkg.status === 'submitted') throw new InputError('the package is already submitted', { status: 409, fix: 'Create a new package for further documents.' });
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const raw = c.req.valid('query').name;
    const name = raw.toLowerCase().endsWith(ext) || (ext === '.jpg' && /\.jpe?g$/i.test(raw)) ? raw : `${raw}${ext}`;
    const ocr = await createOcr();
    try {
      const out = await addFilesAndCheck(s.db, tenantId, id, [{ name, bytes }], checklistOf(c, pkg.checklist_id), ocr, s.clock.now());
      if (out.signal) await s.host.dispatchSignal(out.signal);
    } finally {
      await ocr.close();
    }
    return c.json(await view(c, id), 200);
  });

  app.openapi(createRoute({ method: 'post', path: '/document-packages/{id}/exceptions/{exceptionId}', summary: 'Resolve, waive (with a reason) or request from the client', ...scoped('decide'),
    request: { params: z.object({ id: z.string().max(64), exceptionId: z.string().max(64) }), body: { content: { 'application/json': { schema: DecisionBody } }, required: true } },
    responses: { 200: json(ReportView, 'the package after the decision'), 400: errorResponseDoc('no reason for a waiver'), 404: errorResponseDoc('no such package or exception'), 409: errorResponseDoc('submitted, or no client email for a request'), ...authResponses('decide') } }), async (c) => {
    const { id, exceptionId } = c.req.valid('param');
    const d = c.req.valid('json');
    const out = await decideException(s.db, c.get('tenantId'), id, exceptionId, d, c.get('actor'), c.get('principal').id, s.clock.now());
    if (out.requestSignal) await s.host.dispatchSignal(out.requestSignal);
    return c.json(await view(c, id), 200);
  });

  app.openapi(createRoute({ method: 'post', path: '/document-packages/{id}/submit', summary: 'Mark a ready package submitted', ...scoped('decide'), request: { params: Id },
    responses: { 200: json(ReportView, 'the submitted package'), 404: errorResponseDoc('no such package'), 409: errorResponseDoc('exceptions still open'), ...authResponses('decide') } }), async (c) => {
    const { id } = c.req.valid('param');
    await submitPackage(s.db, c.get('tenantId'), id, c.get('actor'), s.clock.now());
    return c.json(await view(c, id), 200);
  });

  app.openapi(createRoute({ method: 'get', path: '/document-packages/{id}/files/{file}', summary: 'An uploaded file as it was sent', ...scoped('read'), request: { params: FileParams },
    responses: { 200: { content: FILE_RESPONSES, description: 'the file' }, 404: errorResponseDoc('no such package or file in this business'), ...authResponses('read') } }), async (c) => {
    const { id, file } = c.req.valid('param');
    const f = await storedFile(s.db, c.get('tenantId'), id, file);
    return c.body(new Uint8Array(f.bytes), 200, fileHeaders(f));
  });

  app.openapi(createRoute({ method: 'get', path: '/document-packages/{id}/files/{file}/pages/{page}', summary: 'One page of an uploaded file (a PDF of that page, or the image): the page an exception points at', ...scoped('read'),
    request: { params: FileParams.extend({ page: z.coerce.number().int().min(1).max(10_000) }) },
    responses: { 200: { content: FILE_RESPONSES, description: 'the page' }, 404: errorResponseDoc('no such package, file or page in this business'), 409: errorResponseDoc('the PDF cannot be split (encrypted, corrupt): open the whole file'), ...authResponses('read') } }), async (c) => {
    const { id, file, page } = c.req.valid('param');
    const f = await storedPage(s.db, c.get('tenantId'), id, file, page);
    return c.body(new Uint8Array(f.bytes), 200, fileHeaders(f, f.contentType === 'application/pdf' ? `-page-${page}.pdf` : ''));
  });

  app.openapi(createRoute({ method: 'get', path: '/document-qc/ledger', summary: 'First-check exception rate and review minutes, in total and per week (default the last 13 weeks)', ...scoped('read'),
    request: { query: z.object({ weeks: z.coerce.number().int().min(1).max(104).default(13) }) },
    responses: { 200: json(LedgerView, 'from the ledger'), 400: errorResponseDoc('weeks not 1–104'), ...authResponses('read') } }), async (c) => {
    const now = s.clock.now();
    const since = new Date(monday(now).getTime() - (c.req.valid('query').weeks - 1) * 7 * 86_400_000);
    return c.json({ since: since.toISOString(), ...(await qcLedgerSummary(s.db, c.get('tenantId'), since, now)) }, 200);
  });
  return app;
}
