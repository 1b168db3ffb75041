import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { watchKnowledge } from './watch.js';
import { searchKnowledge } from './search.js';
import type { SyncResult } from './types.js';

const t = await createTestDatabase();
afterAll(() => t.close());

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached in time');
}

describe('watchKnowledge', () => {
  it('syncs at start, then after changes (debounced), and stops cleanly', async () => {
    const tid = await insertTenant(t.db, 'watch', '+14165550500');
    const dir = mkdtempSync(join(tmpdir(), 'aios-watch-'));
    writeFileSync(join(dir, 'a.md'), '---\nkind: faq\ntitle: Alpha\n---\n\nAlpha answer about boilers.\n');
    const results: SyncResult[] = [];
    const stop = await watchKnowledge(t.db, tid, dir, { debounceMs: 100, onSync: (r) => results.push(r) });
    expect(results).toHaveLength(1);
    expect(results[0]!.stats.added).toBe(1);

    // A burst of writes becomes few syncs, and the index follows the folder.
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `b${i}.md`), `---\nkind: faq\ntitle: Beta ${i}\n---\n\nBeta answer number ${i} about radiators.\n`);
    await until(async () => (await searchKnowledge(t.db, tid, 'radiators', { limit: 10 })).length === 5);
    expect(results.length).toBeLessThanOrEqual(4);

    rmSync(join(dir, 'a.md'));
    await until(async () => (await searchKnowledge(t.db, tid, 'boilers')).length === 0);
    await stop();
    const count = results.length;
    writeFileSync(join(dir, 'c.md'), '---\nkind: faq\ntitle: Gamma\n---\n\nGamma.\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(results.length).toBe(count);
  });
});
