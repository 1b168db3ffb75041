import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { answerQuestion } from './answer.js';
import { answerGap } from './gaps.js';

const t = await createTestDatabase();
afterAll(() => t.close());

describe('answering a gap never writes through a symbolic link', () => {
  it('refuses when faq/ is a link out of the knowledge folder, and writes nothing there', async () => {
    const tid = await insertTenant(t.db, 'linked', '+14165550141');
    const root = mkdtempSync(join(tmpdir(), 'aios-gap-link-'));
    const dir = join(root, 'knowledge');
    const outside = join(root, 'outside');
    mkdirSync(dir);
    mkdirSync(outside);
    writeFileSync(join(dir, 'services.md'), '# Services\n\nWe repair furnaces and water heaters in Toronto.\n');
    symlinkSync(outside, join(dir, 'faq'));
    await syncKnowledge(t.db, tid, dir);
    const asked = await answerQuestion(t.db, tid, 'Do you sell gift cards?');
    expect(asked.status).toBe('unknown');
    await expect(answerGap(t.db, tid, dir, asked.gapId!, 'No, we do not sell gift cards.')).rejects.toThrow(/symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
