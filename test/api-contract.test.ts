import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ZodType } from 'zod';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';
import { apiRoutes } from '../src/server/http/api-routes.js';
import { routeScopes } from '../src/server/http/require-scope.js';
import { apiDocument, offlineRoutes, type ApiDocument } from '../src/server/http/api-document.js';
import { apiTypesSource } from '../src/server/http/api-types.js';

/**
 * One contract for the API: the routes Hono mounts under /api/v1, the OpenAPI document served at
 * /openapi.json, the dashboard's generated client types, and what the handlers really answer
 * cannot drift apart. A route added without `createRoute` (or without its scope), a document
 * edited by hand, a `schema.d.ts` not regenerated, or a handler answering a shape its schema does
 * not declare fails here.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111', policy: APPROVE_FIRST_POLICY };
const caller = '+14165550123';
let h: Harness;
let owner: string;
let assistant: string;
let served: ApiDocument;
let contactId: string;
let runId: string;

type Op = { security?: unknown; responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> };
type JsonSchema = { $ref?: string; type?: string | string[]; properties?: Record<string, JsonSchema>; additionalProperties?: boolean | JsonSchema; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };

beforeAll(async () => {
  h = await startHarness([A]);
  owner = h.aios.cliTokens.get(A.slug)!;
  const t = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'claude', kind: 'assistant' });
  expect(t.status).toBe(201);
  assistant = t.json.token;
  // A missed call: a contact, a conversation, a run waiting on an approval, the owner's notice.
  await h.voice(caller, A.phone);
  const approval = await eventually(async () => (await h.aios.db.selectFrom('approvals').select(['run_id']).where('status', '=', 'pending').executeTakeFirst()), 15_000, 'a pending approval');
  runId = approval.run_id;
  const tenantId = (await h.aios.db.selectFrom('tenants').select('id').where('slug', '=', A.slug).executeTakeFirstOrThrow()).id;
  contactId = (await h.aios.db.selectFrom('contacts').select('id').where('tenant_id', '=', tenantId).where('phone', '=', caller).executeTakeFirstOrThrow()).id;
  await h.aios.db.insertInto('deals').values({ id: 'deal_contract', tenant_id: tenantId, contact_id: contactId, title: 'Water heater', stage: 'new lead', value_cents: 180000 }).execute();
  served = (await (await fetch(`${h.aios.url}/openapi.json`)).json()) as ApiDocument;
});
afterAll(() => h?.stop());

const opsOf = (doc: ApiDocument) => doc.paths as unknown as Record<string, Record<string, Op>>;

describe('routes ↔ document', () => {
  it('every /api/v1 route Hono mounts is in the document with its scope (bearer or session), 401 and 403, and nothing else is', () => {
    const scopes = routeScopes(apiRoutes(h.aios.services));
    const mounted = Object.keys(scopes).sort();
    const documented: string[] = [];
    for (const [path, ops] of Object.entries(opsOf(served))) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${path.slice('/api/v1'.length).replace(/\{(\w+)\}/g, ':$1')}`;
        documented.push(key);
        const scope = scopes[key];
        expect(op.security, key).toEqual([{ bearer: [scope] }, { session: [scope] }]);
        expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(documented.sort()).toEqual(mounted);
    expect(mounted.length).toBeGreaterThanOrEqual(80);
  });

  it('every JSON success answer declares its shape (no bare object)', () => {
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(opsOf(served))) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, r] of Object.entries(op.responses)) {
          const schema = r.content?.['application/json']?.schema;
          if (!status.startsWith('2') || !schema) continue;
          if (!schema.$ref && !schema.properties && !schema.anyOf && !schema.oneOf && !schema.allOf) bare.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(bare).toEqual([]);
  });

  it('the served document is the one generated from the routes (only the server address differs)', () => {
    const generated = JSON.parse(JSON.stringify(apiDocument(h.aios.url))) as ApiDocument;
    expect(served).toEqual({ ...generated, servers: served.servers });
    expect(served.components?.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie' } });
  });

  it('web/src/api/schema.d.ts is what `npm run gen:api` writes now', async () => {
    const committed = readFileSync(fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url)), 'utf8');
    expect(committed === (await apiTypesSource()), 'schema.d.ts is stale: run `npm run gen:api` and commit it').toBe(true);
  });
});

let registry: ReturnType<typeof offlineRoutes> | undefined;

/** The zod schema a route declares for `status` of `method url` (the registry of the mounted app). */
function declaredSchema(method: string, url: string, status: number): { template: string; schema: ZodType } {
  const path = new URL(url, 'http://x').pathname;
  const defs = (registry ??= offlineRoutes()).openAPIRegistry.definitions.flatMap((d) => (d.type === 'route' && d.route.method === method.toLowerCase() ? [d.route] : []));
  const hits = defs.filter((r) => new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path)).sort((a, b) => a.path.split('{').length - b.path.split('{').length);
  const route = hits[0];
  if (!route) throw new Error(`no declared route for ${method} ${path}`);
  const schema = (route.responses[status] as { content?: Record<string, { schema?: ZodType }> } | undefined)?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${route.path} declares no JSON answer for ${status}`);
  return { template: route.path, schema };
}

/** Keys of `value` the document's JSON Schema does not describe (a field the handler sends undocumented). */
function undocumented(schema: JsonSchema | undefined, value: unknown, at: string): string[] {
  if (!schema || value === null || typeof value !== 'object') return [];
  if (schema.$ref) return undocumented((served.components?.schemas as Record<string, JsonSchema>)[schema.$ref.split('/').pop()!], value, at);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const tries = branches.map((b) => undocumented(b, value, at));
    return tries.find((t) => t.length === 0) ?? tries.sort((x, y) => x.length - y.length)[0] ?? [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => undocumented(schema.items, v, `${at}[${i}]`));
  if (!schema.properties) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (schema.properties![k]) return undocumented(schema.properties![k], v, `${at}.${k}`);
    if (schema.additionalProperties && schema.additionalProperties !== true) return undocumented(schema.additionalProperties, v, `${at}.${k}`);
    return schema.additionalProperties === true ? [] : [`${at}.${k}`];
  });
}

/** Calls the API and checks the answer against the schema its route declares for that status. */
async function answersAsDeclared(token: string | null, method: string, url: string, status: number, body?: unknown): Promise<any> {
  const res = await fetch(`${h.aios.url}${url}`, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((err: unknown) => { throw new Error(`${method} ${url}: ${String(err)}`); });
  const json = (await res.json()) as unknown;
  expect(res.status, `${method} ${url}: ${JSON.stringify(json).slice(0, 300)}`).toBe(status);
  const { template, schema } = declaredSchema(method, url, status);
  const parsed = schema.safeParse(json);
  expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), `${method} ${url} against ${template} ${status}`).toEqual([]);
  const docSchema = opsOf(served)[template]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.schema;
  expect(undocumented(docSchema, json, '$'), `${method} ${url}: fields the document does not describe`).toEqual([]);
  return json;
}

describe('real answers fit their declared schemas', () => {
  it('list and detail endpoints of a seeded business', async () => {
    for (const url of ['/api/v1/status', '/api/v1/runs', '/api/v1/approvals', '/api/v1/contacts', `/api/v1/contacts/${contactId}/messages`, `/api/v1/contacts/${contactId}/overview`, '/api/v1/deals', '/api/v1/deals/pipeline',
      '/api/v1/outbox', '/api/v1/signals?status=all', '/api/v1/ledger', '/api/v1/tokens', '/api/v1/users', '/api/v1/playbooks', '/api/v1/conversations', '/api/v1/bookings', '/api/v1/invoices',
      '/api/v1/connections', '/api/v1/quarantine', '/api/v1/knowledge/gaps', '/api/v1/knowledge/facts', '/api/v1/approvals/inbox', '/api/v1/conversations/inbox', '/api/v1/today', '/api/v1/settings', '/api/v1/proposals']) {
      await answersAsDeclared(owner, 'GET', url, 200);
    }
    const run = await answersAsDeclared(owner, 'GET', `/api/v1/runs/${runId}`, 200);
    expect(run.run.id).toBe(runId);
    expect(run.steps.length).toBeGreaterThan(0);
    const approvals = await answersAsDeclared(owner, 'GET', '/api/v1/approvals', 200);
    expect(approvals.approvals.length).toBeGreaterThan(0);
  });

  it('a change answers its declared shape', async () => {
    const signal = await h.aios.db.selectFrom('signals').select('id').executeTakeFirstOrThrow();
    const snoozed = await answersAsDeclared(owner, 'POST', `/api/v1/signals/${signal.id}/snooze`, 200, { for: '2d' });
    expect(snoozed.signal.status).toBe('snoozed');
    await answersAsDeclared(owner, 'PATCH', `/api/v1/contacts/${contactId}`, 200, { reviewOptOut: true });
  });

  it('400, 401, 403 and 404 answer the declared error shape', async () => {
    await answersAsDeclared(owner, 'GET', '/api/v1/runs?limit=0', 400);
    await answersAsDeclared(owner, 'POST', '/api/v1/actions/sms', 400, { to: caller });
    await answersAsDeclared(null, 'GET', '/api/v1/runs', 401);
    await answersAsDeclared(assistant, 'POST', '/api/v1/tokens', 403, { name: 'x' });
    await answersAsDeclared(assistant, 'POST', `/api/v1/approvals/x/approve`, 403, {});
    await answersAsDeclared(owner, 'GET', '/api/v1/runs/run_nope', 404);
    await answersAsDeclared(owner, 'GET', '/api/v1/contacts/ct_nope/messages', 404);
    await answersAsDeclared(owner, 'POST', '/api/v1/invoices/inv_nope/paid', 404);
  });
});
