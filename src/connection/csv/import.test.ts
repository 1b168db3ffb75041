import { describe, it, expect, afterAll } from 'vitest';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { importCsv, importCsvStream, previewCsv } from './import.js';
import { parseMappingArg } from './formats.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const fx = (f: string) => join(import.meta.dirname, '../../../test/fixtures/csv', f);
const now = () => new Date('2025-03-15T12:00:00Z');
const tid = await insertTenant(t.db, 'csvco', '+14165550300');
const contacts = (tenant: string) => t.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenant).orderBy('phone').execute();

describe('importCsv contacts', () => {
  it('HubSpot: imports good rows, reports bad ones, merges duplicates, opens deals', async () => {
    const r = await importCsv(t.db, tid, fx('hubspot-contacts.csv'), { kind: 'contacts' });
    expect(r).toMatchObject({ format: 'hubspot', total: 6, imported: 2, updated: 1, skipped: 3 });
    expect(r.errors).toEqual([
      { row: 4, column: 'Email', problem: '"not-an-email" is not an email address' },
      { row: 5, column: 'Email', problem: 'no phone number or email: a contact needs one of them' },
      { row: 6, column: 'Phone Number', problem: expect.stringMatching(/"12345" is not a phone number of CA/) },
    ]);
    const rows = await contacts(tid);
    expect(rows.map((c) => [c.name, c.phone, c.email, c.source])).toEqual([
      ['Ann Lee', '+14165550101', 'ann.lee@example.com', 'csv:hubspot'],
      ['Bob Ray', '+14165550102', 'bob@example.com', 'csv:hubspot'],
    ]);
    const deals = await t.db.selectFrom('deals').selectAll().where('tenant_id', '=', tid).execute();
    expect(deals.map((d) => [d.title, d.stage])).toEqual([['Kitchen reno', 'customer']]);
  });

  it('re-importing the same file creates no duplicates', async () => {
    const r = await importCsv(t.db, tid, fx('hubspot-contacts.csv'), { kind: 'contacts' });
    expect(r).toMatchObject({ imported: 0, updated: 3, skipped: 3 });
    expect(await contacts(tid)).toHaveLength(2);
    expect(await t.db.selectFrom('deals').selectAll().where('tenant_id', '=', tid).execute()).toHaveLength(1);
  });

  it('Pipedrive: international phones, deal values, a bad value skipped', async () => {
    const r = await importCsv(t.db, tid, fx('pipedrive-contacts.csv'), { kind: 'contacts' });
    expect(r).toMatchObject({ format: 'pipedrive', total: 3, imported: 2, skipped: 1 });
    expect(r.errors).toEqual([{ row: 3, column: 'Deal - Value', problem: '"abc" is not an amount' }]);
    const gus = (await contacts(tid)).find((c) => c.name === 'Gus Park')!;
    expect(gus).toMatchObject({ phone: '+442079460958', email: 'gus@example.com' });
    const deal = await t.db.selectFrom('deals').selectAll().where('contact_id', '=', gus.id).executeTakeFirstOrThrow();
    expect(deal).toMatchObject({ title: 'Roof repair', value_cents: '450000', stage: 'proposal made', currency: 'CAD' });
    expect((await contacts(tid)).find((c) => c.name === 'Ivan Roy')).toMatchObject({ phone: null, email: 'ivan@example.com' });
    const again = await importCsv(t.db, tid, fx('pipedrive-contacts.csv'), { kind: 'contacts' });
    expect(again).toMatchObject({ imported: 0, updated: 2 });
  });

  it('dry run validates and counts but writes nothing', async () => {
    const other = await insertTenant(t.db, 'csvdry', '+14165550301');
    const r = await importCsv(t.db, other, fx('hubspot-contacts.csv'), { kind: 'contacts', dryRun: true });
    expect(r).toMatchObject({ dryRun: true, imported: 2, updated: 1, skipped: 3 });
    expect(await contacts(other)).toHaveLength(0);
    expect(await t.db.selectFrom('deals').selectAll().where('tenant_id', '=', other).execute()).toHaveLength(0);
  });

  it('an unknown shape needs a mapping; the mapping makes it importable', async () => {
    await expect(importCsv(t.db, tid, fx('unknown.csv'), { kind: 'contacts' })).rejects.toMatchObject({ code: 'import_format_unknown', fix: expect.stringMatching(/--map/) });
    await expect(importCsv(t.db, tid, fx('unknown.csv'), { kind: 'contacts', mapping: { Nope: 'phone' } })).rejects.toThrow(/no column "Nope"/);
    await expect(importCsv(t.db, tid, fx('unknown.csv'), { kind: 'contacts', mapping: { Tel: 'fax' } })).rejects.toThrow(/unknown field "fax"/);
    const r = await importCsv(t.db, tid, fx('unknown.csv'), { kind: 'contacts', mapping: parseMappingArg('Who=name,Tel=phone') });
    expect(r).toMatchObject({ format: 'custom', imported: 1 });
    expect((await contacts(tid)).find((c) => c.phone === '+14165550199')?.name).toBe('Zed');
  });

  it('preview shows the mapping and the first rows', async () => {
    const p = await previewCsv(fx('hubspot-contacts.csv'), { kind: 'contacts', rows: 3 });
    expect(p.format).toBe('hubspot');
    expect(p.columns.phone).toEqual(['Phone Number']);
    expect(p.rows.map((r) => r.email)).toEqual(['ann.lee@example.com', 'bob@example.com']);
    expect(p.errors).toHaveLength(1);
  });

  it('streams thousands of rows in batches with progress, and re-imports them idempotently', async () => {
    const big = await insertTenant(t.db, 'csvbig', '+14165550302');
    const gen = function* () {
      yield 'First Name,Last Name,Email,Phone Number\n';
      for (let i = 0; i < 2500; i++) yield `P${i},Q,p${i}@example.com,+1 (416) 7${String(i).padStart(6, '0')}\n`;
    };
    const seen: number[] = [];
    const r = await importCsvStream(t.db, big, Readable.from(gen()), { kind: 'contacts', onProgress: (p) => seen.push(p.rows) });
    expect(r).toMatchObject({ total: 2500, imported: 2500, skipped: 0 });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    const again = await importCsvStream(t.db, big, Readable.from(gen()), { kind: 'contacts' });
    expect(again).toMatchObject({ imported: 0, updated: 2500 });
    expect(await contacts(big)).toHaveLength(2500);
  });

  it('a broken CSV is a clear error', async () => {
    await expect(importCsvStream(t.db, tid, Readable.from(['Email,Phone Number\n"a@b.co,4165550100\n']), { kind: 'contacts' })).rejects.toMatchObject({ code: 'csv_invalid' });
  });
});

