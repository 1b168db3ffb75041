import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { addLoginUser, httpLogin, sessionFetch, type HttpSession } from './support/dashboard-session.js';
import { seedLedgerHistory, LEDGER_NOW } from './support/ledger-seed.js';
import { ManualClock } from '../src/core/clock.js';
import { createFromTemplate } from '../src/server/agency/business-create.js';
import { BusinessRefused } from '../src/server/agency/business-folder.js';
import { TEMPLATES_DIR } from '../src/server/agency/templates.js';
import { runCli } from './support/cli-in-process.js';
import { businessCommands } from '../src/cli/business-commands.js';

const ALPHA_YAML = `slug: alpha
name: Alpha Plumbing
time_zone: America/Toronto
phone: "+14165550100"
owner:
  name: Alma Owner
  phone: "+14165550111"
  email: alma@alpha.example
profile:
  trade: plumbing
  sign_off: "— Alma"
  website: https://alpha.example
  review_link: https://g.page/alpha/review
  other_phones: ["+14165550140"]
  average_job_value: 200
  hours: { mon: ["07:00", "19:00"], tue: ["07:00", "19:00"], wed: ["07:00", "19:00"], thu: ["07:00", "19:00"], fri: ["07:00", "19:00"], sat: closed, sun: closed }
roi:
  hourly_value: 60
  running_cost_cents_per_month: 3044
voice:
  answer: ring_first
  ring: ["+14165550111"]
  ring_seconds: 15
playbooks:
  missed-call-text-back:
    recall_window_minutes: 45
    reply_wait_hours: 24
`;
const FORMS_SECRET = 'alpha-forms-secret-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';

let h: Harness;
let impl: HttpSession;
let staff: HttpSession;
const id = (slug: string) => h.aios.services.tenants.all().find((t) => t.slug === slug)!.id;
const call = (s: HttpSession, method: string, path: string, body?: unknown) => sessionFetch(h.aios.url, s, method, path, body);

