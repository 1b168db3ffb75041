import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { embedChunks, hybridSearch, RRF_K } from './hybrid.js';
import { tokenize } from './text.js';

const t = await createTestDatabase();
afterAll(() => t.close());

/** A toy embedding: bag of words over a tiny vocabulary where "unclog" and "drain" are neighbours. */
const VOCAB = ['drain', 'water', 'heater', 'price', 'hours', 'roof'];
const ALIAS: Record<string, string> = { unclog: 'drain', clogged: 'drain', blocked: 'drain', tank: 'heater' };
function embed(text: string): number[] {
  const v = VOCAB.map(() => 0);
  for (const w of tokenize(text)) {
    const i = VOCAB.indexOf(ALIAS[w] ?? w.replace(/s$/, ''));
    if (i >= 0) v[i]! += 1;
  }
  return v;
}

let tid: string;
beforeAll(async () => {
  tid = await insertTenant(t.db, 'hybrid', '+14165550400');
  const dir = mkdtempSync(join(tmpdir(), 'aios-hybrid-'));
  writeFileSync(join(dir, 'drains.md'), '---\nkind: faq\ntitle: Drain service\n---\n\nWe clear every drain in the house.\n');
  writeFileSync(join(dir, 'heaters.md'), '---\nkind: faq\ntitle: Water heaters\n---\n\nWe replace water heaters.\n');
  writeFileSync(join(dir, 'hours.md'), '---\nkind: policy\ntitle: Hours\n---\n\nOpen weekdays.\n');
  await syncKnowledge(t.db, tid, dir);
});

describe('hybrid search', () => {
  it('embeds chunks once and fuses keyword and vector rankings with RRF', async () => {
    const calls: number[] = [];
    const fn = async (texts: string[]) => {
      calls.push(texts.length);
      return texts.map(embed);
    };
    expect(await embedChunks(t.db, tid, fn, { batch: 2 })).toBe(3);
    expect(calls).toEqual([2, 1]);
    expect(await embedChunks(t.db, tid, fn)).toBe(0);

    // "unclog" shares no word with the drain FAQ: only the vector side can find it.
    const hits = await hybridSearch(t.db, tid, 'how do I unclog it', async (q) => embed(q));
    expect(hits[0]?.file).toBe('drains.md');
    expect(hits[0]!.score).toBeCloseTo(1 / (RRF_K + 1), 4);

    // Found by both lists: the fused score adds both reciprocal ranks.
    const both = await hybridSearch(t.db, tid, 'water heater', async (q) => embed(q));
    expect(both[0]?.file).toBe('heaters.md');
    expect(both[0]!.score).toBeCloseTo(2 / (RRF_K + 1), 4);
  });

  it('rejects an embed function that returns the wrong number of vectors', async () => {
    await t.db.updateTable('knowledge_chunks').set({ embedding: null }).where('tenant_id', '=', tid).execute();
    await expect(embedChunks(t.db, tid, async () => [])).rejects.toThrow(/returned 0 vectors for 3 texts/);
  });
});
