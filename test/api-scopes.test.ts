import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { apiRoutes } from '../src/server/http/api-routes.js';
import { declaredScope } from '../src/server/http/require-scope.js';
import { SCOPES, type Scope } from '../src/records/scopes.js';

/**
 * Every /api/v1 route declares the scope it needs (`requireScope`), and the declaration is what is
 * enforced: a token holding every scope but that one gets 403 naming it.
 */
let h: Harness;
let routes: Array<{ method: string; path: string; scope: Scope | undefined }>;

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  const byRoute = new Map<string, Scope | undefined>();
  for (const r of apiRoutes(h.aios.services).routes) {
    if (r.method === 'ALL') continue; // app.use middleware (bearer auth)
    const key = `${r.method} ${r.path}`;
    byRoute.set(key, byRoute.get(key) ?? declaredScope(r.handler));
  }
  routes = [...byRoute].map(([key, scope]) => ({ method: key.split(' ')[0]!, path: key.split(' ')[1]!, scope }));
});
afterAll(() => h?.stop());

/** The scope each route must declare: the review's map, written out so a change is a decision. */
const EXPECTED: Record<string, Scope> = {
  'GET /status': 'read', 'GET /signals': 'read', 'GET /runs': 'read', 'GET /runs/:id': 'read', 'GET /approvals': 'read',
  'GET /outbox': 'read', 'GET /ledger': 'read', 'GET /ledger/summary': 'read', 'PATCH /ledger/roi': 'admin', 'GET /contacts': 'read', 'GET /contacts/:id/messages': 'read', 'GET /deals': 'read',
  'GET /connections': 'read', 'GET /quarantine': 'read',
  'GET /bookings': 'read', 'POST /bookings/:id/done': 'decide', 'POST /bookings/:id/no-show': 'decide', 'POST /bookings/:id/cancel': 'decide',
  'GET /invoices': 'read', 'POST /invoices/:id/paid': 'decide',
  'POST /signals/:id/snooze': 'decide', 'POST /signals/:id/dismiss': 'decide',
  'GET /knowledge/search': 'read', 'POST /knowledge/ask': 'read', 'GET /knowledge/gaps': 'read', 'GET /knowledge/facts': 'read', 'POST /knowledge/groundedness': 'read',
  'POST /actions/sms': 'propose', 'POST /actions/tool': 'propose',
  'POST /deals/:id/proposal': 'propose', 'GET /proposals': 'read', 'GET /proposals/:id/pdf': 'read',
  'GET /conversations': 'read', 'POST /conversations/:id/reply': 'decide', 'GET /emails': 'read', 'POST /emails/:id/category': 'decide', 'PATCH /contacts/:id': 'decide',
  'POST /approvals/:id/approve': 'decide', 'POST /approvals/:id/reject': 'decide', 'POST /knowledge/gaps/:id/answer': 'decide',
  'POST /tokens': 'admin', 'GET /tokens': 'admin', 'DELETE /tokens/:id': 'admin', 'POST /tokens/:id/revoke': 'admin',
  'GET /users': 'admin', 'POST /users': 'admin', 'DELETE /users/:id': 'admin', 'PUT /users/:id/password': 'admin',
  'GET /playbooks': 'read', 'POST /playbooks/:id/shadow': 'propose', 'POST /playbooks/:id/run': 'admin', 'POST /runs/:id/retry': 'decide',
  'POST /playbooks/:id/enable': 'admin', 'POST /playbooks/:id/disable': 'admin', 'PATCH /playbooks/:id/settings': 'admin',
  'POST /connections': 'admin', 'POST /imports/:kind': 'admin', 'POST /knowledge/sync': 'admin',
  'GET /today': 'read', 'GET /brief': 'read', 'POST /brief/send': 'admin', 'GET /approvals/inbox': 'read', 'POST /approvals/batch': 'decide', 'POST /approvals/:id/teach': 'decide',
  'GET /conversations/inbox': 'read', 'GET /conversations/:id/messages': 'read', 'GET /live': 'read',
  'GET /contacts/:id/overview': 'read', 'GET /deals/pipeline': 'read', 'POST /deals/:id/stage': 'decide', 'POST /runs/:id/cancel': 'admin',
  'GET /settings': 'read', 'PUT /settings/policy': 'admin', 'PUT /settings/hours': 'admin', 'PUT /settings/voice': 'admin',
  'GET /knowledge/documents': 'read', 'POST /connections/:id/poll': 'admin', 'PUT /me/password': 'read',
  'GET /audit/inputs': 'read', 'POST /audits': 'admin', 'GET /audits/latest': 'read', 'GET /audits/:file': 'read', 'POST /audits/:id/apply': 'admin', 'GET /audits/:id/results': 'propose',
  'GET /onboarding': 'admin', 'POST /knowledge/website': 'admin',
  'POST /content/sources': 'propose', 'POST /content/weeks': 'propose', 'GET /content/weeks': 'read', 'GET /content/weeks/:week': 'read', 'GET /content/weeks/:week/export': 'read',
  'POST /content/weeks/:week/approve': 'decide', 'POST /content/posts/:id/edit': 'decide', 'POST /content/posts/:id/reject': 'decide', 'POST /content/posts/:id/image': 'decide',
  'GET /agency/businesses': 'read', 'GET /agency/businesses/:id': 'read', 'GET /agency/templates': 'read', 'POST /agency/businesses': 'admin',
  'GET /document-checklists': 'read', 'GET /document-packages': 'read', 'POST /document-packages': 'propose', 'GET /document-packages/:id': 'read',
  'GET /document-packages/:id/report.md': 'read', 'GET /document-packages/:id/report.pdf': 'read', 'POST /document-uploads/:id': 'propose',
  'POST /client-reports/ads': 'propose', 'GET /client-reports': 'read', 'POST /client-reports/make': 'propose', 'POST /client-reports/approve': 'propose', 'GET /client-reports/:id': 'read', 'GET /client-reports/:id/report.pdf': 'read',
  'POST /document-packages/:id/exceptions/:exceptionId': 'decide', 'POST /document-packages/:id/submit': 'decide', 'GET /document-qc/ledger': 'read',
  'GET /document-packages/:id/files/:file': 'read', 'GET /document-packages/:id/files/:file/pages/:page': 'read',
};

