import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { readJson } from './json-body.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { audit } from '../../records/audit.js';
import type { Playbook } from '../../autonomy/engine/define-playbook.js';
import { newest, runShadow } from '../../autonomy/shadow/run-shadow.js';
import { retryRun } from '../../autonomy/engine/run-retry.js';
import { updatePlaybookSettings } from '../playbook-settings.js';
import { parseSince } from '../../core/since.js';
import { PROPOSED_BY_PRINCIPAL } from '../../autonomy/approvals/separation-of-duties.js';

const RunNowBody = z.object({ subject: z.string().min(1).max(300), data: z.record(z.string(), z.unknown()).default({}) }).strict();
const ShadowBody = z.object({ since: z.string().default('30d'), until: z.string().optional(), limit: z.number().int().min(1).max(1000).optional(), settings: z.record(z.string(), z.unknown()).optional() }).strict();

/**
 * Playbooks over HTTP (tenant-scoped): `GET /playbooks` (id, title, version, trigger, enabled,
 * settings, runs in the last 30 days), enable / disable / settings (written into tenant.yaml, see
 * `updatePlaybookSettings`; `admin`), run now (`admin`: the caller chooses the trigger's subject and data, so the recipient; recorded as the proposer, who cannot approve),
 * shadow (`propose`: nothing leaves the machine and nothing is kept, but a configured model is called, which costs money), and `POST /runs/:id/retry` of a
 * failed run (`decide`).
 */
export function playbookRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const playbook = (id: string): Playbook => {
    const pb = newest(s.host.playbooks(), id);
    if (!pb) throw new NotFoundError('playbook', id);
    return pb;
  };

  app.get('/playbooks', requireScope('read'), async (c) => {
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
    return c.json({ playbooks });
  });

  const setEnabled = (enabled: boolean) => async (c: import('hono').Context<{ Variables: Vars }>) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const pb = playbook(c.req.param('id')!);
    const settings = await updatePlaybookSettings(s.tenants, tenant, pb, { enabled });
    await audit(s.db, tenant.id, c.get('actor'), enabled ? 'playbook.enabled' : 'playbook.disabled', pb.id, {});
    return c.json({ playbook: { id: pb.id, enabled: settings.enabled !== false, settings } });
  };
  app.post('/playbooks/:id/enable', requireScope('admin'), setEnabled(true));
  app.post('/playbooks/:id/disable', requireScope('admin'), setEnabled(false));

  app.patch('/playbooks/:id/settings', requireScope('admin'), async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const pb = playbook(c.req.param('id'));
    const body = await readJson(c.req);
    if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) {
      throw new InputError('body must be an object of settings, e.g. {"reply_wait_hours": 24}', { fix: `Send the keys of playbooks.${pb.id} to change (see GET /api/v1/playbooks).` });
    }
    const settings = await updatePlaybookSettings(s.tenants, tenant, pb, body as Record<string, unknown>);
    await audit(s.db, tenant.id, c.get('actor'), 'playbook.settings', pb.id, { changed: body });
    return c.json({ playbook: { id: pb.id, enabled: settings.enabled !== false, settings } });
  });

  // `admin`, not `propose`: the subject and data are the trigger, so whoever runs a playbook chooses
  // its recipient (a lead's phone, an owner reply's text). The runner is recorded as the proposer,
  // so they cannot approve what the run asks for either.
  app.post('/playbooks/:id/run', requireScope('admin'), async (c) => {
    const pb = playbook(c.req.param('id'));
    const parsed = RunNowBody.safeParse((await readJson(c.req)) ?? {});
    if (!parsed.success) throw new InputError(`body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, { fix: 'Send {"subject": "+14165550100" (who or what it is about), "data": {...the signal data the playbook reads}}.' });
    const data = { ...parsed.data.data, [PROPOSED_BY_PRINCIPAL]: c.get('principal').id };
    const res = await s.host.runNow(c.get('tenantId'), pb.id, { subject: parsed.data.subject, data, nonce: randomUUID() });
    await audit(s.db, c.get('tenantId'), c.get('actor'), 'playbook.run_now', pb.id, res);
    return c.json({ ...res, note: 'started: the policy decides every effect; follow the run with GET /api/v1/runs/:id' }, 202);
  });

  app.post('/playbooks/:id/shadow', requireScope('propose'), async (c) => {
    const pb = playbook(c.req.param('id'));
    const parsed = ShadowBody.safeParse((await readJson(c.req)) ?? {});
    if (!parsed.success) throw new InputError(`body: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, { fix: 'Send {"since": "30d"} (or an ISO date), optionally "until", "limit" and "settings" to try.' });
    const now = s.clock.now();
    const report = await runShadow(s.host.deps, s.host.playbooks(), {
      tenantId: c.get('tenantId'), playbookId: pb.id, since: parseSince(parsed.data.since, now), until: parsed.data.until ? parseSince(parsed.data.until, now) : undefined,
      limit: parsed.data.limit, settings: parsed.data.settings,
    });
    return c.json({ shadow: report });
  });

  app.post('/runs/:id/retry', requireScope('decide'), async (c) => {
    const res = await retryRun(s.db, c.get('tenantId'), c.req.param('id'), c.get('actor'));
    return c.json({ ...res, note: 'retrying from the failed step; follow the run with GET /api/v1/runs/:id' }, 202);
  });
  return app;
}
