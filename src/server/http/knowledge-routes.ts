import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { stream } from 'hono/streaming';
import { join } from 'node:path';
import type { Services, Vars } from './services.js';
import { InputError } from '../../core/errors.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseBody, scoped } from './openapi-app.js';
import { syncKnowledge, searchKnowledge, answerQuestion, listGaps, answerGap, getFacts, checkGroundedness, KNOWLEDGE_KINDS } from '../../knowledge/index.js';
import type { FactType, KnowledgeKind } from '../../knowledge/types.js';
import { IdParam, intQuery } from './schemas/common.js';
import { AnswerSchema, FactSchema, GapAnsweredSchema, GapSchema, GroundednessSchema, SearchHitSchema, SyncResultSchema } from './schemas/knowledge.js';

const AskBody = z.object({ question: z.string().min(1).max(1000), audience: z.string().max(40).optional() }).strict();
const TextBody = z.object({ text: z.string().min(1).max(5000) }).strict();
const NDJSON_DOC = z.string().openapi({ description: 'one JSON object a line: {"progress": {done, total, file}}…, then {"result": KnowledgeSync} or {"error": {message}}' });

/**
 * The knowledge layer over HTTP (under `/api/v1/knowledge`, bearer-authenticated, tenant-scoped):
 * sync, search, ask, gaps (list, answer), facts, groundedness.
 *
 * Scopes: reading and asking need `read`; answering a gap writes a FAQ file that becomes what the
 * business tells customers, an owner's decision, so it needs `decide` (never held by an assistant);
 * sync (re-indexing the folder) is maintenance and needs `admin`.
 */
