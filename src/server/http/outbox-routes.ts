import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import type { OutboxRow } from '../../store/schema.js';
import { limitParam } from './limit-param.js';
import { LimitQuery } from './schemas/common.js';
import { OutboxEntrySchema } from './schemas/outbox.js';

/**
 * Notices to the owner can carry a decision link: below `admin`, their text (in the payload and in
 * the provider's echo of it) is not shown.
 */
function redactOwnerNotice(row: OutboxRow): OutboxRow {
  if (row.kind !== 'owner.notify') return row;
  const hidden = '(redacted: owner notice)';
  const echo = row.provider_response && typeof row.provider_response === 'object' ? { ...(row.provider_response as Record<string, unknown>), body: hidden } : row.provider_response;
  return { ...row, payload: { ...row.payload, body: hidden }, provider_response: echo };
}

/** `GET /outbox?limit=` (read): messages queued and sent, newest first (owner notices redacted below admin). */
export function outboxRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.');
  app.openapi(createRoute({
    method: 'get', path: '/outbox', summary: 'Messages queued and sent, newest first (owner notices redacted below admin)', ...scoped('read'),
    request: { query: z.object({ limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ outbox: z.array(OutboxEntrySchema) }), 'outbox'), 400: errorResponseDoc('limit out of range'), ...authResponses('read') },
  }), async (c) => {
    const rows = await s.db.selectFrom('outbox').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ outbox: c.get('principal').scopes.includes('admin') ? rows : rows.map(redactOwnerNotice) }, 200);
  });
  return app;
}
