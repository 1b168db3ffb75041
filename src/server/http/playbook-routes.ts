import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseWith, scoped } from './openapi-app.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import type { Playbook } from '../../autonomy/engine/define-playbook.js';
import { newest, runShadow } from '../../autonomy/shadow/run-shadow.js';
import { retryRun } from '../../autonomy/engine/run-retry.js';
import { updatePlaybookSettings } from '../playbook-settings.js';
import { parseSince } from '../../core/since.js';
import { PROPOSED_BY_PRINCIPAL } from '../../autonomy/approvals/separation-of-duties.js';
import { IdParam, JsonObject } from './schemas/common.js';
import { PlaybookSchema, PlaybookSettingsSchema, RunNowBodySchema, RunStartedSchema, ShadowBodySchema, ShadowReportSchema } from './schemas/playbook.js';
import { RetrySchema } from './schemas/run.js';

const notFound = { 404: errorResponseDoc('no such playbook') };
const issuesHook = (fix: string) => refuseWith((i) => `body: ${i}`, fix);

/**
 * Playbooks over HTTP (tenant-scoped): `GET /playbooks` (id, title, version, trigger, enabled,
 * settings, runs in the last 30 days), enable / disable / settings (written into tenant.yaml, see
 * `updatePlaybookSettings`; `admin`), run now (`admin`: the caller chooses the trigger's subject and data, so the recipient; recorded as the proposer, who cannot approve),
 * shadow (`propose`: nothing leaves the machine and nothing is kept, but a configured model is called, which costs money), and `POST /runs/:id/retry` of a
 * failed run (`decide`).
 */
