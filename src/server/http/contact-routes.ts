import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { NotFoundError } from '../../core/errors.js';
import { limitParam } from './limit-param.js';
import { IdParam, LimitQuery } from './schemas/common.js';
import { ContactMessageSchema, ContactSchema } from './schemas/contact.js';
import { DealSchema } from './schemas/deal.js';

/**
 * `GET /contacts?q=&limit=` (read), `GET /contacts/{id}/messages` (read: every message of the
 * contact's conversations, oldest first) and `GET /deals?limit=` (read).
 */
export function contactRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.');
  const { db } = s;
  const limited = { 400: errorResponseDoc('limit out of range'), ...authResponses('read') };

  app.openapi(createRoute({
    method: 'get', path: '/contacts', summary: 'Contacts, newest first; ?q= matches name, phone or email', ...scoped('read'),
    request: { query: z.object({ q: z.string().optional().openapi({ description: 'part of a name, phone or email' }), limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ contacts: z.array(ContactSchema) }), 'contacts'), ...limited },
  }), async (c) => {
    let q = db.selectFrom('contacts').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit')));
    const text = c.req.query('q')?.trim();
    if (text) {
      const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('phone', 'like', like), eb('email', 'ilike', like)]));
    }
    return c.json({ contacts: await q.execute() }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/contacts/{id}/messages', summary: 'Every message with a contact, oldest first', ...scoped('read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ messages: z.array(ContactMessageSchema) }), 'messages'), 404: errorResponseDoc('no such contact in your business'), ...authResponses('read') },
  }), async (c) => {
    const t = c.get('tenantId');
    const id = c.req.valid('param').id;
    const contact = await db.selectFrom('contacts').select('id').where('tenant_id', '=', t).where('id', '=', id).executeTakeFirst();
    if (!contact) throw new NotFoundError('contact', id);
    const rows = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.id', 'conversations.channel', 'messages.direction', 'messages.body', 'messages.created_at', 'messages.run_id'])
      .where('messages.tenant_id', '=', t)
      .where('conversations.contact_id', '=', contact.id)
      .orderBy('messages.created_at')
      .execute();
    return c.json({ messages: rows }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/deals', summary: 'Deals, newest first', ...scoped('read'),
    request: { query: z.object({ limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ deals: z.array(DealSchema) }), 'deals'), ...limited },
  }), async (c) => {
    const rows = await db.selectFrom('deals').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('created_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ deals: rows }, 200);
  });
  return app;
}
