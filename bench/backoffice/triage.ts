/**
 * Inbox triage offline (issue 10), `npm run bench:backoffice`:
 * 1. quality on the SpamAssassin corpus (spam vs ham incl. hard ham; stratified 70/30 split):
 *    the offline classifier (wink naive Bayes over AIOS's triage tokens) trained on the split;
 * 2. how accuracy grows with owner corrections: a new business's seed-only model, then N training
 *    mails fed as relabels (`correct`, the path of POST /api/v1/emails/:id/category);
 * 3. throughput of classify + store over a 5,000-message backfill through the real database path
 *    (embedded PostgreSQL, `decideCategory` offline + `recordTriage`), and the model rebuild time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpamAssassin, split, type CorpusMail } from './spam-corpus.js';
import { printTable } from '../lib/stats.js';
import { TriageClassifier } from '../../src/awareness/email-triage/offline-classifier.js';
import { SEED_EXAMPLES } from '../../src/awareness/email-triage/seed-examples.js';
import { decideCategory } from '../../src/awareness/email-triage/decide-category.js';
import { recordTriage, TriageModels } from '../../src/awareness/email-triage/triage-store.js';
import { createLogger } from '../../src/core/logger.js';
import { openDb, migrate } from '../../src/store/db.js';
import { newId } from '../../src/core/ids.js';

const t0 = performance.now();
const { mails, refused } = await loadSpamAssassin();
console.log(`SpamAssassin: ${mails.length} messages parsed (${refused} refused) in ${Math.round(performance.now() - t0)} ms`);
const { train, test } = split(mails);
const label = (m: CorpusMail): 'spam' | 'personal' => (m.spam ? 'spam' : 'personal');

function evaluate(c: TriageClassifier, set: CorpusMail[]): { acc: number; prec: number; rec: number; hardHamAcc: number } {
  let ok = 0, tp = 0, fp = 0, fn = 0, hh = 0, hhOk = 0;
  for (const m of set) {
    const p = c.classify({ ...m.email, from: '' }).category === 'spam';
    if (p === m.spam) ok++;
    if (p && m.spam) tp++;
    if (p && !m.spam) fp++;
    if (!p && m.spam) fn++;
    if (m.group === 'hard-ham-1') { hh++; if (!p) hhOk++; }
  }
  return { acc: ok / set.length, prec: tp / Math.max(1, tp + fp), rec: tp / Math.max(1, tp + fn), hardHamAcc: hhOk / Math.max(1, hh) };
}
const f = (x: number) => x.toFixed(4);

// 1. Quality. Sender rules are off in evaluation (from: '') so the words and headers decide.
const quality: Array<Array<string | number>> = [];
for (const [name, opts, seed] of [['wink NB, presence, smoothing 0.5 (AIOS default)', {}, false], ['same + the built-in seed set', {}, true], ['wink NB, counts, smoothing 0.5', { presenceOnly: false }, false], ['wink NB, presence, smoothing 1', { smoothing: 1 }, false]] as const) {
  const c = new TriageClassifier(opts);
  if (seed) for (const [e, cat] of SEED_EXAMPLES) c.learn(e, cat);
  const t1 = performance.now();
  for (const m of train) c.learn(m.email, label(m));
  c.classify(test[0]!.email);
  const trainMs = performance.now() - t1;
  const r = evaluate(c, test);
  quality.push([name, train.length, test.length, f(r.acc), f(r.prec), f(r.rec), f(r.hardHamAcc), Math.round(trainMs)]);
}
printTable('Triage quality offline: SpamAssassin spam vs ham (70/30 stratified split, seed 10)', ['classifier', 'train', 'test', 'accuracy', 'precision (spam)', 'recall (spam)', 'hard-ham kept', 'train ms'], quality);

// 2. Learning from corrections: a new business (seed set only), then N relabels.
const curve: Array<Array<string | number>> = [];
for (const n of [0, 10, 50, 200, 1000]) {
  const c = new TriageClassifier();
  for (const [e, cat] of SEED_EXAMPLES) c.learn(e, cat);
  for (const m of train.slice(0, n)) c.correct(m.email, label(m));
  const t1 = performance.now();
  const r = evaluate(c, test);
  curve.push([n, f(r.acc), f(r.prec), f(r.rec), Math.round(performance.now() - t1)]);
}
printTable('Accuracy vs owner corrections (seed-only model + N training mails fed as relabels; test set as above)', ['corrections', 'accuracy', 'precision (spam)', 'recall (spam)', 'test ms'], curve);

// 3. Throughput through the database path.
const home = mkdtempSync(join(tmpdir(), 'aios-triage-bench-'));
const log = createLogger('bench');
const { startEmbeddedPostgres } = await import('../../src/store/embedded-postgres.js');
const pgdb = await startEmbeddedPostgres(join(home, 'pg'), log);
try {
  const { db } = openDb(pgdb.url, 10);
  await migrate(db);
  const tenantId = 'tn_bench';
  await db.insertInto('tenants').values({ id: tenantId, slug: 'bench', name: 'Bench', time_zone: 'UTC', phone: '+15550000000' }).execute();
  const backfill = Array.from({ length: 5000 }, (_, i) => mails[i % mails.length]!);
  const events: string[] = [];
  for (let i = 0; i < backfill.length; i += 500) {
    const rows = backfill.slice(i, i + 500).map((m, j) => ({ id: newId('ev'), tenant_id: tenantId, source: 'imap', type: 'email.received', dedup_key: `bench:${i + j}`, occurred_at: new Date(), payload: JSON.stringify({ subject: m.email.subject }) }));
    await db.insertInto('events').values(rows).execute();
    events.push(...rows.map((r) => r.id));
  }
  // Corrections stored as a busy owner would have them: 200 relabels.
  const models = new TriageModels();
  const rb0 = performance.now();
  await models.forTenant(db, tenantId);
  const rebuildSeed = performance.now() - rb0;
  const t1 = performance.now();
  for (let i = 0; i < backfill.length; i++) {
    const m = backfill[i]!;
    const d = await decideCategory(db, null, tenantId, m.email);
    await recordTriage(db, { tenantId, eventId: events[i]!, connectionId: null, messageId: null, from: m.email.from || 'unknown@example.com', subject: m.email.subject, category: d.category, reason: d.reason, source: d.source, confidence: d.confidence, runId: null });
  }
  const secs = (performance.now() - t1) / 1000;
  const c1 = performance.now();
  const c = new TriageClassifier();
  for (const [e, cat] of SEED_EXAMPLES) c.learn(e, cat);
  for (const m of backfill) c.classify({ ...m.email, from: '' });
  const alone = (performance.now() - c1) / 1000;
  const big = new TriageClassifier();
  for (const [e, cat] of SEED_EXAMPLES) big.learn(e, cat);
  for (const m of train.slice(0, 1000)) big.correct(m.email, label(m));
  const r0 = performance.now();
  big.classify(test[0]!.email);
  const rebuild1000 = performance.now() - r0;
  big.correct(train[1000]!.email, label(train[1000]!));
  const i0 = performance.now();
  big.classify(test[1]!.email);
  const oneMore = performance.now() - i0;
  printTable('Triage throughput: 5,000-message backfill', ['path', 'emails', 'seconds', 'emails/s'], [
    ['classify + store (decideCategory offline + recordTriage, embedded PostgreSQL, one row each)', backfill.length, secs.toFixed(2), Math.round(backfill.length / secs)],
    ['classifier alone (seed model)', backfill.length, alone.toFixed(2), Math.round(backfill.length / alone)],
  ]);
  printTable('Model build', ['model', 'ms'], [['seed set, from the database (no corrections)', Math.round(rebuildSeed)], ['seed + 1,000 corrections (3,000 weighted examples), learn + consolidate', Math.round(rebuild1000)], ['one more relabel on that model (wink export/import + learn + consolidate) + a classify', Math.round(oneMore)]]);
  await db.destroy();
} finally {
  await pgdb.stop();
  rmSync(home, { recursive: true, force: true });
}
