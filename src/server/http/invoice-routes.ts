import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { listInvoices, markInvoicePaid } from '../../autonomy/invoices/invoice-api.js';
import { audit } from '../../records/audit.js';
import { InputError } from '../../core/errors.js';
import { IdParam, intQuery } from './schemas/common.js';
import { InvoicePaidSchema, InvoiceSchema } from './schemas/invoice.js';

const STATUSES = ['unpaid', 'draft', 'open', 'paid', 'void', 'uncollectible', 'overdue'];

/**
 * Invoices over HTTP (under `/api/v1/invoices`, bearer-authenticated, tenant-scoped).
 * `GET /?status=unpaid|open|paid|…&limit=N` lists invoices with their chase (`read`).
 * `POST /:id/paid` marks one paid (`decide`, audited): the chase run stops and writes the ledger.
 */
export function invoiceRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Pass ?status= and ?limit= as the OpenAPI document describes.');

  app.openapi(createRoute({
    method: 'get', path: '/', summary: 'Invoices with their chase', ...scoped('read'),
    request: { query: z.object({ status: z.string().optional().openapi({ description: STATUSES.join(', ') }), limit: intQuery(1, 500, 100) }) },
    responses: { 200: jsonResponse(z.object({ invoices: z.array(InvoiceSchema) }), 'invoices'), 400: errorResponseDoc('unknown status or limit out of range'), ...authResponses('read') },
  }), async (c) => {
    const status = c.req.query('status');
    if (status && !STATUSES.includes(status)) throw new InputError(`unknown status "${status}"`, { fix: `Use one of: ${STATUSES.join(', ')}.` });
    const limit = Number(c.req.query('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new InputError('limit must be an integer from 1 to 500', { fix: 'Pass ?limit=100 or leave it out.' });
    return c.json({ invoices: await listInvoices(s.db, c.get('tenantId'), { status, limit }) }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/{id}/paid', summary: 'Mark an invoice paid: the chase stops and the ledger records it (audited)', ...scoped('decide'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(InvoicePaidSchema, 'paid (or already paid)'), 404: errorResponseDoc('no such invoice in your business'), ...authResponses('decide') },
  }), async (c) => {
    const tenantId = c.get('tenantId');
    const id = c.req.valid('param').id;
    const r = await markInvoicePaid(s.db, tenantId, id, s.clock.now());
    if (!r.alreadyPaid) await audit(s.db, tenantId, c.get('actor'), 'invoice.marked_paid', id, { chaseStopped: r.chaseStopped });
    return c.json(r, 200);
  });
  return app;
}
