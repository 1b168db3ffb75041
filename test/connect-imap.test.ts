import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(() => h?.stop());

describe('POST /api/v1/connections', () => {
  it('refuses credentials that do not reach the service, in plain words, and saves nothing', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', { kind: 'imap', name: 'inbox', credentials: { host: '127.0.0.1', port: 1, secure: false, user: 'u', password: 'p' } });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/could not connect/);
    expect(JSON.stringify(r.json)).not.toContain('"p"');
    const list = await h.api(token, 'GET', '/api/v1/connections');
    expect(list.json.connections).toHaveLength(0);
  });

  it('refuses an unknown kind and malformed credentials', async () => {
    expect((await h.api(token, 'POST', '/api/v1/connections', { kind: 'fax', credentials: {} })).status).toBe(400);
    const bad = await h.api(token, 'POST', '/api/v1/connections', { kind: 'imap', credentials: { host: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/invalid credentials/);
  });

  it('saves a Stripe connection encrypted', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', { kind: 'stripe', name: 'payments', credentials: { webhookSecret: 'whsec_test_secret_value' } });
    expect(r.status).toBe(201);
    const row = await h.aios.db.selectFrom('connections').select('credentials_encrypted').where('id', '=', r.json.connection.id).executeTakeFirstOrThrow();
    expect(row.credentials_encrypted).not.toContain('whsec_test_secret_value');
    expect(row.credentials_encrypted).toMatch(/^aios-sb2\./);
  });
});
