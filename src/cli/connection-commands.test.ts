import { describe, it, expect, afterAll, vi } from 'vitest';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Command } from 'commander';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { createLogger } from '../core/logger.js';
import { connectionRoutes } from '../server/http/connection-routes.js';
import type { Vars } from '../server/http/services.js';
import { registerConnectionCommands } from './connection-commands.js';

const t = await createTestDatabase();
const tid = await insertTenant(t.db, 'clico', '+14165550500');
const app = new Hono<{ Variables: Vars }>();
app.use('*', async (c, next) => {
  if (c.req.header('authorization') !== 'Bearer tok') return c.json({ error: 'unauthorized', message: 'bad token' }, 401);
  c.set('tenantId', tid);
  c.set('actor', 'test');
  c.set('principal', { id: 'pr_test', kind: 'user', name: 'test', role: 'owner', scopes: ['read', 'propose', 'decide', 'admin'], tokenId: 'tok' });
  await next();
});
app.route('/api/v1', connectionRoutes({ db: t.db, log: createLogger('test') }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(async () => {
  server.close();
  await t.close();
});

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  try {
    const program = new Command().exitOverride();
    registerConnectionCommands(program, { target: () => ({ url, token: 'tok' }) });
    await program.parseAsync(['node', 'aios', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}
const fx = (f: string) => join(import.meta.dirname, '../../test/fixtures/csv', f);

describe('aios import / connections / quarantine', () => {
  it('dry run prints counts and the per-row error table, writes nothing', async () => {
    const out = await run('import', 'contacts', fx('hubspot-contacts.csv'), '--dry-run');
    expect(out).toMatch(/hubspot: 6 rows — would import 2 new, 1 matched existing, 3 skipped \(dry run/);
    expect(out).toMatch(/row\s+column\s+problem/);
    expect(out).toMatch(/6\s+Phone Number\s+"12345" is not a phone number of CA/);
    expect(await t.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid).execute()).toHaveLength(0);
  });

  it('imports with a mapping and reports JSON', async () => {
    const out = await run('import', 'contacts', fx('unknown.csv'), '--map', 'Who=name,Tel=phone', '--json');
    expect(JSON.parse(out)).toMatchObject({ format: 'custom', imported: 1 });
  });

  it('an unknown format fails with the fix', async () => {
    await expect(run('import', 'contacts', fx('unknown.csv'))).rejects.toMatchObject({ code: 'import_format_unknown', fix: expect.stringMatching(/--map/) });
  });

  it('lists connections and quarantine', async () => {
    expect(await run('connections')).toBe('(none)\n');
    expect(JSON.parse(await run('quarantine', '--json'))).toEqual([]);
  });
});
