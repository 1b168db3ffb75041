import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { answerQuestion } from './answer.js';
import { answerGap, listGaps, recordGap } from './gaps.js';

const t = await createTestDatabase();
afterAll(() => t.close());

const NOW = new Date('2026-12-01T17:00:00Z');
let tid: string;
let dir: string;

beforeAll(async () => {
  tid = await insertTenant(t.db, 'maple', '+14165550140');
  dir = join(mkdtempSync(join(tmpdir(), 'aios-maple-')), 'knowledge');
  cpSync(join(import.meta.dirname, '../../demo/knowledge'), dir, { recursive: true });
  const r = await syncKnowledge(t.db, tid, dir, { now: NOW });
  expect(r.failures).toEqual([]);
});

const signals = (kind: string) => t.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid).where('kind', '=', kind).execute();

describe('answerQuestion on the demo business', () => {
  it('answers a price question from the knowledge, with citations', async () => {
    const a = await answerQuestion(t.db, tid, 'How much does drain cleaning cost?', { now: NOW });
    expect(a.status).toBe('answered');
    expect(a.text).toMatch(/\$149/);
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations[0]!.file).toMatch(/pricing\.md|price-list\.csv|drain/);
    expect(a.citations[0]!.headingPath).not.toBe('');
    expect(a.confidence).toBeGreaterThanOrEqual(0.45);
    expect(a.gapId).toBeNull();
  });

  it('answers a French question from the French FAQ, in French', async () => {
    const a = await answerQuestion(t.db, tid, 'Quels sont vos tarifs pour déboucher un drain ?', { now: NOW });
    expect(a).toMatchObject({ status: 'answered', language: 'fr' });
    expect(a.citations[0]!.file).toBe('faq/fr/tarifs-debouchage.md');
    expect(a.text).toMatch(/149 \$/);
  });

  it('finds French text typed without accents', async () => {
    const a = await answerQuestion(t.db, tid, 'Combien pour le debouchage d un evier ?', { now: NOW, language: 'fr' });
    expect(a.citations[0]?.file).toBe('faq/fr/tarifs-debouchage.md');
  });

  it('answers hours, booking and warranty questions with the right file', async () => {
    const cases: [string, RegExp][] = [
      ['Are you open on Saturday?', /hours\.md|weekends\.md/],
      ['How do I book an appointment?', /booking\.md/],
      ['Do you guarantee your work?', /warranty\.md/],
      ['Do you come to Mississauga?', /service-area\.md|secteur\.md/],
    ];
    for (const [q, file] of cases) {
      const a = await answerQuestion(t.db, tid, q, { now: NOW });
      expect(a.status, q).toBe('answered');
      expect(a.citations[0]!.file, q).toMatch(file);
    }
  });

  it('never quotes voice rules or example messages as answers', async () => {
    const a = await answerQuestion(t.db, tid, 'What phrases are banned in messages?', { now: NOW, threshold: 0, recordGap: false });
    for (const c of a.citations) expect(c.file).not.toMatch(/^(voice\.md|examples\/)/);
  });

  it('closes the loop: unknown → gap and signal → owner answers once → known forever', async () => {
    const q = 'Do you offer financing for a new furnace?';
    const first = await answerQuestion(t.db, tid, q, { now: NOW });
    expect(first.status).toBe('unknown');
    expect(first.text).toMatch(/don't have that information/);
    expect(first.gapId).toMatch(/^kgap_/);
    expect((await signals('knowledge_gap')).map((s) => s.subject)).toContain(q);

    // A similar question is the same gap, asked twice.
    const second = await answerQuestion(t.db, tid, 'Do you offer financing for new furnaces?', { now: NOW });
    expect(second.gapId).toBe(first.gapId);
    const open = await listGaps(t.db, tid, { status: 'open' });
    expect(open.find((g) => g.id === first.gapId)).toMatchObject({ occurrences: 2, status: 'open' });
    const sig = (await signals('knowledge_gap')).find((s) => s.dedup_key === `knowledge_gap:${first.gapId}`)!;
    expect(sig.occurrences).toBe(2);

    const done = await answerGap(t.db, tid, dir, first.gapId!, 'Yes: we offer financing on furnaces and heat pumps through FinanceIt, from 0% for 12 months on approved credit.', { now: NOW });
    expect(done.file).toBe('faq/do-you-offer-financing-for-a-new-furnace.md');
    expect(done.gap).toMatchObject({ status: 'answered', answerFile: done.file });
    const written = readFileSync(join(dir, done.file), 'utf8');
    expect(written).toMatch(/^---\nkind: faq\ntitle: Do you offer financing for a new furnace\?\n/);
    expect(done.sync.stats.added).toBe(1);
    expect((await signals('knowledge_gap')).find((s) => s.dedup_key === `knowledge_gap:${first.gapId}`)!.status).toBe('resolved');

    const again = await answerQuestion(t.db, tid, 'Can I get financing on a furnace?', { now: NOW });
    expect(again.status).toBe('answered');
    expect(again.citations[0]!.file).toBe(done.file);
    expect(again.text).toMatch(/FinanceIt/);

    await expect(answerGap(t.db, tid, dir, first.gapId!, 'again', { now: NOW })).rejects.toThrow(/already answered/);
    await expect(answerGap(t.db, tid, dir, 'kgap_nope', 'x', { now: NOW })).rejects.toThrow(/not found/);
  });

  it('records French gaps and keeps different questions apart', async () => {
    const a = await answerQuestion(t.db, tid, 'Vendez-vous des cartes-cadeaux ?', { now: NOW });
    expect(a).toMatchObject({ status: 'unknown', language: 'fr' });
    expect(a.text).toMatch(/pas encore cette information/);
    const b = await recordGap(t.db, tid, 'Do you repair garage doors?');
    expect(b.isNew).toBe(true);
    expect(b.gap.id).not.toBe(a.gapId);
    const gaps = await listGaps(t.db, tid);
    expect(gaps.find((g) => g.id === a.gapId)?.language).toBe('fr');
  });

  it('uses a model when given one, keeps its citations, and checks its claims', async () => {
    const prompts: string[] = [];
    const good = await answerQuestion(t.db, tid, 'How much does drain cleaning cost?', {
      now: NOW,
      generate: async (prompt) => {
        prompts.push(prompt);
        return { text: 'Clearing a drain is $149.', citations: [1] };
      },
    });
    expect(prompts[0]).toMatch(/\[1\] .*\n/);
    expect(prompts[0]).toMatch(/Question: How much does drain cleaning cost\?/);
    expect(good).toMatchObject({ status: 'answered', text: 'Clearing a drain is $149.', grounding: { grounded: true } });
    expect(good.citations).toHaveLength(1);

    const invented = await answerQuestion(t.db, tid, 'How much does drain cleaning cost?', { now: NOW, generate: async () => ({ text: 'Only $99 today!', citations: [1] }) });
    expect(invented.grounding).toMatchObject({ grounded: false, unsupported: [{ claim: '$99' }] });

    const refused = await answerQuestion(t.db, tid, 'How much does drain cleaning cost?', { now: NOW, recordGap: false, generate: async () => ({ text: 'UNKNOWN', citations: [] }) });
    expect(refused.status).toBe('unknown');
  });

  it('does not call the model when retrieval is not confident', async () => {
    let called = false;
    const a = await answerQuestion(t.db, tid, 'Do you repair swimming pool heaters?', {
      now: NOW,
      recordGap: false,
      generate: async () => {
        called = true;
        return { text: 'Sure', citations: [1] };
      },
    });
    expect(a.status).toBe('unknown');
    expect(called).toBe(false);
  });

  it('writes gap answers next to existing files without clobbering them', async () => {
    const g = await recordGap(t.db, tid, 'How do I book an appointment?');
    const r = await answerGap(t.db, tid, dir, g.gap.id, 'Online at https://book.mapleplumbing.example/', { now: NOW });
    expect(r.file).toBe('faq/how-do-i-book-an-appointment.md');
    expect(existsSync(join(dir, 'policies/booking.md'))).toBe(true);
  });
});