beforeAll(async () => {
  h = await startHarness([
    { slug: 'alpha', phone: '+14165550100', policy: AUTO_POLICY, files: { 'tenant.yaml': ALPHA_YAML, 'forms.yaml': `forms:\n  secret: "${FORMS_SECRET}"\nwidget:\n  enabled: false\n`, 'knowledge/services.md': '# Services\n\nWe fix leaking taps and unclog drains.\n' } },
    { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY },
    { slug: 'gamma', phone: '+14165550300', policy: AUTO_POLICY },
  ], { clock: new ManualClock(LEDGER_NOW) });
  await addLoginUser(h, { name: 'Ivy Implementer', email: 'ivy@agency.example', password: PASSWORD, role: 'implementer', slugs: ['alpha', 'beta'] });
  await addLoginUser(h, { name: 'Sam Staff', email: 'sam@alpha.example', password: PASSWORD, role: 'staff', slugs: ['alpha'] });
  impl = await httpLogin(h.aios.url, 'ivy@agency.example', PASSWORD, 'alpha');
  staff = await httpLogin(h.aios.url, 'sam@alpha.example', PASSWORD);

  // Alpha's records: what the overview must count (and what a clone must never copy).
  const { db } = h.aios.services;
  const a = id('alpha');
  await seedLedgerHistory(db, a, 'a_');
  await sql`insert into ledger (id, tenant_id, run_id, category, minutes_saved, ai_cost_micros, created_at) values ('a_led_ai_mar', ${a}, 'a_run_ai', 'ai.classify', 0, 250000, '2026-03-04T15:00:00Z')`.execute(db);
  const run = (rid: string, at: string, mode = 'live') => sql`insert into runs (id, tenant_id, playbook, version, status, mode, trigger_type, trigger_ref, started_at) values (${rid}, ${a}, 'missed-call-text-back', 2, 'completed', ${mode}, 'signal', ${rid}, ${at})`.execute(db);
  await run('a_r1', '2026-03-03T15:00:00Z');
  await run('a_r2', '2026-03-04T15:00:00Z');
  await run('a_r3', '2026-02-27T15:00:00Z');
  await run('a_r4', '2026-03-04T16:00:00Z', 'shadow');
  const out = (oid: string, channel: string, status: string, at: string) => sql`insert into outbox (id, tenant_id, idempotency_key, kind, channel, recipient, payload, status, sent_at, created_at) values (${oid}, ${a}, ${oid}, 'sms.send', ${channel}, '+14165550999', '{"body":"hi"}', ${status}, ${status === 'sent' ? at : null}, ${at})`.execute(db);
  for (const [i, at] of ['2026-03-02T15:00:00Z', '2026-03-03T15:00:00Z', '2026-03-04T15:00:00Z'].entries()) await out(`a_o${i}`, 'sms', 'sent', at);
  await out('a_o_mail', 'email', 'sent', '2026-03-04T15:00:00Z');
  await out('a_o_old', 'sms', 'sent', '2026-02-27T15:00:00Z');
  await out('a_o_failed', 'sms', 'failed', '2026-03-04T15:00:00Z');
  const approval = (aid: string, status: string) => sql`insert into approvals (id, tenant_id, run_id, step_id, action_kind, proposal, reasons, status, deadline) values (${aid}, ${a}, 'a_r1', ${aid}, 'sms.send', '{}', '[]', ${status}, '2026-03-12T00:00:00Z')`.execute(db);
  await approval('a_ap1', 'pending');
  await approval('a_ap2', 'pending');
  await approval('a_ap3', 'approved');
  const signal = (sid: string, status: string) => sql`insert into signals (id, tenant_id, kind, subject, dedup_key, status) values (${sid}, ${a}, 'missed_call', '+14165550999', ${sid}, ${status})`.execute(db);
  await signal('a_s1', 'open');
  await signal('a_s2', 'resolved');
  await sql`insert into connections (id, tenant_id, kind, name, credentials_encrypted, cursor, status, last_error) values
    ('a_c_imap', ${a}, 'imap', 'Office mail', 'sealed-secret', '{}', 'auth_failed', 'login refused: check the password'),
    ('a_c_stripe', ${a}, 'stripe', 'Payments', 'sealed-secret-2', '{}', 'ok', null)`.execute(db);
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

describe('agency: templates', () => {
  it('lists the shipped templates', async () => {
    const r = await call(impl, 'GET', '/api/v1/agency/templates');
    expect(r.status).toBe(200);
    expect(r.json.templates.map((t: { id: string }) => t.id)).toEqual(['coach', 'mortgage-brokerage', 'plumber']);
    expect(r.json.templates.find((t: { id: string }) => t.id === 'plumber').knowledge).toEqual(['faq.md', 'policies.md', 'prices.md']);
  });

  it('creates a business from a template: files, tenants row, memberships, loaded without restart, placeholders never used as facts', async () => {
    const r = await call(impl, 'POST', '/api/v1/agency/businesses', { template: 'plumber', name: 'Delta Drains', slug: 'delta-drains', phone: '416-555-0400', timeZone: 'America/Vancouver', ownerName: 'Dee Delta', ownerEmail: 'dee@delta.example' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const dir = join(h.home, 'tenants', 'delta-drains');
    expect(readdirSync(dir).sort()).toEqual(['forms.yaml', 'knowledge', 'policy.yaml', 'tenant.yaml']);
    const yaml = readFileSync(join(dir, 'tenant.yaml'), 'utf8');
    expect(yaml).toContain('slug: delta-drains');
    expect(yaml).toContain('name: Delta Drains');
    expect(yaml).toContain('+14165550400');
    expect(yaml).toContain('time_zone: America/Vancouver');
    expect(yaml).toContain('name: Dee Delta');
    expect(readFileSync(join(dir, 'knowledge/prices.md'), 'utf8')).toContain('Prices at Delta Drains');
    for (const f of ['tenant.yaml', 'knowledge/faq.md', 'knowledge/prices.md']) expect(readFileSync(join(dir, f), 'utf8')).not.toContain('{{');

    const { db, tenants } = h.aios.services;
    const row = await db.selectFrom('tenants').selectAll().where('slug', '=', 'delta-drains').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Delta Drains', phone: '+14165550400', time_zone: 'America/Vancouver' });
    const members = await db.selectFrom('memberships').innerJoin('principals', 'principals.id', 'memberships.principal_id').select(['principals.name', 'principals.email', 'memberships.role']).where('tenant_id', '=', row.id).orderBy('principals.name').execute();
    expect(members).toEqual([{ name: 'Dee Delta', email: 'dee@delta.example', role: 'owner' }, { name: 'Ivy Implementer', email: 'ivy@agency.example', role: 'implementer' }]);
    // The running server took it in: routing by number, a CLI token, the owner's login file.
    expect(tenants.byNumber('+14165550400')?.slug).toBe('delta-drains');
    const token = readFileSync(join(h.home, 'cli-tokens', 'delta-drains'), 'utf8').trim();
    expect((await h.api(token, 'GET', '/api/v1/status')).status).toBe(200);
    expect(readFileSync(join(h.home, 'dashboard-logins', 'delta-drains'), 'utf8')).toContain('dee@delta.example');

    // The knowledge skeleton is a draft: not indexed, so the customer's price question goes to the owner.
    const docs = await db.selectFrom('knowledge_documents').select(['path', 'status', 'error']).where('tenant_id', '=', row.id).orderBy('path').execute();
    expect(docs.map((d) => [d.path, d.status])).toEqual([['faq.md', 'failed'], ['policies.md', 'failed'], ['prices.md', 'failed']]);
    expect(docs[0]!.error).toMatch(/draft/);
    const ask = async () => (await fetch(`${h.aios.url}/widget/delta-drains/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'How much is a service call?' }) })).json() as Promise<{ status: string; answer: string }>;
    const before = await ask();
    expect(before.status).toBe('unknown');
    expect(before.answer).not.toMatch(/fill me in|\$/i);
    // Filled in and the draft line removed: the same question is answered from it (the draft gate was what stopped it).
    writeFileSync(join(dir, 'knowledge/prices.md'), '---\nkind: pricing\ntitle: Prices\n---\n# Prices\n\n- Service call (first hour): $129\n');
    expect((await h.api(token, 'POST', '/api/v1/knowledge/sync')).status).toBe(200);
    const after = await ask();
    expect(after.status).toBe('answered');
    expect(after.answer).toContain('$129');
  });

  it('refuses a template with a mistake naming file and field, and leaves nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aios-templates-'));
    cpSync(join(TEMPLATES_DIR, 'plumber'), join(root, 'broken'), { recursive: true });
    const text = readFileSync(join(root, 'broken/tenant.yaml'), 'utf8').replace('duration_minutes: 60', 'duration_minutes: sixty').replace('recall_window_minutes: 30', 'recal_window_minutes: 30');
    writeFileSync(join(root, 'broken/tenant.yaml'), text);
    const s = h.aios.services;
    const deps = { db: s.db, log: s.log, tenants: s.tenants, playbooks: s.host.playbooks(), home: s.config.home, now: () => s.clock.now() };
    const creator = (await s.db.selectFrom('principals').select('id').where('email', '=', 'ivy@agency.example').executeTakeFirstOrThrow()).id;
    const err = await createFromTemplate(deps, 'broken', { name: 'Echo', slug: 'echo-co', phone: '+14165550500', timeZone: 'America/Toronto', ownerName: 'Eve' }, creator, root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusinessRefused);
    const refused = err as BusinessRefused;
    expect(refused.file).toBe('templates/broken/tenant.yaml');
    expect(refused.problems.map((p) => p.field).sort()).toEqual(['booking.duration_minutes', 'playbooks.missed-call-text-back.recal_window_minutes']);
    expect(existsSync(join(h.home, 'tenants', 'echo-co'))).toBe(false);
    expect(readdirSync(join(h.home, 'tenants-staging'))).toEqual([]);
    expect(await s.db.selectFrom('tenants').select('id').where('slug', '=', 'echo-co').executeTakeFirst()).toBeUndefined();
    expect(s.tenants.byNumber('+14165550500')).toBeUndefined();

    // A bad policy.yaml is named the same way.
    writeFileSync(join(root, 'broken/tenant.yaml'), readFileSync(join(TEMPLATES_DIR, 'plumber/tenant.yaml'), 'utf8'));
    writeFileSync(join(root, 'broken/policy.yaml'), 'version: 1\nactions:\n  sms.send: sometimes\n');
    const err2 = (await createFromTemplate(deps, 'broken', { name: 'Echo', slug: 'echo-co', phone: '+14165550500', timeZone: 'America/Toronto', ownerName: 'Eve' }, creator, root).catch((e: unknown) => e)) as BusinessRefused;
    expect(err2.file).toBe('templates/broken/policy.yaml');
    expect(err2.problems[0]!.field).toContain('sms.send');
    expect(existsSync(join(h.home, 'tenants', 'echo-co'))).toBe(false);
  });

  it('answers an existing slug with a conflict and a fix, a taken number with the field', async () => {
    const taken = await call(impl, 'POST', '/api/v1/agency/businesses', { template: 'coach', name: 'Again', slug: 'beta', phone: '+14165550600', timeZone: 'America/Toronto', ownerName: 'A' });
    expect(taken.status).toBe(409);
    expect(taken.json.fix).toMatch(/another short name/);
    const number = await call(impl, 'POST', '/api/v1/agency/businesses', { template: 'coach', name: 'Again', slug: 'again-co', phone: '+14165550200', timeZone: 'America/Toronto', ownerName: 'A' });
    expect(number.status).toBe(400);
    expect(number.json).toMatchObject({ file: 'templates/coach/tenant.yaml', problems: [{ field: 'phone' }] });
    const newline = await call(impl, 'POST', '/api/v1/agency/businesses', { template: 'coach', name: 'Evil\ndraft: false', slug: 'again-co', phone: '+14165550600', timeZone: 'America/Toronto', ownerName: 'A' });
    expect(newline.status).toBe(400);
    expect(newline.json.message).toMatch(/name: must be one line/);
    const zone = await call(impl, 'POST', '/api/v1/agency/businesses', { template: 'coach', name: 'Again', slug: 'again-co', phone: '+14165550600', timeZone: 'Mars/Olympus', ownerName: 'A' });
    expect(zone.status).toBe(400);
    expect(zone.json.problems[0].field).toBe('time_zone');
    expect(existsSync(join(h.home, 'tenants', 'again-co'))).toBe(false);
  });
});

describe('agency: clone', () => {
  it('copies settings, policy, playbook settings, voice, knowledge and forms; never records, secrets, numbers or the owner', async () => {
    const r = await call(impl, 'POST', '/api/v1/agency/businesses', { cloneFrom: 'alpha', name: 'Alpha North', slug: 'alpha-north', phone: '+14165550700', ownerName: 'Nora North' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const dir = join(h.home, 'tenants', 'alpha-north');
    const yaml = readFileSync(join(dir, 'tenant.yaml'), 'utf8');
    expect(yaml).toContain('recall_window_minutes: 45');
    expect(yaml).toContain('hourly_value: 60');
    expect(yaml).toContain('ring_seconds: 15');
    expect(yaml).toContain('"07:00"');
    expect(yaml).toContain('name: Nora North');
    for (const gone of ['+14165550111', '+14165550140', '+14165550100', 'alpha.example', 'Alma', 'review']) expect(yaml).not.toContain(gone);
    expect(readFileSync(join(dir, 'policy.yaml'), 'utf8')).toBe(AUTO_POLICY);
    const forms = readFileSync(join(dir, 'forms.yaml'), 'utf8');
    expect(forms).not.toContain(FORMS_SECRET);
    expect(forms).toContain('enabled: false');
    expect(readFileSync(join(dir, 'knowledge/services.md'), 'utf8')).toContain('unclog drains');

    const { db } = h.aios.services;
    const t = r.json.business.tenantId as string;
    for (const table of ['contacts', 'connections', 'invoices', 'ledger', 'runs', 'approvals', 'signals', 'outbox', 'deals', 'bookings'] as const) {
      const n = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${t}`.execute(db);
      expect(n.rows[0]!.n, table).toBe(0);
    }
    const alphaOwner = await db.selectFrom('memberships').select('principal_id').where('tenant_id', '=', id('alpha')).where('role', '=', 'owner').executeTakeFirstOrThrow();
    const owners = await db.selectFrom('memberships').select('principal_id').where('tenant_id', '=', t).where('role', '=', 'owner').execute();
    expect(owners).toHaveLength(1);
    expect(owners[0]!.principal_id).not.toBe(alphaOwner.principal_id);
    const tokens = await db.selectFrom('api_tokens').select(['principal_id', 'name']).where('tenant_id', '=', t).execute();
    expect(tokens).toEqual([{ principal_id: owners[0]!.principal_id, name: 'cli' }]);
  });
});

describe('agency: overview and isolation', () => {
  it('shows the seeded numbers of each business, with one row per business of the user', async () => {
    const r = await call(impl, 'GET', '/api/v1/agency/businesses');
    expect(r.status).toBe(200);
    expect(r.json.businesses.map((b: { slug: string }) => b.slug).sort()).toEqual(['alpha', 'alpha-north', 'beta', 'delta-drains']);
    const a = r.json.businesses.find((b: { slug: string }) => b.slug === 'alpha');
    // Week since Mon Mar 2 (Toronto); month since Mar 1; now Thu Mar 5 12:00 local (4.5 days).
    expect(a).toMatchObject({
      role: 'implementer', runsThisWeek: 2, textsSentThisWeek: 3, emailsSentThisWeek: 1,
      aiCostCentsThisMonth: 25, // 250,000 micro-dollars
      hoursSavedThisMonth: 0.5, // 2 lead answers × 5 + a booking 10 + an invoice recovered 10 = 30 min
      moneyRecoveredCentsThisMonth: 50_000, // invoice 30,000 (capped at the balance when chased) + 1 web-form job × 200
      valueCentsThisMonth: 53_000, // 0.5 h × 60 + 500.00
      costCentsThisMonth: 475, // 3,044 / 30.44 × 4.5 days = 450 + 25
      roiThisMonth: 111.58,
      approvalsWaiting: 2, signalsOpen: 1, connectionsFailing: 1, phoneConfigured: true, mailConfigured: false,
    });
    expect(a.connections).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'imap', ok: false, status: 'auth_failed', lastError: 'login refused: check the password' }), expect.objectContaining({ kind: 'stripe', ok: true })]));
    const b = r.json.businesses.find((x: { slug: string }) => x.slug === 'beta');
    expect(b).toMatchObject({ runsThisWeek: 0, textsSentThisWeek: 0, approvalsWaiting: 0, hoursSavedThisMonth: 0, moneyRecoveredCentsThisMonth: 0 });
  });

  it('never shows or clones a business the user is not a member of (404, not 403)', async () => {
    const gamma = id('gamma');
    for (const key of [gamma, 'gamma']) {
      const one = await call(impl, 'GET', `/api/v1/agency/businesses/${key}`);
      expect(one.status).toBe(404);
      expect(JSON.stringify(one.json)).not.toContain('gamma Co');
      const clone = await call(impl, 'POST', '/api/v1/agency/businesses', { cloneFrom: key, name: 'Stolen', slug: 'stolen-co', phone: '+14165550800', ownerName: 'X' });
      expect(clone.status).toBe(404);
    }
    expect(existsSync(join(h.home, 'tenants', 'stolen-co'))).toBe(false);
    expect((await call(impl, 'GET', `/api/v1/agency/businesses/${id('beta')}`)).status).toBe(200);
    // Gamma's owner (its CLI token) sees only gamma.
    const gammaToken = h.aios.cliTokens.get('gamma')!;
    const g = await h.api(gammaToken, 'GET', '/api/v1/agency/businesses');
    expect(g.json.businesses.map((x: { slug: string }) => x.slug)).toEqual(['gamma']);
    expect((await h.api(gammaToken, 'GET', `/api/v1/agency/businesses/${id('alpha')}`)).status).toBe(404);
  });

  it('staff see no agency view and cannot create or clone', async () => {
    expect((await call(staff, 'GET', '/api/v1/agency/businesses')).status).toBe(403);
    expect((await call(staff, 'GET', `/api/v1/agency/businesses/${id('alpha')}`)).status).toBe(404);
    const create = await call(staff, 'POST', '/api/v1/agency/businesses', { cloneFrom: 'alpha', name: 'Side', slug: 'side-co', phone: '+14165550900', ownerName: 'S' });
    expect(create.status).toBe(403);
    expect(existsSync(join(h.home, 'tenants', 'side-co'))).toBe(false);
  });
});

