import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import { AiosError, InputError } from '../../core/errors.js';
import { listConnections, createConnection } from '../../connection/framework/connections.js';
import type { Connector } from '../../connection/framework/connector.js';
import type { SecretBox } from '../../connection/framework/secret-box.js';
import { listQuarantine } from '../../connection/framework/quarantine.js';
import { importCsvStream, type ImportResult } from '../../connection/csv/import.js';
import { afterInvoiceImport } from '../invoice-intake.js';
import { parseMappingArg, type ImportKind } from '../../connection/csv/formats.js';
import { errorResponse, fixFor } from './errors.js';
import { ADDRESS_REFUSED } from '../../connection/framework/address-policy.js';
import { IMPORT_MAX_BYTES } from './body-limits.js';
import type { Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { intQuery } from './schemas/common.js';
import { ConnectionBodySchema, ConnectionCreatedSchema, ConnectionSchema, ImportResultSchema, QuarantineItemSchema } from './schemas/connection.js';
import { audit } from '../../records/audit.js';

export { IMPORT_MAX_BYTES };
/** Media type of the streamed import answer: one JSON object per line (`progress`, then `result` or `error`). */
export const NDJSON = 'application/x-ndjson';

const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel'];

function limitParam(v: string | undefined, dflt = 200): number {
  const n = Number(v ?? dflt);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : dflt;
}

/**
 * Connection-layer API, to be mounted behind the bearer-auth middleware (which sets `tenantId`):
 * - `GET /connections` → `{ connections }` (status, last sync, backlog, last error; never credentials)
 * - `GET /quarantine?limit=` → `{ items }`, newest first
 * - `POST /imports/contacts|invoices?dryRun=1&map=Col=field,…` with the CSV as the body
 *   (text/csv, at most 50 MB) → ImportResult as JSON; with `Accept: application/x-ndjson` the
 *   answer streams `{"progress":…}` lines then `{"result":…}` (or `{"error":…}`).
 */
export function connectionRoutes(deps: {
  db: Db;
  log: Logger;
  /** For `POST /connections`: the known kinds, the key that encrypts credentials, and a hook to poll at once. */
  connect?: { connectors: Connector<any>[]; box: SecretBox; onCreated(connectionId: string): void; now(): Date };
}): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(deps, 'Send {"kind", "name"?, "credentials"} (`aios connect <kind> --help` lists what each kind needs).');
  const { db, log } = deps;
  // These routes also serve a bare app (tests, `aios` over a socket) with no error handler of its own.
  const failed = (c: Context, err: unknown) => errorResponse(c, err, log) as never;

  app.openapi(createRoute({
    method: 'get', path: '/connections', summary: 'Connections: status, last sync, backlog, last error; never credentials', ...scoped('read'),
    responses: { 200: jsonResponse(z.object({ connections: z.array(ConnectionSchema) }), 'connections'), ...authResponses('read') },
  }), async (c) => {
    try {
      return c.json({ connections: await listConnections(db, c.get('tenantId')) }, 200);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.openapi(createRoute({
    method: 'post', path: '/connections', summary: 'Connect a service (credentials checked first, stored encrypted; nothing saved when they fail)', ...scoped('admin'),
    request: { body: jsonBody(ConnectionBodySchema) },
    responses: { 201: jsonResponse(ConnectionCreatedSchema, 'connected; polled at once'), 400: errorResponseDoc('unknown kind, invalid credentials, or could not connect (nothing saved)'), ...authResponses('admin') },
  }), async (c) => {
    try {
      if (!deps.connect) throw new InputError('connections cannot be created on this server', { fix: 'Create connections on the AIOS instance that runs the connectors (`aios connect`).' });
      const body = c.req.valid('json');
      const connector = deps.connect.connectors.find((k) => k.kind === body.kind);
      if (!connector) throw new InputError(`unknown connection kind "${String(body.kind)}"`, { fix: `Known kinds: ${deps.connect.connectors.map((k) => k.kind).join(', ')}.` });
      const parsed = connector.credentials.safeParse(body.credentials ?? {});
      if (!parsed.success) {
        throw new InputError(`invalid credentials: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { fix: 'Correct the credentials named above; `aios connect <kind> --help` lists what each kind needs.' });
      }
      const tenantId = c.get('tenantId');
      try {
        await connector.validate({ tenantId, connectionId: '(new)', credentials: parsed.data, now: deps.connect.now });
      } catch (err) {
        const e = err as AiosError;
        // A refused address was never contacted: its message says nothing about what listens there.
        if (e.code === ADDRESS_REFUSED) return c.json({ error: e.code, message: e.message, fix: e.fix }, 400);
        // Nothing is saved, so nothing will be retried: a connector's "it will be retried" (said of a
        // saved connection's polls) would be untrue here.
        const fix = e.retryable || !e.fix ? 'Check the address, port, user and password and that the service is up, then run the command again.' : e.fix;
        return c.json({ error: e.code ?? 'connect_failed', message: `could not connect, nothing was saved: ${e.message}`, fix }, 400);
      }
      const row = await createConnection(db, deps.connect.box, { tenantId, kind: connector.kind, name: typeof body.name === 'string' && body.name ? body.name : connector.kind, credentials: parsed.data, connector });
      await audit(db, tenantId, c.get('actor'), 'connection.created', row.id, { kind: row.kind, name: row.name });
      deps.connect.onCreated(row.id);
      return c.json({ connection: { id: row.id, kind: row.kind, name: row.name, status: row.status } }, 201);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.openapi(createRoute({
    method: 'get', path: '/quarantine', summary: 'Items that could not be processed, with the reason, newest first', ...scoped('read'),
    request: { query: z.object({ limit: intQuery(1, 1000, 200) }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(QuarantineItemSchema) }), 'items'), ...authResponses('read') },
  }), async (c) => {
    try {
      return c.json({ items: await listQuarantine(db, c.get('tenantId'), limitParam(c.req.query('limit'))) }, 200);
    } catch (err) {
      return failed(c, err);
    }
  });

  app.openapi(createRoute({
    method: 'post', path: '/imports/{kind}', summary: 'CSV import of contacts or invoices (HubSpot, Pipedrive, QuickBooks, Xero); ?dryRun=1, ?map=Col=field', ...scoped('admin', { body: 'raw' }),
    middleware: [
      ...scoped('admin', { body: 'raw' }).middleware,
      bodyLimit({ maxSize: IMPORT_MAX_BYTES, onError: (c) => c.json({ error: 'too_large', message: `the CSV is over ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, fix: 'Split the file and import the parts (re-imports are safe).' }, 413) }),
    ],
    request: {
      params: z.object({ kind: z.string().openapi({ param: { name: 'kind', in: 'path' }, description: 'contacts or invoices' }) }),
      query: z.object({ dryRun: z.string().optional().openapi({ description: '1: report only, write nothing' }), map: z.string().optional().openapi({ description: 'Col=field,… column mapping' }) }),
      body: { content: { 'text/csv': { schema: z.string().openapi({ description: 'the CSV file, at most 50 MB' }) } }, required: true },
    },
    responses: {
      200: { content: { 'application/json': { schema: ImportResultSchema }, [NDJSON]: { schema: z.string().openapi({ description: 'with Accept: application/x-ndjson: {"progress": …} lines, then {"result": ImportResult} or {"error": …}' }) } }, description: 'per-row report' },
      400: errorResponseDoc('unreadable CSV or mapping'), 404: errorResponseDoc('unknown import kind'), 413: errorResponseDoc('over 50 MB'), 415: errorResponseDoc('not a CSV'), ...authResponses('admin'),
    },
  }), async (c) => {
    let kind: ImportKind, mapping: Record<string, string>, body: Readable;
    try {
      ({ kind, mapping, body } = readImportRequest(c));
    } catch (err) {
      return failed(c, err);
    }
    const tenantId = c.get('tenantId');
    const dryRun = ['1', 'true', 'yes'].includes(c.req.query('dryRun') ?? '');
    if (!(c.req.header('accept') ?? '').includes(NDJSON)) {
      try {
        const result = await importCsvStream(db, tenantId, body, { kind, mapping, dryRun });
        await auditImport(c, kind, result);
        return c.json(result, 200);
      } catch (err) {
        return failed(c, err);
      }
    }
    c.header('content-type', NDJSON);
    // The 200's application/x-ndjson form: a stream, not a JSON body the typed response could check.
    return stream(c, async (s) => {
      const line = (o: unknown) => s.write(JSON.stringify(o) + '\n');
      let pending = Promise.resolve();
      try {
        const result: ImportResult = await importCsvStream(db, tenantId, body, { kind, mapping, dryRun, onProgress: (p) => void (pending = pending.then(() => line({ progress: p }).then(() => undefined))) });
        await pending;
        await auditImport(c, kind, result);
        await line({ result });
      } catch (err) {
        await pending;
        if (!(err instanceof AiosError)) log.error({ err }, 'import failed');
        const e = err instanceof AiosError ? { error: err.code, message: err.message, fix: fixFor(err.fix, 400) } : { error: 'internal', message: 'internal error; see the server log', fix: fixFor('', 500) };
        await line({ error: e });
      }
    }) as never;
  });
  /** A real (not dry-run) import is an admin change: audited with its principal and counts. */
  async function auditImport(c: Context<{ Variables: Vars }>, kind: ImportKind, r: ImportResult): Promise<void> {
    if (r.dryRun) return;
    if (kind === 'invoices') await afterInvoiceImport(db, c.get('tenantId'));
    await audit(db, c.get('tenantId'), c.get('actor'), `import.${kind}`, null, { format: r.format, total: r.total, imported: r.imported, updated: r.updated, skipped: r.skipped });
  }
  return app;
}

function readImportRequest(c: Context): { kind: ImportKind; mapping: Record<string, string>; body: Readable } {
  const kind = c.req.param('kind');
  if (kind !== 'contacts' && kind !== 'invoices') throw new InputError(`unknown import kind "${kind}"`, { status: 404, fix: 'Use /imports/contacts or /imports/invoices.' });
  const ctype = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (ctype && !CSV_TYPES.includes(ctype)) throw new InputError(`expected text/csv, got "${ctype}"`, { status: 415, fix: 'Send the CSV file as the request body with Content-Type: text/csv.' });
  const raw = c.req.raw.body;
  if (!raw) throw new InputError('the request has no body', { fix: 'Send the CSV file as the request body.' });
  return { kind, mapping: parseMappingArg(c.req.query('map')), body: Readable.fromWeb(raw as unknown as WebReadableStream<Uint8Array>) };
}