describe('importCsv invoices', () => {
  it('QuickBooks: amounts in cents, statuses, bad rows reported', async () => {
    const r = await importCsv(t.db, tid, fx('quickbooks-invoices.csv'), { kind: 'invoices', now });
    expect(r).toMatchObject({ format: 'quickbooks', total: 5, imported: 3, skipped: 2 });
    expect(r.errors).toEqual([
      { row: 4, column: 'Num', problem: expect.stringMatching(/no invoice number/) },
      { row: 5, column: 'Date', problem: expect.stringMatching(/13\/45\/2025/) },
    ]);
    const inv = await t.db.selectFrom('invoices').selectAll().where('tenant_id', '=', tid).where('source', '=', 'csv').orderBy('number').execute();
    expect(inv.map((i) => [i.number, i.status, i.amount_cents, i.amount_paid_cents, i.currency])).toEqual([
      ['1001', 'paid', '125000', '125000', 'CAD'],
      ['1002', 'open', '50000', '0', 'CAD'],
      ['1005', 'paid', '-2000', '0', 'CAD'],
    ]);
    expect(inv[0]!.due_at).toEqual(new Date('2025-02-14T00:00:00Z'));
    const again = await importCsv(t.db, tid, fx('quickbooks-invoices.csv'), { kind: 'invoices', now });
    expect(again).toMatchObject({ imported: 0, updated: 3 });
  });

  it('Xero: day-first dates, currency, statuses; links the contact by email', async () => {
    const r = await importCsv(t.db, tid, fx('xero-invoices.csv'), { kind: 'invoices', now });
    expect(r).toMatchObject({ format: 'xero', total: 4, imported: 2, skipped: 2 });
    expect(r.errors.map((e) => e.column)).toEqual(['InvoiceDate', 'Status']);
    const one = await t.db.selectFrom('invoices').selectAll().where('tenant_id', '=', tid).where('number', '=', 'INV-0001').executeTakeFirstOrThrow();
    expect(one).toMatchObject({ status: 'open', amount_cents: '125000', customer_name: 'Ann Lee' });
    expect(one.issued_at).toEqual(new Date('2025-01-15T00:00:00Z'));
    expect(one.contact_id).toBe((await contacts(tid)).find((c) => c.email === 'ann.lee@example.com')!.id);
    const two = await t.db.selectFrom('invoices').selectAll().where('tenant_id', '=', tid).where('number', '=', 'INV-0002').executeTakeFirstOrThrow();
    expect(two).toMatchObject({ status: 'paid', currency: 'USD', amount_paid_cents: '30000' });
  });
});