describe('scope per route', () => {
  it('every registered /api/v1 route declares a scope', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED).length);
    const undeclared = routes.filter((r) => !r.scope).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('decisions need decide, administration needs admin, proposals need propose, listings read', () => {
    const actual = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.scope]));
    expect(actual).toEqual(EXPECTED);
  });

  it('the OpenAPI document lists every route with the scope it needs', async () => {
    const doc = (await (await fetch(`${h.aios.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> }>> };
    for (const r of routes) {
      const op = doc.paths[`/api/v1${r.path.replace(/:(\w+)/g, '{$1}')}`]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path} in openapi.json`).toBeDefined();
      expect(op!.security, `${r.method} ${r.path}`).toEqual([{ bearer: [r.scope] }, { session: [r.scope] }]);
      expect(op!.responses['403']).toBeDefined();
    }
  });

  it('a token with every scope but the declared one is refused with 403 naming it', async () => {
    const owner = h.aios.cliTokens.get('acme')!;
    const without: Partial<Record<Scope, string>> = {};
    for (const s of SCOPES) {
      const r = await h.api(owner, 'POST', '/api/v1/tokens', { name: `all-but-${s}`, kind: 'integration', scopes: SCOPES.filter((x) => x !== s) });
      expect(r.status).toBe(201);
      without[s] = r.json.token;
    }
    for (const r of routes) {
      const path = `/api/v1${r.path.replace(':id', 'x').replace(':kind', 'contacts')}`;
      const res = await h.api(without[r.scope!]!, r.method, path, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      expect(res.status, `${r.method} ${path}`).toBe(403);
      expect(res.json, `${r.method} ${path}`).toMatchObject({ error: 'forbidden', message: `this token lacks the ${r.scope} scope` });
    }
  });
});
