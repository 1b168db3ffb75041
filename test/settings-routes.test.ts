import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

/** Policy, business hours and voice over `/api/v1/settings`: validated like start-up, audited, tenant-scoped. */
let h: Harness;
let owner: string;
let other: string;
const file = (slug: string, name: string) => join(h.home, 'tenants', slug, name);
const WEEK = { mon: ['08:00', '17:00'], tue: ['08:00', '17:00'], wed: ['08:00', '17:00'], thu: ['08:00', '17:00'], fri: ['08:00', '16:00'], sat: 'closed', sun: 'closed' };

beforeAll(async () => {
  h = await startHarness([
    { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY, files: { 'knowledge/faq.md': '# Do you work weekends?\nNo, Monday to Friday only.\n' } },
    { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY },
  ]);
  owner = h.aios.cliTokens.get('acme')!;
  other = h.aios.cliTokens.get('beta')!;
}, 60_000);
afterAll(() => h?.stop());

describe('policy', () => {
  it('a bad policy is refused with every problem and the file is unchanged', async () => {
    const before = readFileSync(file('acme', 'policy.yaml'), 'utf8');
    const r = await h.api(owner, 'PUT', '/api/v1/settings/policy', { text: 'version: 1\ndefualt: auto\nactions:\n  sms.snd: auto\nquiet_hours:\n  start: "25:00"\n  end: "08:00"\n' });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('config_invalid');
    const fields = r.json.problems.map((p: { field: string }) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['defualt', 'quiet_hours.start']));
    expect(r.json.problems.find((p: { field: string }) => p.field === 'defualt').problem).toMatch(/did you mean "default"/);
    expect(readFileSync(file('acme', 'policy.yaml'), 'utf8')).toBe(before);
    const yamlBroken = await h.api(owner, 'PUT', '/api/v1/settings/policy', { text: 'version: 1\nactions: [\n' });
    expect(yamlBroken.status).toBe(400);
    expect(yamlBroken.json.problems[0].problem).toMatch(/not valid YAML/);
  });

  it('a good policy is written, in force for the next decision, and audited', async () => {
    const text = AUTO_POLICY.replace('sms.send: auto', 'sms.send: approve');
    const r = await h.api(owner, 'PUT', '/api/v1/settings/policy', { text });
    expect(r.status).toBe(200);
    expect(readFileSync(file('acme', 'policy.yaml'), 'utf8')).toBe(text);
    const t = h.aios.services.tenants.all().find((x) => x.slug === 'acme')!;
    expect(h.aios.services.tenants.policy(t.id).actions['sms.send']).toBe('approve');
    const audit = await h.aios.services.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', t.id).where('action', '=', 'settings.policy').execute();
    expect(audit).toHaveLength(1);
    expect(readFileSync(file('beta', 'policy.yaml'), 'utf8')).toBe(AUTO_POLICY);
  });
});

describe('business hours', () => {
  it('are written into tenant.yaml (the rest kept) and read back', async () => {
    const r = await h.api(owner, 'PUT', '/api/v1/settings/hours', { hours: WEEK });
    expect(r.status).toBe(200);
    const yaml = readFileSync(file('acme', 'tenant.yaml'), 'utf8');
    expect(yaml).toContain('booking_link: https://book.example/acme');
    expect(yaml).toMatch(/mon: \[ "?08:00"?, "?17:00"? \]/);
    expect((await h.api(owner, 'GET', '/api/v1/settings')).json.hours).toEqual(WEEK);
    expect((await h.api(other, 'GET', '/api/v1/settings')).json.hours).toBeNull();
  });

  it('a bad time is refused naming the day, nothing written', async () => {
    const before = readFileSync(file('acme', 'tenant.yaml'), 'utf8');
    const r = await h.api(owner, 'PUT', '/api/v1/settings/hours', { hours: { ...WEEK, tue: ['8am', '17:00'] } });
    expect(r.status).toBe(400);
    expect(r.json.problems[0].field).toMatch(/^profile\.hours\.tue/);
    expect(r.json.problems[0].problem).toMatch(/HH:MM/);
    expect(readFileSync(file('acme', 'tenant.yaml'), 'utf8')).toBe(before);
    const missing = await h.api(owner, 'PUT', '/api/v1/settings/hours', { hours: { mon: 'closed' } });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/hours\.tue/);
  });
});

describe('voice', () => {
  it('is saved into the knowledge folder and indexed', async () => {
    const r = await h.api(owner, 'PUT', '/api/v1/settings/voice', { text: '# Our voice\nShort, friendly, no jargon. Sign off as "the Acme crew".\n' });
    expect(r.status).toBe(200);
    expect(readFileSync(file('acme', 'knowledge/voice.md'), 'utf8')).toContain('the Acme crew');
    const docs = (await h.api(owner, 'GET', '/api/v1/knowledge/documents')).json.documents;
    expect(docs.map((d: { path: string }) => d.path)).toContain('voice.md');
    expect((await h.api(other, 'GET', '/api/v1/knowledge/documents')).json.documents).toEqual([]);
    expect((await h.api(owner, 'GET', '/api/v1/settings')).json.voice.text).toContain('Acme crew');
  });

  it('a NUL or other control character in the text is dropped, not written into the file or the index', async () => {
    const r = await h.api(owner, 'PUT', '/api/v1/settings/voice', { text: 'Friendly\u0000 and brief.\u0007\n' });
    expect(r.status).toBe(200);
    expect(readFileSync(file('acme', 'knowledge/voice.md'), 'utf8')).toBe('Friendly and brief.\n');
  });
});

describe('poll a connection now', () => {
  it("polls this business's connection, and another business's connection id is 404", async () => {
    const beta = h.aios.services.tenants.all().find((t) => t.slug === 'beta')!;
    await h.aios.services.db.insertInto('connections').values({ id: 'conn_beta_mail', tenant_id: beta.id, kind: 'imap', name: 'Beta mailbox' }).execute();
    const r = await h.api(owner, 'POST', '/api/v1/connections/conn_beta_mail/poll', {});
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.json)).not.toContain('Beta mailbox');
    const mine = await h.api(other, 'POST', '/api/v1/connections/conn_beta_mail/poll', {});
    expect(mine.status).toBe(202);
    expect(mine.json.connection.name).toBe('Beta mailbox');
  });
});