export function playbookRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');
  const playbook = (id: string): Playbook => {
    const pb = newest(s.host.playbooks(), id);
    if (!pb) throw new NotFoundError('playbook', id);
    return pb;
  };

  app.openapi(createRoute({
    method: 'get', path: '/playbooks', summary: 'Playbooks with their settings and runs of the last 30 days', ...scoped('read'),
    responses: { 200: jsonResponse(z.object({ playbooks: z.array(PlaybookSchema) }), 'playbooks'), ...authResponses('read') },
  }), async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const since = new Date(s.clock.now().getTime() - 30 * 86_400_000);
    const counts = await s.db.selectFrom('runs').select(['playbook', 'status', sql<number>`count(*)::int`.as('n')])
      .where('tenant_id', '=', tenant.id).where('mode', '=', 'live').where('started_at', '>=', since).groupBy(['playbook', 'status']).execute();
    const ids = [...new Set(s.host.playbooks().map((p) => p.id))];
    const playbooks = ids.map((id) => {
      const pb = playbook(id);
      const settings = (tenant.playbookSettings[id] ?? pb.settings.parse({})) as Record<string, unknown>;
      const mine = counts.filter((r) => r.playbook === id);
      return {
        id, title: pb.title, version: pb.version, trigger: pb.trigger, enabled: settings.enabled !== false, settings, minutesPerRun: pb.minutesPerRun,
        runs30d: { total: mine.reduce((n, r) => n + r.n, 0), ...Object.fromEntries(mine.map((r) => [r.status, r.n])) },
      };
    });
    return c.json({ playbooks }, 200);
  });

  const setEnabled = (enabled: boolean) => async (c: Context<{ Variables: Vars }>, id: string) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const pb = playbook(id);
    const settings = await updatePlaybookSettings(s.tenants, tenant, pb, { enabled });
    await audit(s.db, tenant.id, c.get('actor'), enabled ? 'playbook.enabled' : 'playbook.disabled', pb.id, {});
    return { playbook: { id: pb.id, enabled: settings.enabled !== false, settings } };
  };
  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    app.openapi(createRoute({
      method: 'post', path: `/playbooks/{id}/${verb}`, summary: `${enabled ? 'Enable' : 'Disable'} a playbook (written into tenant.yaml)`, ...scoped('admin'),
      request: { params: IdParam },
      responses: { 200: jsonResponse(PlaybookSettingsSchema, 'the playbook\'s settings'), ...notFound, ...authResponses('admin') },
    }), async (c) => c.json(await setEnabled(enabled)(c, c.req.valid('param').id), 200));
  }

  app.openapi(createRoute({
    method: 'patch', path: '/playbooks/{id}/settings', summary: 'Change settings of a playbook (validated by the playbook; written into tenant.yaml)', ...scoped('admin'),
    request: { params: IdParam, body: jsonBody(JsonObject.openapi({ description: 'the keys of playbooks.<id> to change, e.g. {"reply_wait_hours": 24}' })) },
    responses: { 200: jsonResponse(PlaybookSettingsSchema, 'the playbook\'s settings'), 400: errorResponseDoc('not settings of this playbook'), ...notFound, ...authResponses('admin') },
  }), async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const pb = playbook(c.req.valid('param').id);
    const body = c.req.valid('json');
    if (Object.keys(body).length === 0) {
      throw new InputError('body must be an object of settings, e.g. {"reply_wait_hours": 24}', { fix: `Send the keys of playbooks.${pb.id} to change (see GET /api/v1/playbooks).` });
    }
    const settings = await updatePlaybookSettings(s.tenants, tenant, pb, body);
    await audit(s.db, tenant.id, c.get('actor'), 'playbook.settings', pb.id, { changed: body });
    return c.json({ playbook: { id: pb.id, enabled: settings.enabled !== false, settings } }, 200);
  }, refuseWith(() => 'body must be an object of settings, e.g. {"reply_wait_hours": 24}', 'Send the keys of the playbook\'s settings to change (see GET /api/v1/playbooks).'));

  // `admin`, not `propose`: the subject and data are the trigger, so whoever runs a playbook chooses
  // its recipient (a lead's phone, an owner reply's text). The runner is recorded as the proposer,
  // so they cannot approve what the run asks for either.
  app.openapi(createRoute({
    method: 'post', path: '/playbooks/{id}/run', summary: 'Run a playbook now on a subject (you are recorded as the proposer)', ...scoped('admin'),
    request: { params: IdParam, body: jsonBody(RunNowBodySchema) },
    responses: { 202: jsonResponse(RunStartedSchema, 'started; follow the run'), 400: errorResponseDoc('invalid body'), ...notFound, ...authResponses('admin') },
  }), async (c) => {
    const pb = playbook(c.req.valid('param').id);
    const b = c.req.valid('json');
    const data = { ...b.data, [PROPOSED_BY_PRINCIPAL]: c.get('principal').id };
    const res = await s.host.runNow(c.get('tenantId'), pb.id, { subject: b.subject, data, nonce: randomUUID() });
    await audit(s.db, c.get('tenantId'), c.get('actor'), 'playbook.run_now', pb.id, res);
    return c.json({ ...res, note: 'started: the policy decides every effect; follow the run with GET /api/v1/runs/:id' }, 202);
  }, issuesHook('Send {"subject": "+14165550100" (who or what it is about), "data": {...the signal data the playbook reads}}.'));

  app.openapi(createRoute({
    method: 'post', path: '/playbooks/{id}/shadow', summary: 'Replay a playbook over past signals: what it would have done (nothing is sent or kept; a configured model is called)', ...scoped('propose'),
    request: { params: IdParam, body: jsonBody(ShadowBodySchema) },
    responses: { 200: jsonResponse(z.object({ shadow: ShadowReportSchema }), 'the report'), 400: errorResponseDoc('invalid body'), ...notFound, ...authResponses('propose') },
  }), async (c) => {
    const pb = playbook(c.req.valid('param').id);
    const b = c.req.valid('json');
    const now = s.clock.now();
    const report = await runShadow(s.host.deps, s.host.playbooks(), {
      tenantId: c.get('tenantId'), playbookId: pb.id, since: parseSince(b.since, now), until: b.until ? parseSince(b.until, now) : undefined,
      limit: b.limit, settings: b.settings,
    });
    return c.json({ shadow: report }, 200);
  }, issuesHook('Send {"since": "30d"} (or an ISO date), optionally "until", "limit" and "settings" to try.'));

  app.openapi(createRoute({
    method: 'post', path: '/runs/{id}/retry', summary: 'Retry a failed run from its failed step', ...scoped('decide'),
    request: { params: IdParam },
    responses: { 202: jsonResponse(RetrySchema, 'retrying'), 404: errorResponseDoc('no such run in your business'), 409: errorResponseDoc('the run has not failed'), ...authResponses('decide') },
  }), async (c) => {
    const res = await retryRun(s.db, c.get('tenantId'), c.req.valid('param').id, c.get('actor'));
    return c.json({ ...res, note: 'retrying from the failed step; follow the run with GET /api/v1/runs/:id' }, 202);
  });
  return app;
}
