import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { importCsvStream } from '../src/connection/csv/import.js';
import { signFormBody } from '../src/connection/forms/signature.js';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

describe('phone numbers are read the same way everywhere', () => {
  const SECRET = 'form-secret-0123456789abcdef';
  let h: Harness;
  beforeAll(async () => {
    // The business's numbers written the way people write them.
    h = await startHarness([{ slug: 'acme', phone: '416-555-0100', ownerPhone: '(416) 555-0199', policy: AUTO_POLICY }]);
    writeFileSync(join(h.home, 'tenants', 'acme', 'forms.yaml'), `forms:\n  secret: "${SECRET}"\n`);
  });
  afterAll(() => h?.stop());

  it('tenant.yaml phones become E.164; the same customer written five ways is one contact', async () => {
    const t = h.aios.tenants.bySlugOrThrow('acme');
    expect(t.phone).toBe('+14165550100');
    const tid = t.id;
    // 1. a missed call (Twilio sends E.164), routed by the normalised business number
    expect((await h.voice('+14165550123', '+14165550100')).status).toBe(200);
    // 2. a CSV import
    const csv = 'Record ID,First Name,Last Name,Email,Phone Number,Lifecycle Stage,Associated Deal\n1,Dan,Roe,,(416) 555-0123,lead,\n';
    const imp = await importCsvStream(h.aios.db, tid, Readable.from([csv]), { kind: 'contacts' });
    expect(imp.errors).toEqual([]);
    // 3. a web form lead
    const body = JSON.stringify({ name: 'Dan Roe', phone: '416.555.0123', message: 'quote please' });
    const ts = String(Math.floor(Date.now() / 1000));
    const form = await fetch(`${h.aios.url}/hooks/forms/acme`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) }, body });
    expect(form.status).toBe(201);
    // 4. an API proposal
    const token = h.aios.cliTokens.get('acme')!;
    const prop = await h.api(token, 'POST', '/api/v1/actions/sms', { to: '1-416-555-0123', body: 'Hi Dan' });
    expect(prop.status).toBeLessThan(300);
    const sig = await h.aios.db.selectFrom('signals').select('subject').where('id', '=', prop.json.signalId).executeTakeFirstOrThrow();
    expect(sig.subject).toBe('+14165550123');
    // 5. a refused number says how to write it
    const bad = await h.api(token, 'POST', '/api/v1/actions/sms', { to: 'call me', body: 'Hi' });
    expect(bad.status).toBe(400);
    expect(bad.json.fix).toMatch(/country code/);

    const contacts = await h.aios.db.selectFrom('contacts').select(['phone']).where('tenant_id', '=', tid).execute();
    expect(contacts.filter((c) => c.phone?.endsWith('5550123'))).toEqual([{ phone: '+14165550123' }]);
  });
});
