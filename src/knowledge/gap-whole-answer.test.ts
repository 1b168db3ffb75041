import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { answerQuestion } from './answer.js';
import { answerGap } from './gaps.js';

const t = await createTestDatabase();
afterAll(() => t.close());

describe("the owner's whole answer becomes knowledge", () => {
  it('a three-sentence answer is kept whole and answered back whole', async () => {
    const tid = await insertTenant(t.db, 'whole', '+14165550142');
    const dir = mkdtempSync(join(tmpdir(), 'aios-gap-whole-'));
    writeFileSync(join(dir, 'services.md'), '# Services\n\nWe repair furnaces and water heaters in Toronto.\n');
    await syncKnowledge(t.db, tid, dir);
    const question = 'Do you install solar panels?';
    const asked = await answerQuestion(t.db, tid, question);
    expect(asked.status).toBe('unknown');
    const answer = 'No, we do not install solar panels. We do plumbing and heating only. For solar, ask Sunny Roofs at 416-555-0188.';
    const { file } = await answerGap(t.db, tid, dir, asked.gapId!, answer);
    expect(readFileSync(join(dir, file), 'utf8')).toContain(answer);
    const again = await answerQuestion(t.db, tid, question);
    expect(again.status).toBe('answered');
    for (const sentence of ['No, we do not install solar panels.', 'We do plumbing and heating only.', 'For solar, ask Sunny Roofs']) expect(again.text).toContain(sentence);
  });
});