export function knowledgeRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');
  const dirOf = (tenantId: string) => join(s.tenants.get(tenantId).dir, 'knowledge');

  // With `Accept: application/x-ndjson` the answer streams `{"progress": {done, total, file}}` lines, then `{"result": …}`.
  app.openapi(createRoute({
    method: 'post', path: '/sync', summary: 'Re-index the knowledge folder (with Accept: application/x-ndjson, progress lines then the result)', ...scoped('admin'),
    responses: { 200: { content: { 'application/json': { schema: SyncResultSchema }, 'application/x-ndjson': { schema: NDJSON_DOC } }, description: 'what the sync did' }, ...authResponses('admin') },
  }), async (c) => {
    const tenantId = c.get('tenantId');
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) return c.json(await syncKnowledge(s.db, tenantId, dirOf(tenantId), { now: s.clock.now() }), 200);
    c.header('content-type', 'application/x-ndjson');
    // The 200's application/x-ndjson form: a stream, not a JSON body the typed response could check.
    return stream(c, async (out) => {
      const line = (o: unknown) => out.write(JSON.stringify(o) + '\n');
      let pending = Promise.resolve();
      try {
        const result = await syncKnowledge(s.db, tenantId, dirOf(tenantId), {
          now: s.clock.now(),
          onProgress: (done, total, file) => void (pending = pending.then(() => line({ progress: { done, total, file } }).then(() => undefined))),
        });
        await pending;
        await line({ result });
      } catch (err) {
        await pending;
        await line({ error: { message: err instanceof Error ? err.message : String(err) } });
      }
    }) as never;
  });

  app.openapi(createRoute({
    method: 'get', path: '/search', summary: 'Search the knowledge (full text, English and French)', ...scoped('read'),
    request: {
      query: z.object({
        q: z.string().optional().openapi({ description: 'the search text (required)' }), kind: z.string().optional().openapi({ description: `comma-separated: ${KNOWLEDGE_KINDS.join(', ')}` }),
        audience: z.string().optional(), limit: intQuery(1, 50, 5),
      }),
    },
    responses: { 200: jsonResponse(z.object({ hits: z.array(SearchHitSchema) }), 'passages, best first'), 400: errorResponseDoc('no q, or an unknown kind'), ...authResponses('read') },
  }), async (c) => {
    const q = c.req.query('q')?.trim();
    if (!q) throw new InputError('q (the search text) is required', { fix: 'Add ?q=<words to search for> to the URL.' });
    const kinds = c.req.query('kind')?.split(',').filter(Boolean) as KnowledgeKind[] | undefined;
    if (kinds?.some((k) => !(KNOWLEDGE_KINDS as readonly string[]).includes(k))) throw new InputError(`kind must be among ${KNOWLEDGE_KINDS.join(', ')}`, { fix: `Use kind=${KNOWLEDGE_KINDS[0]} or another listed kind, or leave kind out to search all.` });
    const limit = Math.min(50, Math.max(1, Number(c.req.query('limit') ?? 5) || 5));
    const hits = await searchKnowledge(s.db, c.get('tenantId'), q, { kinds, audience: c.req.query('audience'), limit, now: s.clock.now() });
    return c.json({ hits }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/ask', summary: 'Answer a question from the knowledge with citations (unknown: recorded as a gap)', ...scoped('read'),
    request: { body: jsonBody(AskBody) },
    responses: { 200: jsonResponse(AnswerSchema, 'the answer'), 400: errorResponseDoc('invalid body'), ...authResponses('read') },
  }), async (c) => {
    const b = c.req.valid('json');
    return c.json(await answerQuestion(s.db, c.get('tenantId'), b.question, { audience: b.audience, now: s.clock.now() }), 200);
  }, refuseBody('{"question": "…"}'));

  app.openapi(createRoute({
    method: 'get', path: '/gaps', summary: 'Questions the knowledge could not answer', ...scoped('read'),
    request: { query: z.object({ status: z.string().optional().openapi({ description: 'open or answered (default: both)' }) }) },
    responses: { 200: jsonResponse(z.object({ gaps: z.array(GapSchema) }), 'gaps'), 400: errorResponseDoc('unknown status'), ...authResponses('read') },
  }), async (c) => {
    const status = c.req.query('status');
    if (status && status !== 'open' && status !== 'answered') throw new InputError('status must be open or answered', { fix: 'Use ?status=open or ?status=answered, or leave it out for both.' });
    return c.json({ gaps: await listGaps(s.db, c.get('tenantId'), { status: status as 'open' | 'answered' | undefined }) }, 200);
  });

  app.openapi(createRoute({
    method: 'post', path: '/gaps/{id}/answer', summary: 'Answer a gap: written as a FAQ file, indexed, and from then on what the business tells customers', ...scoped('decide'),
    request: { params: IdParam, body: jsonBody(TextBody) },
    responses: { 200: jsonResponse(GapAnsweredSchema, 'answered and indexed'), 400: errorResponseDoc('invalid body'), 404: errorResponseDoc('no such gap'), 409: errorResponseDoc('already answered'), ...authResponses('decide') },
  }), async (c) => c.json(await answerGap(s.db, c.get('tenantId'), dirOf(c.get('tenantId')), c.req.valid('param').id, c.req.valid('json').text, { now: s.clock.now() }), 200), refuseBody('{"text": "the answer"}'));

  app.openapi(createRoute({
    method: 'get', path: '/facts', summary: 'Facts read from the knowledge (prices, hours, service area…), current ones only', ...scoped('read'),
    request: { query: z.object({ type: z.string().optional().openapi({ description: 'price, service_area, hours, booking_link, payment_terms, phone, email, other' }) }) },
    responses: { 200: jsonResponse(z.object({ facts: z.array(FactSchema) }), 'facts'), ...authResponses('read') },
  }), async (c) => c.json({ facts: await getFacts(s.db, c.get('tenantId'), s.clock.now(), { type: c.req.query('type') as FactType | undefined }) }, 200));

  app.openapi(createRoute({
    method: 'post', path: '/groundedness', summary: 'Check a draft against the knowledge: the claims it does not support', ...scoped('read'),
    request: { body: jsonBody(TextBody) },
    responses: { 200: jsonResponse(GroundednessSchema, 'the check'), 400: errorResponseDoc('invalid body'), ...authResponses('read') },
  }), async (c) => c.json(await checkGroundedness(s.db, c.get('tenantId'), c.req.valid('json').text, { now: s.clock.now() }), 200), refuseBody('{"text": "draft"}'));
  return app;
}
