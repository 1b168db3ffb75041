import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { join } from 'node:path';
import { z } from 'zod';
import type { Services, Vars } from './services.js';
import { InputError } from '../../core/errors.js';
import { readBody } from './json-body.js';
import { requireScope } from './require-scope.js';
import { syncKnowledge, searchKnowledge, answerQuestion, listGaps, answerGap, getFacts, checkGroundedness, KNOWLEDGE_KINDS } from '../../knowledge/index.js';
import type { FactType, KnowledgeKind } from '../../knowledge/types.js';

/**
 * The knowledge layer over HTTP (under `/api/v1/knowledge`, bearer-authenticated, tenant-scoped):
 * sync, search, ask, gaps (list, answer), facts, groundedness.
 *
 * Scopes: reading and asking need `read`; answering a gap writes a FAQ file that becomes what the
 * business tells customers, an owner's decision, so it needs `decide` (never held by an assistant);
 * sync (re-indexing the folder) is maintenance and needs `admin`.
 */
export function knowledgeRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const dirOf = (tenantId: string) => join(s.tenants.get(tenantId).dir, 'knowledge');

  // With `Accept: application/x-ndjson` the answer streams `{"progress": {done, total, file}}` lines, then `{"result": …}`.
  app.post('/sync', requireScope('admin'), async (c) => {
    const tenantId = c.get('tenantId');
    if (!(c.req.header('accept') ?? '').includes('application/x-ndjson')) return c.json(await syncKnowledge(s.db, tenantId, dirOf(tenantId), { now: s.clock.now() }));
    c.header('content-type', 'application/x-ndjson');
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
    });
  });

  app.get('/search', requireScope('read'), async (c) => {
    const q = c.req.query('q')?.trim();
    if (!q) throw new InputError('q (the search text) is required', { fix: 'Add ?q=<words to search for> to the URL.' });
    const kinds = c.req.query('kind')?.split(',').filter(Boolean) as KnowledgeKind[] | undefined;
    if (kinds?.some((k) => !(KNOWLEDGE_KINDS as readonly string[]).includes(k))) throw new InputError(`kind must be among ${KNOWLEDGE_KINDS.join(', ')}`, { fix: `Use kind=${KNOWLEDGE_KINDS[0]} or another listed kind, or leave kind out to search all.` });
    const limit = Math.min(50, Math.max(1, Number(c.req.query('limit') ?? 5) || 5));
    const hits = await searchKnowledge(s.db, c.get('tenantId'), q, { kinds, audience: c.req.query('audience'), limit, now: s.clock.now() });
    return c.json({ hits });
  });

  app.post('/ask', requireScope('read'), async (c) => {
    const b = await readBody(c.req, z.object({ question: z.string().min(1).max(1000), audience: z.string().max(40).optional() }).strict(), '{"question": "…"}');
    return c.json(await answerQuestion(s.db, c.get('tenantId'), b.question, { audience: b.audience, now: s.clock.now() }));
  });

  app.get('/gaps', requireScope('read'), async (c) => {
    const status = c.req.query('status');
    if (status && status !== 'open' && status !== 'answered') throw new InputError('status must be open or answered', { fix: 'Use ?status=open or ?status=answered, or leave it out for both.' });
    return c.json({ gaps: await listGaps(s.db, c.get('tenantId'), { status: status as 'open' | 'answered' | undefined }) });
  });

  app.post('/gaps/:id/answer', requireScope('decide'), async (c) => {
    const b = await readBody(c.req, z.object({ text: z.string().min(1).max(5000) }).strict(), '{"text": "the answer"}');
    return c.json(await answerGap(s.db, c.get('tenantId'), dirOf(c.get('tenantId')), c.req.param('id'), b.text, { now: s.clock.now() }));
  });

  app.get('/facts', requireScope('read'), async (c) => c.json({ facts: await getFacts(s.db, c.get('tenantId'), s.clock.now(), { type: c.req.query('type') as FactType | undefined }) }));

  app.post('/groundedness', requireScope('read'), async (c) => {
    const b = await readBody(c.req, z.object({ text: z.string().min(1).max(5000) }).strict(), '{"text": "draft"}');
    return c.json(await checkGroundedness(s.db, c.get('tenantId'), b.text, { now: s.clock.now() }));
  });
  return app;
}
