import { createRoute } from '@hono/zod-openapi';
import { parseDocument } from 'yaml';
import type { Services } from './services.js';
import { authResponses, errorResponseDoc, openApiApp, scoped } from './openapi-app.js';
import { LedgerSummarySchema, RoiPatch, RoiPatchResult, SummaryQuery, type RoiPatchT } from './schemas/ledger-summary.js';
import { ledgerSummary } from '../../leverage/ledger-summary.js';
import { roiSettings } from '../../leverage/roi-settings.js';
import { TenantFileRefused, writeTenantFile } from '../tenant-file-write.js';
import { readTenantTexts } from '../tenant-folder.js';
import { audit } from '../../records/audit.js';
import { InputError } from '../../core/errors.js';

const PATCH_BODY = '{"minutes": {"missed_call_text_back": 4}, "hourlyValue": 90, "runningCostCentsPerMonth": 5000}: any of the three; minutes 0–480 per action, null puts a default back';
const PATCH_FIX = `Send ${PATCH_BODY}.`;

const summaryRoute = createRoute({
  method: 'get', path: '/ledger/summary', summary: 'What AIOS was worth: hours saved, money recovered, cost, ROI, per week (every figure measured, set or assumed)',
  ...scoped('read'),
  request: { query: SummaryQuery },
  responses: { 200: { content: { 'application/json': { schema: LedgerSummarySchema } }, description: 'totals and weekly series' }, 400: errorResponseDoc('weeks is not a whole number from 1 to 104'), ...authResponses('read') },
});

const roiRoute = createRoute({
  method: 'patch', path: '/ledger/roi', summary: 'Set the ROI numbers in tenant.yaml roi: (minutes per action kind, hourly value, running cost); owners and implementers only',
  ...scoped('admin'),
  request: { body: { content: { 'application/json': { schema: RoiPatch } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: RoiPatchResult } }, description: 'saved; the summary uses them at once' },
    400: errorResponseDoc('a value out of range or an unknown category: nothing written'),
    ...authResponses('admin'),
  },
});

/** Applies a patch to tenant.yaml's text, keeping its comments and every other section. */
function patchedTenantYaml(text: string, p: RoiPatchT): string {
  const doc = parseDocument(text);
  if (!doc.has('roi') || doc.get('roi') === null) doc.set('roi', doc.createNode({}));
  const set = (path: string[], v: number | null | undefined) => {
    if (v === undefined) return;
    if (v === null) doc.deleteIn(path);
    else doc.setIn(path, v);
  };
  for (const [category, n] of Object.entries(p.minutes ?? {})) {
    if (!doc.hasIn(['roi', 'minutes']) || doc.getIn(['roi', 'minutes']) === null) doc.setIn(['roi', 'minutes'], doc.createNode({}));
    set(['roi', 'minutes', category], n);
  }
  set(['roi', 'hourly_value'], p.hourlyValue);
  set(['roi', 'running_cost_cents_per_month'], p.runningCostCentsPerMonth);
  return doc.toString();
}

/**
 * `GET /ledger/summary?weeks=12` (read) and `PATCH /ledger/roi` (admin: owners and implementers,
 * never staff or machines), under `/api/v1`. The patch passes the start-up validation of
 * tenant.yaml before anything is written (an unknown action kind included, `tenant-folder.ts`);
 * a refused one is a 400 naming every problem and the file is unchanged.
 */
export function ledgerRoutes(s: Services) {
  const app = openApiApp(s, `GET /api/v1/ledger/summary?weeks=12 (1–104 weeks); PATCH /api/v1/ledger/roi with ${PATCH_BODY}.`);

  app.openapi(summaryRoute, async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const { weeks } = c.req.valid('query');
    const summary = await ledgerSummary(s.db, tenant, { weeks, now: s.clock.now() });
    return c.json({ ...summary, canEdit: c.get('principal').scopes.includes('admin') }, 200);
  });

  app.openapi(roiRoute, async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    const p = c.req.valid('json');
    const changed = [...Object.keys(p.minutes ?? {}).map((k) => `minutes.${k}`), ...(p.hourlyValue !== undefined ? ['hourly_value'] : []), ...(p.runningCostCentsPerMonth !== undefined ? ['running_cost_cents_per_month'] : [])];
    if (changed.length === 0) throw new InputError('nothing to change: the body names no ROI number', { fix: PATCH_FIX });
    const text = patchedTenantYaml(readTenantTexts(tenant.dir).tenant ?? '', p);
    try {
      await writeTenantFile(s.tenants, s.host.playbooks(), tenant, 'tenant', text);
    } catch (e) {
      if (e instanceof TenantFileRefused) throw new InputError(`${e.file} was not changed: ${e.problems.map((x) => `${x.field || '(root)'} ${x.problem}`).join('; ')}`, { fix: e.fix });
      throw e;
    }
    await audit(s.db, tenant.id, c.get('actor'), 'settings.roi', 'tenant.yaml', { ...p });
    return c.json({ settings: await roiSettings(s.db, s.tenants.get(tenant.id)), changed }, 200);
  });

  return app;
}
