import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import type { Services, Vars } from './services.js';
import { getConnection } from '../../connection/framework/connections.js';
import { audit } from '../../records/audit.js';

/**
 * `POST /connections/:id/poll` (admin): polls one of this business's connections now (after
 * fixing its password or when a sync is late). Another business's connection id → 404. The poll
 * runs in the background; its outcome shows in `GET /connections` (status, last error, last sync).
 */
export function connectionPollRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>();
  app.openapi(createRoute({
    method: 'post', path: '/connections/{id}/poll', summary: 'Poll a connection now', ...scoped('admin'),
    request: { params: z.object({ id: z.string().max(100) }) },
    responses: { ...authResponses('admin'),
      202: { content: { 'application/json': { schema: z.object({ connection: z.object({ id: z.string(), name: z.string() }), note: z.string() }) } }, description: 'poll started' },
      404: { content: { 'application/json': { schema: z.object({ error: z.string(), message: z.string(), fix: z.string() }) } }, description: 'no such connection in this business' },
    },
  }), async (c) => {
    const row = await getConnection(s.db, c.get('tenantId'), c.req.valid('param').id);
    s.connectors.pollNow(row.id);
    await audit(s.db, row.tenant_id, c.get('actor'), 'connection.poll_now', row.id, { name: row.name });
    return c.json({ connection: { id: row.id, name: row.name }, note: 'polling now: GET /api/v1/connections shows the result in a few seconds' }, 202);
  });
  return app;
}
