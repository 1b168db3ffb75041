import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoped, authResponses } from './openapi-app.js';
import { sql } from 'kysely';
import type { Services, Vars } from './services.js';

const Doc = z.object({
  id: z.string(), path: z.string(), kind: z.string().nullable(), title: z.string().nullable(), format: z.string(),
  status: z.enum(['indexed', 'failed']), error: z.string().nullable(),
  /** `YYYY-MM-DD` after which the file's content no longer holds (null: no end). */
  validUntil: z.string().nullable(),
  expiry: z.enum(['none', 'ok', 'expiring', 'expired']).openapi({ description: 'expiring: ends within 14 days' }),
  chunks: z.number(), facts: z.number(), indexedAt: z.string(),
});

/** Days before `valid_until` a file counts as expiring (the page highlights it). */
export const EXPIRING_DAYS = 14;

/**
 * `GET /knowledge/documents` (read): the files of the knowledge folder as last indexed, with their
 * expiry (`valid_until` front matter) judged against today; failed files name their error.
 */
export function knowledgeFilesRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = new OpenAPIHono<{ Variables: Vars }>();
  app.openapi(createRoute({
    method: 'get', path: '/knowledge/documents', summary: 'The knowledge files as indexed, with expiry', ...scoped('read'),
    responses: { ...authResponses('read'), 200: { content: { 'application/json': { schema: z.object({ documents: z.array(Doc) }) } }, description: 'every file, by path' } },
  }), async (c) => {
    const rows = await s.db.selectFrom('knowledge_documents')
      .select(['id', 'path', 'kind', 'title', 'format', 'status', 'error', sql<string | null>`valid_until::text`.as('valid_until'), 'chunk_count', 'fact_count', 'indexed_at'])
      .where('tenant_id', '=', c.get('tenantId')).orderBy('path').limit(2000).execute();
    const today = s.clock.now().toISOString().slice(0, 10);
    const soon = new Date(s.clock.now().getTime() + EXPIRING_DAYS * 86_400_000).toISOString().slice(0, 10);
    return c.json({
      documents: rows.map((r) => ({
        id: r.id, path: r.path, kind: r.kind, title: r.title, format: r.format, status: r.status, error: r.error, validUntil: r.valid_until,
        expiry: (!r.valid_until ? 'none' : r.valid_until < today ? 'expired' : r.valid_until <= soon ? 'expiring' : 'ok') as 'none' | 'ok' | 'expiring' | 'expired',
        chunks: r.chunk_count, facts: r.fact_count, indexedAt: new Date(r.indexed_at).toISOString(),
      })),
    }, 200);
  });
  return app;
}
