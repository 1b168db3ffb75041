import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../src/store/db.js';
import { answerQuestion } from '../../src/knowledge/answer.js';
import { syncKnowledge } from '../../src/knowledge/sync.js';
import { GOLDEN_NOW } from './golden.js';
import { printTable } from './table.js';

/** One labelled question of `demo-holdout.json`. */
export interface HoldoutQuestion {
  q: string;
  lang: 'en' | 'fr';
  expect: 'answer' | 'gap';
  /** For `answer`: strings that must all appear in the reply (alternatives separated by `|`). */
  must?: string[];
}

const norm = (s: string) => s.toLowerCase().replace(/[\s\u00a0\u202f]+/g, ' ');

/** True when `text` contains every `must` item (one of its `|` alternatives), case-insensitively. */
export function containsAll(text: string, must: string[]): boolean {
  const t = norm(text);
  return must.every((m) => m.split('|').some((alt) => t.includes(norm(alt))));
}

/**
 * The offline answerer on the demo held-out set: answered-precision (answered replies that are
 * correct per the label), answered-recall (answerable questions answered correctly) and gap-rate
 * on the unanswerable ones, English and French, plus the list of wrong replies.
 */
export async function benchAnswered(db: Db, root: string): Promise<void> {
  const tenantId = 'bench_answered';
  await db.insertInto('tenants').values({ id: tenantId, slug: tenantId, name: 'Maple Plumbing & Heating', time_zone: 'America/Toronto', phone: null }).onConflict((oc) => oc.doNothing()).execute();
  await syncKnowledge(db, tenantId, join(root, 'demo/knowledge'), { now: GOLDEN_NOW });
  const set = (JSON.parse(readFileSync(join(root, 'bench/knowledge/demo-holdout.json'), 'utf8')) as { questions: HoldoutQuestion[] }).questions;
  const rows: { h: HoldoutQuestion; answered: boolean; correct: boolean; text: string; confidence: number }[] = [];
  for (const h of set) {
    const a = await answerQuestion(db, tenantId, h.q, { recordGap: false, now: GOLDEN_NOW });
    const answered = a.status === 'answered';
    const correct = h.expect === 'gap' ? !answered : answered && containsAll(a.text, h.must ?? []);
    rows.push({ h, answered, correct, text: a.text, confidence: a.confidence });
  }
  const stat = (name: string, rs: typeof rows) => {
    const answered = rs.filter((r) => r.answered);
    const answerable = rs.filter((r) => r.h.expect === 'answer');
    const gaps = rs.filter((r) => r.h.expect === 'gap');
    return [
      name,
      rs.length,
      answered.length,
      answered.length ? answered.filter((r) => r.correct).length / answered.length : 1,
      answerable.length ? answerable.filter((r) => r.correct).length / answerable.length : 1,
      gaps.length ? gaps.filter((r) => !r.answered).length / gaps.length : 1,
    ];
  };
  printTable(
    'Demo held-out set — offline answerer (answerQuestion, default threshold)',
    ['questions', 'n', 'answered', 'answered-precision', 'answered-recall', 'gap-rate (unanswerable)'],
    [stat('English', rows.filter((r) => r.h.lang === 'en')), stat('French', rows.filter((r) => r.h.lang === 'fr')), stat('all', rows)],
    `${set.filter((h) => h.expect === 'answer').length} answerable, ${set.filter((h) => h.expect === 'gap').length} unanswerable. Target: answered-precision ≥ 0.95 (a wrong answer is worse than "I'll ask the owner").`,
  );
  const wrong = rows.filter((r) => !r.correct).map((r) => [r.h.expect === 'gap' ? 'answered a gap' : r.answered ? 'wrong answer' : 'answerable → gap', r.h.q, r.confidence, r.answered ? r.text.slice(0, 90) : '']);
  if (wrong.length) printTable('Held-out errors', ['error', 'question', 'confidence', 'reply'], wrong);
}
