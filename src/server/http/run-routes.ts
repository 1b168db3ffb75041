import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { NotFoundError } from '../../core/errors.js';
import { runSteps } from '../../autonomy/engine/run-view.js';
import { limitParam } from './limit-param.js';
import { IdParam, LimitQuery } from './schemas/common.js';
import { RunSchema, RunStepSchema } from './schemas/run.js';

/** `GET /runs?limit=` (read): runs, newest first; `GET /runs/{id}` (read): a run and its steps. */
export function runRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Use ?limit=50 (any whole number from 1 to 500), or leave it out.');
  const { db } = s;

  app.openapi(createRoute({
    method: 'get', path: '/runs', summary: 'Runs of playbooks, newest first', ...scoped('read'),
    request: { query: z.object({ limit: LimitQuery }) },
    responses: { 200: jsonResponse(z.object({ runs: z.array(RunSchema) }), 'runs'), 400: errorResponseDoc('limit out of range'), ...authResponses('read') },
  }), async (c) => {
    const rows = await db.selectFrom('runs').selectAll().where('tenant_id', '=', c.get('tenantId')).orderBy('started_at', 'desc').limit(limitParam(c.req.query('limit'))).execute();
    return c.json({ runs: rows }, 200);
  });

  app.openapi(createRoute({
    method: 'get', path: '/runs/{id}', summary: 'A run with its steps (what each did, and what it waits for)', ...scoped('read'),
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ run: RunSchema, steps: z.array(RunStepSchema) }), 'the run'), 404: errorResponseDoc('no such run in your business'), ...authResponses('read') },
  }), async (c) => {
    const t = c.get('tenantId');
    const id = c.req.valid('param').id;
    const run = await db.selectFrom('runs').selectAll().where('tenant_id', '=', t).where('id', '=', id).executeTakeFirst();
    if (!run) throw new NotFoundError('run', id);
    const biz = s.tenants.get(t);
    const steps = await runSteps(run.id, { status: run.status, waitingFor: run.waiting_for, timeZone: biz.timeZone, locale: biz.locale, now: s.clock.now() });
    return c.json({ run, steps }, 200);
  });
  return app;
}
