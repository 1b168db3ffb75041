import { describe, it, expect, afterAll, beforeEach } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, renameSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { searchKnowledge } from './search.js';
import { getFacts } from './facts.js';
import { makeDocx, makeEncryptedLookingPdf, makePdf } from './testing/fixtures.js';

const t = await createTestDatabase();
afterAll(() => t.close());

let n = 0;
async function freshTenant(): Promise<{ tid: string; dir: string }> {
  n++;
  const tid = await insertTenant(t.db, `sync${n}`, `+1416555${String(1000 + n)}`);
  const dir = mkdtempSync(join(tmpdir(), 'aios-kn-'));
  return { tid, dir };
}

const md = (kind: string, title: string, body: string, extra = '') => `---\nkind: ${kind}\ntitle: ${title}\n${extra}---\n\n${body}\n`;

describe('syncKnowledge', () => {
  let tid: string;
  let dir: string;
  beforeEach(async () => {
    ({ tid, dir } = await freshTenant());
  });

  it('indexes new files, skips unchanged ones without parsing, re-indexes changed ones', async () => {
    writeFileSync(join(dir, 'hours.md'), md('policy', 'Hours', 'We are open Monday to Friday, 8 to 6.'));
    mkdirSync(join(dir, 'faq'));
    writeFileSync(join(dir, 'faq', 'parking.md'), md('faq', 'Where do you park?', 'Our vans park in the driveway.'));
    const progress: string[] = [];
    const first = await syncKnowledge(t.db, tid, dir, { onProgress: (d, total, f) => progress.push(`${d}/${total} ${f}`) });
    expect(first.stats).toMatchObject({ added: 2, changed: 0, unchanged: 0, deleted: 0, failed: 0, parsed: 2, files: 2 });
    expect(progress).toHaveLength(2);
    expect(progress.at(-1)).toMatch(/^2\/2 /);

    const second = await syncKnowledge(t.db, tid, dir);
    expect(second.stats).toMatchObject({ added: 0, changed: 0, unchanged: 2, parsed: 0 });

    writeFileSync(join(dir, 'hours.md'), md('policy', 'Hours', 'We are open Monday to Saturday, 7 to 7.'));
    const third = await syncKnowledge(t.db, tid, dir);
    expect(third.stats).toMatchObject({ changed: 1, unchanged: 1, parsed: 1 });
    const hits = await searchKnowledge(t.db, tid, 'Saturday');
    expect(hits.map((h) => h.file)).toEqual(['hours.md']);
    expect(await searchKnowledge(t.db, tid, 'Friday')).toEqual([]);
  });

  it('removes deleted files and moves renamed ones without re-parsing', async () => {
    writeFileSync(join(dir, 'a.md'), md('faq', 'Do you do boilers?', 'Yes, we service boilers and radiators.'));
    writeFileSync(join(dir, 'b.md'), md('faq', 'Do you do sumps?', 'Yes, sump pumps too.'));
    await syncKnowledge(t.db, tid, dir);
    mkdirSync(join(dir, 'faq'));
    renameSync(join(dir, 'a.md'), join(dir, 'faq', 'boilers.md'));
    rmSync(join(dir, 'b.md'));
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.stats).toMatchObject({ moved: 1, deleted: 1, parsed: 0, added: 0 });
    const hits = await searchKnowledge(t.db, tid, 'boilers radiators');
    expect(hits[0]?.file).toBe('faq/boilers.md');
    expect(await searchKnowledge(t.db, tid, 'sump')).toEqual([]);
    const docs = await t.db.selectFrom('knowledge_documents').select('path').where('tenant_id', '=', tid).execute();
    expect(docs.map((d) => d.path)).toEqual(['faq/boilers.md']);
  });

  it('reports bad files with a reason and indexes everything else', async () => {
    writeFileSync(join(dir, 'good.md'), md('faq', 'Good', 'Water heaters are our speciality.'));
    writeFileSync(join(dir, 'corrupt.pdf'), Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage garbage\n'));
    writeFileSync(join(dir, 'locked.pdf'), makeEncryptedLookingPdf());
    writeFileSync(join(dir, 'notes.txt'), Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]));
    writeFileSync(join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(dir, 'broken-yaml.md'), '---\nkind: faq\ntitle: [unclosed\n---\nBody\n');
    writeFileSync(join(dir, 'bad-kind.md'), md('brochure', 'Bad', 'Body'));
    writeFileSync(join(dir, 'bad-date.md'), md('offer', 'Promo', 'Body', 'valid_until: next week\n'));
    writeFileSync(join(dir, 'big.md'), `---\nkind: faq\n---\n${'x'.repeat(2048)}`);
    const r = await syncKnowledge(t.db, tid, dir, { maxBytes: 1024 });
    const reasons = Object.fromEntries(r.failures.map((f) => [f.file, f.reason]));
    expect(reasons['corrupt.pdf']).toMatch(/corrupt PDF/);
    expect(reasons['locked.pdf']).toMatch(/encrypted PDF/);
    expect(reasons['notes.txt']).toMatch(/binary/);
    expect(reasons['photo.png']).toMatch(/unsupported file type "\.png"/);
    expect(reasons['broken-yaml.md']).toMatch(/invalid front matter/);
    expect(reasons['bad-kind.md']).toMatch(/unknown kind "brochure"/);
    expect(reasons['bad-date.md']).toMatch(/valid_until.*not a date/);
    expect(reasons['big.md']).toMatch(/too large/);
    expect(r.stats).toMatchObject({ added: 1, failed: 8 });
    expect((await searchKnowledge(t.db, tid, 'water heaters'))[0]?.file).toBe('good.md');

    // Failures are remembered by hash: reported again without re-parsing, until the file is fixed.
    const again = await syncKnowledge(t.db, tid, dir, { maxBytes: 1024 });
    expect(again.stats).toMatchObject({ failed: 8, parsed: 0, unchanged: 1 });
    writeFileSync(join(dir, 'bad-kind.md'), md('offer', 'Fixed', 'Now a proper offer about furnaces.'));
    const fixed = await syncKnowledge(t.db, tid, dir, { maxBytes: 1024 });
    expect(fixed.stats).toMatchObject({ failed: 7, changed: 1, parsed: 1 });
  });

  it('a file that turns bad leaves the index instead of answering with stale content', async () => {
    writeFileSync(join(dir, 'promo.md'), md('offer', 'Promo', 'Ten percent off furnace tune-ups.'));
    await syncKnowledge(t.db, tid, dir);
    writeFileSync(join(dir, 'promo.md'), md('nonsense', 'Promo', 'Ten percent off furnace tune-ups.'));
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.failures).toEqual([{ file: 'promo.md', reason: expect.stringMatching(/unknown kind/) }]);
    expect(await searchKnowledge(t.db, tid, 'furnace')).toEqual([]);
  });

  it('reads PDF, HTML, DOCX, text and CSV files, keeping headings and price facts', async () => {
    writeFileSync(join(dir, 'flyer.pdf'), makePdf(['Spring special', 'Hydro-jetting for the main line is 299 dollars this April.']));
    writeFileSync(
      join(dir, 'page.html'),
      '<html><head><title>Site</title><style>.x{}</style><script>var secret="zzscript"</script></head><body><nav>Home | zznav</nav><h1>Backflow testing</h1><h2>Annual test</h2><p>We test backflow preventers every spring.</p></body></html>',
    );
    writeFileSync(join(dir, 'manual.docx'), makeDocx(['# Staff manual', '## Van inventory', 'Every van carries a spare pressure reducing valve.']));
    writeFileSync(join(dir, 'note.txt'), 'Gate code for the yard is posted in the office.\n');
    writeFileSync(join(dir, 'rates.csv'), 'service,price,unit\nCamera inspection,$199,per visit\n"Leak detection, advanced",349.50,per visit\n');
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.failures).toEqual([]);
    expect(r.stats.added).toBe(5);
    expect((await searchKnowledge(t.db, tid, 'hydro-jetting main line'))[0]?.file).toBe('flyer.pdf');
    const html = await searchKnowledge(t.db, tid, 'backflow preventers');
    expect(html[0]).toMatchObject({ file: 'page.html', headingPath: 'Backflow testing > Annual test' });
    expect(await searchKnowledge(t.db, tid, 'zzscript')).toEqual([]);
    expect(await searchKnowledge(t.db, tid, 'zznav')).toEqual([]);
    expect((await searchKnowledge(t.db, tid, 'pressure reducing valve van'))[0]).toMatchObject({ file: 'manual.docx', headingPath: 'Staff manual > Van inventory' });
    expect((await searchKnowledge(t.db, tid, 'gate code'))[0]?.file).toBe('note.txt');
    const prices = await getFacts(t.db, tid, new Date(), { type: 'price' });
    expect(prices.map((p) => [p.service, p.amountCents, p.unit, p.file])).toEqual([
      ['Camera inspection', 19900, 'per visit', 'rates.csv'],
      ['Leak detection, advanced', 34950, 'per visit', 'rates.csv'],
    ]);
  });

  it('refuses a missing folder instead of emptying the index', async () => {
    writeFileSync(join(dir, 'a.md'), md('faq', 'A', 'Alpha text.'));
    await syncKnowledge(t.db, tid, dir);
    rmSync(dir, { recursive: true });
    await expect(syncKnowledge(t.db, tid, dir)).rejects.toThrow(/does not exist/);
    expect(existsSync(dir)).toBe(false);
    const docs = await t.db.selectFrom('knowledge_documents').select('path').where('tenant_id', '=', tid).execute();
    expect(docs).toHaveLength(1);
  });

  it('serialises concurrent syncs of one tenant', async () => {
    for (let i = 0; i < 20; i++) writeFileSync(join(dir, `f${i}.md`), md('faq', `Q${i}`, `Answer number ${i}.`));
    const [a, b] = await Promise.all([syncKnowledge(t.db, tid, dir), syncKnowledge(t.db, tid, dir)]);
    expect(a.stats.added + b.stats.added).toBe(20);
    expect(a.stats.unchanged + b.stats.unchanged).toBe(20);
  });
});
