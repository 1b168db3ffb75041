import { describe, it, expect, afterAll } from 'vitest';
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { createLogger } from '../../core/logger.js';
import { SecretBox } from '../../connection/framework/secret-box.js';
import { createConnection } from '../../connection/framework/connections.js';
import { quarantineItem } from '../../connection/framework/quarantine.js';
import { connectionRoutes, NDJSON } from './connection-routes.js';
import type { Vars } from './services.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'routeco', '+14165550400');
const app = new Hono<{ Variables: Vars }>();
app.use('*', async (c, next) => {
  c.set('tenantId', tid);
  c.set('actor', 'test');
  c.set('principal', { id: 'pr_test', kind: 'user', name: 'test', role: 'owner', scopes: ['read', 'propose', 'decide', 'admin'], tokenId: 'tok_test' });
  await next();
});
app.route('/api/v1', connectionRoutes({ db: t.db, log: createLogger('test') }));
const csv = readFileSync(join(import.meta.dirname, '../../../test/fixtures/csv/hubspot-contacts.csv'));

describe('connection routes', () => {
  it('GET /connections hides credentials; GET /quarantine lists items', async () => {
    await createConnection(t.db, new SecretBox(randomBytes(32)), { tenantId: tid, kind: 'stripe', name: 'Stripe', credentials: { webhookSecret: 'whsec_x' } });
    await quarantineItem(t.db, { tenantId: tid, source: 'stripe', externalId: 'evt_1', reason: 'malformed JSON' });
    const conns = (await (await app.request('/api/v1/connections')).json()) as { connections: Array<Record<string, unknown>> };
    expect(conns.connections[0]).toMatchObject({ kind: 'stripe', status: 'ok', has_credentials: true });
    expect(JSON.stringify(conns)).not.toContain('whsec_x');
    expect(conns.connections[0]).not.toHaveProperty('credentials_encrypted');
    const q = (await (await app.request('/api/v1/quarantine')).json()) as { items: Array<Record<string, unknown>> };
    expect(q.items[0]).toMatchObject({ reason: 'malformed JSON' });
  });

  it('POST /imports/contacts?dryRun=1 answers JSON and writes nothing', async () => {
    const res = await app.request('/api/v1/imports/contacts?dryRun=1', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'hubspot', dryRun: true, imported: 2, skipped: 3 });
    expect(await t.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid).execute()).toHaveLength(0);
  });

  it('POST /imports/contacts streams progress and the result as NDJSON', async () => {
    const res = await app.request('/api/v1/imports/contacts', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv', accept: NDJSON } });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines.some((l) => l.progress)).toBe(true);
    expect(lines.at(-1)!.result).toMatchObject({ imported: 2, errors: expect.arrayContaining([expect.objectContaining({ row: 4, column: 'Email' })]) });
  });

  it('refuses unknown kinds, wrong content types and unknown formats with a fix', async () => {
    expect((await app.request('/api/v1/imports/widgets', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(404);
    expect((await app.request('/api/v1/imports/contacts', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(415);
    const res = await app.request('/api/v1/imports/contacts', { method: 'POST', body: 'Who,Tel\nZed,4165550199\n', headers: { 'content-type': 'text/csv' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'import_format_unknown', fix: expect.stringMatching(/--map/) });
    const mapped = await app.request(`/api/v1/imports/contacts?map=${encodeURIComponent('Who=name,Tel=phone')}`, { method: 'POST', body: 'Who,Tel\nZed,4165550199\n', headers: { 'content-type': 'text/csv' } });
    expect(await mapped.json()).toMatchObject({ format: 'custom', imported: 1 });
  });
});
