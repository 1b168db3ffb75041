import { Hono, type Context } from 'hono';
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
import { readJson } from './json-body.js';
import { IMPORT_MAX_BYTES } from './body-limits.js';
import type { Vars } from './services.js';
import { requireScope } from './require-scope.js';
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
}): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const { db, log } = deps;

  app.get('/connections', requireScope('read'), async (c) => {
    try {
      return c.json({ connections: await listConnections(db, c.get('tenantId')) });
    } catch (err) {
      return errorResponse(c, err, log);
    }
  });

  app.post('/connections', requireScope('admin'), async (c) => {
    try {
      if (!deps.connect) throw new InputError('connections cannot be created on this server', { fix: 'Create connections on the AIOS instance that runs the connectors (`aios connect`).' });
      const body = (await readJson(c.req)) as { kind?: unknown; name?: unknown; credentials?: unknown };
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
      return errorResponse(c, err, log);
    }
  });

  app.get('/quarantine', requireScope('read'), async (c) => {
    try {
      return c.json({ items: await listQuarantine(db, c.get('tenantId'), limitParam(c.req.query('limit'))) });
    } catch (err) {
      return errorResponse(c, err, log);
    }
  });

  app.post(
    '/imports/:kind',
    requireScope('admin'),
    bodyLimit({ maxSize: IMPORT_MAX_BYTES, onError: (c) => c.json({ error: 'too_large', message: `the CSV is over ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, fix: 'Split the file and import the parts (re-imports are safe).' }, 413) }),
    async (c) => {
      let kind: ImportKind, mapping: Record<string, string>, body: Readable;
      try {
        ({ kind, mapping, body } = readImportRequest(c));
      } catch (err) {
        return errorResponse(c, err, log);
      }
      const tenantId = c.get('tenantId');
      const dryRun = ['1', 'true', 'yes'].includes(c.req.query('dryRun') ?? '');
      if (!(c.req.header('accept') ?? '').includes(NDJSON)) {
        try {
          const result = await importCsvStream(db, tenantId, body, { kind, mapping, dryRun });
          await auditImport(c, kind, result);
          return c.json(result);
        } catch (err) {
          return errorResponse(c, err, log);
        }
      }
      c.header('content-type', NDJSON);
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
      });
    },
  );
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
