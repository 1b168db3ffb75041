/**
 * Content engine benchmark, offline (no model): every demo knowledge file plus the demo blog post
 * taken as a source → ideas → a week of posts on five platforms, each checked against its
 * platform's rules and against the demo knowledge (groundedness, embedded PostgreSQL). Repeated
 * BENCH_CONTENT_ROUNDS times (default 3). Prints a Markdown table: posts per minute with and
 * without the groundedness check, and peak RSS (sampled every 20 ms).
 * Run: `npm run bench:content`
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startTestPostgres } from '../../test/support/pg-process.js';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from '../../src/knowledge/sync.js';
import { checkGroundedness } from '../../src/knowledge/groundedness.js';
import { readVoiceNotes } from '../../src/knowledge/voice-notes.js';
import { InputError } from '../../src/core/errors.js';
import type { Idea } from '../../src/autonomy/content/ideas.js';
import { readSource } from '../../src/autonomy/content/source.js';
import { PLATFORMS } from '../../src/autonomy/content/platform-rules.js';
import { planWeek } from '../../src/autonomy/content/week-planner.js';
import type { WriterContext } from '../../src/autonomy/content/writer.js';

const ROUNDS = Number(process.env.BENCH_CONTENT_ROUNDS ?? 3);
const DEMO = join(import.meta.dirname, '../../demo');
const NOW = new Date('2026-12-01T17:00:00Z');
const MB = 1024 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(md|txt|html)$/.test(f) ? [p] : [];
  });
}

let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const server = await startTestPostgres();
process.env.AIOS_TEST_PG_ADMIN_URL = server.url;
const t = await createTestDatabase();
try {
  const tid = await insertTenant(t.db, 'maple', '+14165550140');
  await syncKnowledge(t.db, tid, join(DEMO, 'knowledge'), { now: NOW });
  const voice = await readVoiceNotes(t.db, tid);
  const ctx: WriterContext = { businessName: 'Maple Plumbing & Heating', link: 'https://book.mapleplumbing.example/', hashtags: ['TorontoPlumber'], signOff: voice.signOff, banned: voice.banned };
  const paths = [join(DEMO, 'content/winter-ready-home.md'), ...files(join(DEMO, 'knowledge'))];
  const sources: { name: string; ideas: Idea[] }[] = [];
  const t0 = performance.now();
  for (const p of paths) {
    try {
      sources.push({ name: relative(DEMO, p), ideas: (await readSource(relative(DEMO, p), readFileSync(p), 'CAD')).ideas });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      sources.push({ name: relative(DEMO, p), ideas: [] });
    }
  }
  const extractMs = performance.now() - t0;
  const postable = sources.filter((s) => s.ideas.length > 0);
  const rows: { label: string; weeks: number; posts: number; leftOut: number; ms: number }[] = [];
  for (const grounded of [false, true]) {
    let posts = 0;
    let leftOut = 0;
    let weeks = 0;
    const start = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of postable) {
        const plan = await planWeek({
          ideas: s.ideas, ctx, platforms: PLATFORMS, monday: '2026-12-07', timeZone: 'America/Toronto',
          ground: grounded ? (text) => checkGroundedness(t.db, tid, text, { now: NOW }) : async () => ({ grounded: true, unsupported: [] }),
        });
        posts += plan.posts.length;
        leftOut += plan.leftOut.length;
        weeks++;
      }
    }
    rows.push({ label: grounded ? 'write + rules + groundedness (PostgreSQL)' : 'write + rules only', weeks, posts, leftOut, ms: performance.now() - start });
  }
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const ideas = postable.reduce((n, s) => n + s.ideas.length, 0);
  process.stdout.write(`\nContent engine, offline, Node ${process.version}: ${paths.length} sources (${postable.length} postable, ${ideas} ideas, extracted in ${extractMs.toFixed(0)} ms), ${ROUNDS} rounds, 20 posts/week over 5 platforms\n\n`);
  process.stdout.write('| run | weeks planned | posts | left out | seconds | posts/min |\n|---|---:|---:|---:|---:|---:|\n');
  for (const r of rows) process.stdout.write(`| ${r.label} | ${r.weeks} | ${r.posts} | ${r.leftOut} | ${(r.ms / 1000).toFixed(2)} | ${Math.round(r.posts / (r.ms / 60_000)).toLocaleString('en')} |\n`);
  process.stdout.write(`\npeak RSS: ${(peak / MB).toFixed(0)} MB (this process; PostgreSQL not counted)\n`);
} finally {
  clearInterval(timer);
  await t.close();
  await server.stop();
}