describe('agency: CLI', () => {
  it('lists templates, creates and clones through the running AIOS, and shows the agency table', async () => {
    const target = { url: h.aios.url, token: h.aios.cliTokens.get('beta')!, slug: 'beta', home: h.home };
    const cli = (...args: string[]) => runCli((p) => businessCommands(p, () => target), ...args);
    expect(await cli('business', 'templates')).toMatch(/mortgage-brokerage[\s\S]*plumber/);
    const made = await cli('business', 'create', '--template', 'coach', '--name', 'Foxtrot Coaching', '--phone', '+14165551000', '--time-zone', 'America/Halifax', '--owner-name', 'Fay');
    expect(made).toContain('created Foxtrot Coaching (foxtrot-coaching)');
    expect(await cli('business', 'clone', 'foxtrot-coaching', '--name', 'Foxtrot West', '--slug', 'foxtrot-west', '--phone', '+14165551001', '--owner-name', 'Wes')).toContain('created Foxtrot West (foxtrot-west)');
    expect(readFileSync(join(h.home, 'tenants', 'foxtrot-west', 'tenant.yaml'), 'utf8')).toContain('time_zone: America/Halifax');
    const table = await cli('agency');
    for (const slug of ['beta', 'foxtrot-coaching', 'foxtrot-west']) expect(table).toContain(`(${slug})`);
    expect(table).not.toContain('(alpha)');
    // A refused create names the file and field.
    await expect(cli('business', 'create', '--template', 'coach', '--name', 'Bad', '--phone', '12', '--time-zone', 'America/Toronto', '--owner-name', 'B')).rejects.toThrow(/tenant\.yaml.*phone/);
    expect(existsSync(join(h.home, 'tenants', 'bad'))).toBe(false);
  });
});
