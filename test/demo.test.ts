import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAios, type Aios } from '../src/server/runtime.js';
import { seedDemo } from '../src/server/demo/seed-demo.js';
import { loadConfig } from '../src/core/config.js';
import { ManualClock } from '../src/core/clock.js';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { eventually } from './support/harness.js';
import { countSegments } from '../src/core/sms-segments.js';

/**
 * What `npm start` shows on a fresh machine, offline (no model, no Twilio): the demo business with
 * its knowledge indexed, missed calls texted back from the offline template, one text waiting for
 * approval, a reply that opened a deal, and the ledger counting. The clock reads 10:00 in Toronto
 * on a Tuesday so quiet hours do not hold the texts.
 */
let tdb: TestDatabase;
let home: string;
let aios: Aios;
let link: string | null;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
  home = mkdtempSync(join(tmpdir(), 'aios-demo-'));
  aios = await startAios({ config: loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: tdb.url }), clock: new ManualClock('2026-11-24T15:00:00Z'), env: {} });
  ({ approvalLink: link } = await seedDemo(aios));
});
afterAll(async () => {
  await aios?.stop();
  await tdb?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the demo business', () => {
  it('is created with its files and knowledge', async () => {
    expect(aios.demoCreated).toBe(true);
    const t = aios.tenants.bySlugOrThrow('maple-plumbing');
    expect(t).toMatchObject({ name: 'Maple Plumbing & Heating', timeZone: 'America/Toronto' });
    // The office and emergency lines its knowledge gives are the business's own (not foreign numbers).
    expect(t.profile.other_phones).toEqual(['+14165550140', '+14165550190']);
    for (const f of ['tenant.yaml', 'policy.yaml', 'knowledge']) expect(existsSync(join(t.dir, f))).toBe(true);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect([mode(join(t.dir, '..')), mode(t.dir), mode(join(t.dir, 'tenant.yaml')), mode(join(t.dir, 'policy.yaml'))]).toEqual([0o700, 0o700, 0o600, 0o600]);
    const docs = await aios.db.selectFrom('knowledge_documents').select('id').where('tenant_id', '=', t.id).execute();
    expect(docs.length).toBeGreaterThan(20);
  });

  it('texted the returning callers from the offline template, in the owner’s voice and with the booking link', async () => {
    const t = aios.tenants.bySlugOrThrow('maple-plumbing');
    const sent = await eventually(async () => {
      const rows = await aios.db.selectFrom('outbox').selectAll().where('tenant_id', '=', t.id).where('kind', '=', 'sms.send').where('status', '=', 'sent').where('idempotency_key', 'like', '%:text-back').execute();
      return rows.length >= 3 ? rows : undefined;
    }, 15_000, 'three text-backs');
    for (const r of sent) {
      const body = (r.payload as { body: string }).body;
      expect(body).toContain('Maple Plumbing & Heating');
      expect(body).toContain('https://book.mapleplumbing.example/');
      expect(body).toContain('- Dana');
      expect(countSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      expect(r.segments).toBe(1);
      expect(r.provider_ref).toMatch(/^sandbox:/);
    }
    expect(sent.map((r) => (r.payload as { body: string }).body).some((b) => b.startsWith('Hi Priya'))).toBe(true);
  });

  it('answered Priya\'s "could someone come tomorrow morning?" with three times tomorrow morning', async () => {
    const t = aios.tenants.bySlugOrThrow('maple-plumbing');
    const offer = await eventually(async () => {
      const rows = await aios.db.selectFrom('outbox').selectAll().where('tenant_id', '=', t.id).where('recipient', '=', '+14165550142').where('status', '=', 'sent').where('idempotency_key', 'not like', '%:text-back').execute();
      return rows[0];
    }, 15_000, 'the offer to Priya');
    const body = (offer.payload as { body: string }).body;
    const times = [...body.matchAll(/^\d\) (.+)$/gm)].map((m) => m[1]!);
    expect(times).toHaveLength(3);
    // Tomorrow (the clock reads Tue 24 Nov, 10:00 in Toronto), before noon.
    const tomorrow = new Date(new Date('2026-11-24T15:00:00Z').getTime() + 86_400_000).toLocaleDateString('en-CA', { timeZone: 'America/Toronto', weekday: 'short', month: 'short', day: 'numeric' });
    for (const x of times) expect(x).toMatch(new RegExp(`^${tomorrow.replace('.', '\\.?')}, (8|9|10|11):\\d\\d a\\.m\\.$`));
  });

  it('has one text waiting for approval, with a link for the owner, and a deal from the reply', async () => {
    const t = aios.tenants.bySlugOrThrow('maple-plumbing');
    const pending = await aios.db.selectFrom('approvals').selectAll().where('tenant_id', '=', t.id).where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(1);
    expect(link).toMatch(/\/a\/[A-Za-z0-9_-]{20,}$/);
    const deals = await eventually(async () => {
      const d = await aios.db.selectFrom('deals').selectAll().where('tenant_id', '=', t.id).execute();
      return d.length ? d : undefined;
    }, 10_000, 'deal');
    expect(deals[0]!.stage).toBe('new lead');
    const ledger = await aios.db.selectFrom('ledger').selectAll().where('tenant_id', '=', t.id).where('category', '=', 'missed_call_text_back').execute();
    expect(ledger.length).toBe(3);
  });

  it("chases Linda's overdue invoice: the watchers found it and her reminder is in the outbox", async () => {
    const t = aios.tenants.bySlugOrThrow('maple-plumbing');
    const r = await eventually(async () => {
      const rows = await aios.db.selectFrom('outbox').select(['recipient', 'payload', 'status']).where('tenant_id', '=', t.id).where('recipient', '=', '+16475550123').where('kind', '=', 'sms.send').execute();
      return rows.find((x) => JSON.stringify(x.payload).includes('INV-1042'));
    }, 15_000, 'invoice reminder');
    expect(r, 'a reminder for INV-1042 to Linda').toBeTruthy();
    const signal = await aios.db.selectFrom('signals').select(['kind', 'status']).where('tenant_id', '=', t.id).where('kind', '=', 'invoice_overdue').executeTakeFirstOrThrow();
    expect(['open', 'handling']).toContain(signal.status);
  });
});
