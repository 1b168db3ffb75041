import { it } from 'vitest';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { searchKnowledge } from './search.js';
import { getFacts } from './facts.js';
const t = await createTestDatabase();
it('explore', async () => {
  const tid = await insertTenant(t.db, 'maple', '+14165550140');
  const r = await syncKnowledge(t.db, tid, 'demo/knowledge', { now: new Date('2026-11-26T12:00:00Z') });
  console.log(JSON.stringify(r.stats), JSON.stringify(r.failures), JSON.stringify(r.expired));
  const facts = await getFacts(t.db, tid, new Date('2026-11-26T12:00:00Z'));
  console.log(facts.map((f) => `${f.type} | ${f.key} | ${f.value} | ${f.amountCents} | ${f.file}`).join('\n'));
  for (const q of (process.env.QS ?? 'How much to unclog a sink?|Quels sont vos tarifs pour déboucher un drain ?|Do you fix swimming pools?|what are your hours|do you take credit cards').split('|')) {
    const hits = await searchKnowledge(t.db, tid, q, { limit: 5 });
    console.log('Q:', q); for (const h of hits) console.log(`  ${h.score.toFixed(4)} ${h.file} [${h.headingPath}] ${h.excerpt.slice(0, 90)}`);
  }
  const chunks = await t.db.selectFrom('knowledge_chunks').select(['file','heading_path','word_count']).where('tenant_id','=',tid).execute();
  console.log('chunks', chunks.length, 'maxwords', Math.max(...chunks.map(c=>c.word_count)));
});
