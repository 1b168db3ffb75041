import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { searchKnowledge } from './search.js';
import { getFacts } from './facts.js';
import { fold } from './text.js';
import { FOLD_FROM, FOLD_TO } from '../store/migrations/0002-knowledge.js';

const t = await createTestDatabase();
afterAll(() => t.close());

let tid: string;
let other: string;
let dir: string;
const NOW = new Date('2026-06-15T12:00:00Z');

const write = (rel: string, text: string) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
};

beforeAll(async () => {
  tid = await insertTenant(t.db, 'searchco', '+14165550200');
  other = await insertTenant(t.db, 'otherco', '+14165550201');
  dir = mkdtempSync(join(tmpdir(), 'aios-search-'));
  write('pricing.md', '---\nkind: pricing\ntitle: Pricing\n---\n\n# Pricing\n\n## Drain cleaning\n\nClearing a kitchen drain costs $149.\n\n## Water heaters\n\nA new tank is $1,895 installed.\n');
  write('staff/van.md', '---\nkind: procedure\ntitle: Van checklist\naudience: staff\n---\n\nCheck the drain auger and the camera every morning.\n');
  write('faq/public.md', '---\nkind: faq\ntitle: Do you clean drains?\naudience: customers\n---\n\nYes, we clean every kind of drain.\n');
  write('offers/spring.md', '---\nkind: offer\ntitle: Spring drain promo\nvalid_until: 2026-05-31\nfacts:\n  prices:\n    - service: Drain cleaning (spring promo)\n      price: 99\n---\n\nSpring drain cleaning for $99.\n');
  write('offers/summer.md', '---\nkind: offer\ntitle: Summer drain promo\nvalid_until: 2026-08-31\n---\n\nSummer drain cleaning special.\n');
  write('faq/fr/debouchage.md', '---\nkind: faq\ntitle: Débouchage\nlanguage: fr\n---\n\nNous débouchons les éviers et les drains. Le débouchage coûte 149 $.\n');
  await syncKnowledge(t.db, tid, dir, { now: NOW });
  const odir = mkdtempSync(join(tmpdir(), 'aios-search-other-'));
  writeFileSync(join(odir, 'secret.md'), '---\nkind: faq\ntitle: Drain secrets\n---\n\nOther tenant drain text.\n');
  await syncKnowledge(t.db, other, odir, { now: NOW });
});

const files = async (q: string, opts: Parameters<typeof searchKnowledge>[3] = {}) => (await searchKnowledge(t.db, tid, q, { now: NOW, limit: 10, ...opts })).map((h) => h.file);

describe('searchKnowledge', () => {
  it('ranks the section that covers the question, with its heading path and an excerpt', async () => {
    const hits = await searchKnowledge(t.db, tid, 'How much is drain cleaning?', { now: NOW });
    expect(hits[0]).toMatchObject({ file: 'pricing.md', headingPath: 'Pricing > Drain cleaning', kind: 'pricing', language: 'english' });
    expect(hits[0]!.excerpt).toMatch(/\$149/);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]?.score ?? 0);
  });

  it('filters by kind and by audience (chunks without an audience are for everyone)', async () => {
    expect(new Set(await files('drain', { kinds: ['faq'] }))).toEqual(new Set(['faq/public.md', 'faq/fr/debouchage.md']));
    expect(await files('drain', { audience: 'customers' })).not.toContain('staff/van.md');
    expect(await files('drain', { audience: 'staff' })).toContain('staff/van.md');
    expect(await files('drain', { audience: 'staff' })).not.toContain('faq/public.md');
    expect(await files('drain', { excludeKinds: ['pricing', 'offer', 'faq'] })).toEqual(['staff/van.md']);
  });

  it('leaves expired files out unless asked, by the tenant-local date', async () => {
    expect((await files('drain promo'))[0]).toBe('offers/summer.md');
    expect(await files('drain promo')).not.toContain('offers/spring.md');
    expect((await files('drain promo', { includeExpired: true })).slice(0, 2).sort()).toEqual(['offers/spring.md', 'offers/summer.md']);
    // 2026-06-01 03:00 UTC is still May 31 in Toronto: the spring promo still holds.
    expect(await files('spring promo', { now: new Date('2026-06-01T03:00:00Z') })).toContain('offers/spring.md');
    expect(await files('spring promo', { now: new Date('2026-06-01T05:00:00Z') })).not.toContain('offers/spring.md');
  });

  it('matches French with or without accents, in the French configuration', async () => {
    expect((await files('déboucher un évier'))[0]).toBe('faq/fr/debouchage.md');
    expect((await files('deboucher un evier'))[0]).toBe('faq/fr/debouchage.md');
    const hit = (await searchKnowledge(t.db, tid, 'débouchage', { now: NOW }))[0]!;
    expect(hit.language).toBe('french');
  });

  it('folds accents exactly like the database column does', async () => {
    const r = await sql<{ f: string }>`select translate(${FOLD_FROM}, ${FOLD_FROM}, ${FOLD_TO}) as f`.execute(t.db);
    expect(fold(FOLD_FROM)).toBe(r.rows[0]!.f);
  });

  it('takes search syntax as written: phrases and exclusions', async () => {
    expect(await files('"kitchen drain"')).toEqual(['pricing.md']);
    expect(await files('drains -auger -promo -costs -débouchons')).toEqual(['faq/public.md']);
    expect(await files('drain -clean')).toEqual(expect.not.arrayContaining(['pricing.md', 'faq/public.md']));
  });

  it('returns nothing for a question without searchable words, and never another tenant\'s chunks', async () => {
    expect(await files('what do you do?')).toEqual([]);
    expect(await files('')).toEqual([]);
    expect(await files('secrets')).toEqual([]);
  });
});

describe('facts', () => {
  it('returns current facts only and raises one expiry signal per file and date', async () => {
    const facts = await getFacts(t.db, tid, NOW, { type: 'price' });
    expect(facts.map((f) => f.service)).not.toContain('Drain cleaning (spring promo)');
    const before = await getFacts(t.db, tid, new Date('2026-05-01T12:00:00Z'), { type: 'price' });
    expect(before.find((f) => f.service === 'Drain cleaning (spring promo)')).toMatchObject({ amountCents: 9900, currency: 'CAD', validUntil: '2026-05-31', file: 'offers/spring.md' });

    const again = await syncKnowledge(t.db, tid, dir, { now: NOW });
    expect(again.expired).toEqual([{ file: 'offers/spring.md', validUntil: '2026-05-31' }]);
    const sigs = await t.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid).where('kind', '=', 'knowledge_expired').execute();
    expect(sigs.map((s) => [s.subject, s.dedup_key])).toEqual([['offers/spring.md', 'knowledge_expired:offers/spring.md:2026-05-31']]);

    // The owner extends the promo, then it expires again: a new signal for the new date.
    write('offers/spring.md', '---\nkind: offer\ntitle: Spring drain promo\nvalid_until: 2026-06-10\n---\n\nSpring drain cleaning for $99.\n');
    await syncKnowledge(t.db, tid, dir, { now: NOW });
    const keys = (await t.db.selectFrom('signals').select('dedup_key').where('tenant_id', '=', tid).where('kind', '=', 'knowledge_expired').execute()).map((s) => s.dedup_key);
    expect(keys.sort()).toEqual(['knowledge_expired:offers/spring.md:2026-05-31', 'knowledge_expired:offers/spring.md:2026-06-10']);
  });
});
