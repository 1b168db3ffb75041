import type { Db } from '../store/db.js';
import { retrievalConfidence } from './confidence.js';
import { termStats } from './term-stats.js';
import { conceptWeights } from './weights.js';
import { conceptHits, makeExcerpt } from './excerpt.js';
import { recordGap } from './gaps.js';
import { checkGroundedness, type Groundedness } from './groundedness.js';
import { prepareQuery } from './query.js';
import { answerRequirement, chunkIsAbout, mentionsEntity, touchesEntity, type AnswerRequirement } from './answer-check.js';
import { hasAnswerType } from './answer-type.js';
import { conceptTexts, searchChunks, type ChunkRow } from './search.js';
import { searchConfig, splitSentences } from './text.js';
import { attachSourceUrls } from './citation-urls.js';
import type { Citation, KnowledgeKind, KnowledgeLanguage } from './types.js';

/**
 * Default confidence threshold (0..1) below which a question is "unknown". Calibrated on the
 * demo golden set (`npm run bench:knowledge`, threshold sweep): see src/knowledge/README.md.
 */
export const DEFAULT_THRESHOLD = 0.45;

/** Kinds that never answer a customer: tone rules and example messages. */
const NOT_ANSWERS: KnowledgeKind[] = ['voice', 'example'];

/** A model call that answers from the sources in `prompt`. Citations are source numbers ([1] → 1) or file paths. */
export type GenerateFn = (prompt: string) => Promise<{ text: string; citations: (number | string)[] }>;

/** Options of {@link answerQuestion}. */
export interface AnswerOptions {
  /** Model call; without it the answer is extractive (sentences quoted from the knowledge). */
  generate?: GenerateFn;
  /** Confidence (0..1) required to answer (default {@link DEFAULT_THRESHOLD}). */
  threshold?: number;
  /** Only knowledge for this audience (or for everyone). */
  audience?: string;
  /** Language of the question (detected when omitted). */
  language?: KnowledgeLanguage;
  /** Instant for expiry checks (default now). */
  now?: Date;
  /** Record a knowledge gap when unknown (default true). Benchmarks turn it off. */
  recordGap?: boolean;
}

/** A grounded answer, or "unknown" (and a gap for the owner). */
export interface Answer {
  status: 'answered' | 'unknown';
  /** The answer; for `unknown`, a holding reply in the question's language. */
  text: string;
  citations: Citation[];
  /** 0..1, share of the question's (rarity-weighted) concepts found in the best chunk. */
  confidence: number;
  language: KnowledgeLanguage;
  /** The gap recorded for an unknown question (null when answered or when recording is off). */
  gapId: string | null;
  /** For generated answers: whether every price and policy claim is backed by the knowledge. */
  grounding: Groundedness | null;
}

const HOLDING: Record<KnowledgeLanguage, string> = {
  en: "I don't have that information yet. I've passed your question to the team and we'll get back to you.",
  fr: "Je n'ai pas encore cette information. J'ai transmis votre question à l'équipe et nous vous répondrons bientôt.",
};

const UNKNOWN_MARK = 'UNKNOWN';

function citation(h: ChunkRow, concepts: string[][]): Citation {
  return { file: h.file, headingPath: h.heading_path, excerpt: makeExcerpt(h.body, concepts), url: null };
}

/** Longest FAQ answer given back whole by the extractive answer, in characters. */
const WHOLE_FAQ_CHARS = 600;

/** Kinds that never answer a "do you…?" question about the business: a how-to is not an offer. */
const NOT_SERVICE_ANSWERS: KnowledgeKind[] = ['procedure'];

/**
 * Sentences of one chunk that may answer: each carries the asked-for answer type (a money amount
 * for a price, a time for hours, a phone number…) and at least one word of the question's key
 * entity, and the whole entity is mentioned by the sentence read with the chunk's title and
 * headings (keywords too for a file's top chunk) (and, if needed, its neighbour sentence, which then joins the answer). Scored by
 * concept weight. Nothing for a "do you…?" question in a how-to.
 */
function eligibleSentences(h: ChunkRow, req: AnswerRequirement, score: (s: string) => number): { s: string; i: number; v: number; ok: boolean; with: number | null }[] {
  // The owner's keywords describe the file: they count for its top chunk (a FAQ answer), not for every section.
  const context = `${h.title} . ${h.heading_path} . ${h.heading_path === h.title ? h.keywords : ''} .`;
  const all = splitSentences(h.body);
  const serviceBlocked = req.type === 'service' && NOT_SERVICE_ANSWERS.includes(h.kind);
  return all.map((s, i) => {
    const base = { s, i, v: score(s), ok: false, with: null as number | null };
    if (serviceBlocked || !hasAnswerType(s, req.type) || !touchesEntity(`${context} ${s}`, req.entity)) return base;
    if (mentionsEntity(`${context} ${s}`, req.entity)) return { ...base, ok: true };
    for (const j of [i - 1, i + 1]) {
      const n = all[j];
      if (n && mentionsEntity(`${context} ${j < i ? `${n} ${s}` : `${s} ${n}`}`, req.entity)) return { ...base, ok: true, with: j };
    }
    return base;
  });
}

/**
 * The best eligible sentences (see {@link eligibleSentences}) of the first chunk that has any
 * (plus one from a runner-up about the same entity when it covers a concept the first does not),
 * in document order; a leading "Yes."/"No." is kept with the sentence it answers. Null when no
 * chunk holds an answer of the asked-for type about the asked-for thing: the caller then records
 * a gap rather than quoting something else.
 */
function extract(hits: ChunkRow[], concepts: string[][], weights: number[], req: AnswerRequirement): { text: string; used: ChunkRow[] } | null {
  const score = (s: string) => concepts.reduce((acc, alts, i) => acc + (conceptHits(s, [alts]) ? (weights[i] ?? 1) : 0), 0);
  const about = hits.filter((h) => chunkIsAbout(h, req));
  let top: ChunkRow | undefined;
  let sentences: ReturnType<typeof eligibleSentences> = [];
  for (const h of about) {
    sentences = eligibleSentences(h, req, score);
    if (sentences.some((x) => x.ok)) {
      top = h;
      break;
    }
  }
  if (!top) return null;
  // A FAQ chunk (one question's answer, e.g. the owner's answer to a gap) that holds an answer is
  // given whole: its sentences belong together ("No. We do plumbing and heating only. Ask …").
  const whole = top.kind === 'faq' ? sentences.map((x) => x.s).join(' ') : '';
  if (whole && whole.length <= WHOLE_FAQ_CHARS) return { text: whole, used: [top] };
  const ranked = sentences.filter((x) => x.ok).sort((a, b) => b.v - a.v || a.i - b.i);
  const chosen = ranked.filter((x) => x.v > 0).slice(0, 2);
  if (chosen.length === 0) chosen.push(...ranked.slice(0, 2));
  const idx = new Set(chosen.flatMap((c) => (c.with === null ? [c.i] : [c.i, c.with])));
  const first = Math.min(...idx);
  if (first > 0 && /^(yes|no|oui|non)\b[.!,]?$/i.test(sentences[first - 1]!.s)) idx.add(first - 1);
  let text = [...idx].sort((a, b) => a - b).map((i) => sentences[i]!.s).join(' ');
  const used = [top];
  const runner = about.find((h) => h !== top);
  if (runner && runner.score >= top.score * 0.8) {
    const missing = concepts.filter((alts) => !conceptHits(text, [alts]));
    const extra = eligibleSentences(runner, req, score).find((x) => x.ok && missing.some((alts) => conceptHits(x.s, [alts])))?.s;
    if (extra && !text.includes(extra)) {
      text += ` ${extra}`;
      used.push(runner);
    }
  }
  return { text: text.length > 600 ? `${text.slice(0, 599).replace(/\s+\S*$/, '')}…` : text, used };
}

function buildPrompt(question: string, hits: ChunkRow[], lang: KnowledgeLanguage): string {
  const sources = hits.map((h, i) => `[${i + 1}] ${h.file} — ${h.heading_path}\n${h.body}`).join('\n\n');
  return [
    'You answer a customer of a small business using ONLY the sources below.',
    `Answer in ${lang === 'fr' ? 'French' : 'English'}, briefly, in the business's own words. Never invent a price, guarantee, discount or time.`,
    `If the sources do not contain the answer, reply exactly ${UNKNOWN_MARK}.`,
    'Cite the numbers of the sources you used.',
    '',
    `Sources:\n${sources}`,
    '',
    `Question: ${question}`,
  ].join('\n');
}

/**
 * Answers a customer question as the owner would, from the tenant's knowledge, with citations.
 *
 * Retrieval first: the question's concepts are searched (voice and example files excluded) and
 * confidence is the rarity-weighted share of those concepts found in the best chunk. Below
 * `threshold` the answer is `unknown`, a holding reply is returned and a `knowledge_gap` is
 * recorded (similar questions share one gap). Otherwise the answer is extractive (best sentences,
 * offline — only sentences that carry the asked-for answer type and entity, see `answer-check.ts`;
 * none → unknown and a gap) or generated by `generate` from the top chunks and checked for groundedness; a model
 * reply of `UNKNOWN` or without valid citations is treated as unknown.
 */
export async function answerQuestion(db: Db, tenantId: string, question: string, opts: AnswerOptions = {}): Promise<Answer> {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  // A customer's question is never search syntax: quotes, leading dashes and "OR" are just words.
  const pq = prepareQuery(question.replace(/["]/g, ' ').replace(/(^|\s)-(?=\w)/g, '$1').replace(/\bOR\b/g, 'or'), opts.language);
  const lang = pq.language;
  const unknown = async (confidence: number): Promise<Answer> => {
    const gapId = opts.recordGap === false ? null : (await recordGap(db, tenantId, question, lang)).gap.id;
    return { status: 'unknown', text: HOLDING[lang], citations: [], confidence, language: lang, gapId, grounding: null };
  };
  if (pq.concepts.length === 0) return unknown(0);
  const stats = await termStats(db, tenantId, conceptTexts(pq));
  const hits = await searchChunks(db, tenantId, pq, { limit: 8, excludeKinds: NOT_ANSWERS, audience: opts.audience, now: opts.now }, stats);
  if (hits.length === 0) return unknown(0);
  const weights = conceptWeights(pq.concepts, stats);
  const { confidence, best } = retrievalConfidence(hits, pq.concepts, weights, searchConfig(lang));
  if (confidence < threshold) return unknown(confidence);
  // The chunk that covers the question best leads the answer.
  const ordered = best > 0 ? [hits[best]!, ...hits.filter((_, i) => i !== best)] : hits;

  if (!opts.generate) {
    const found = extract(ordered, pq.concepts, weights, answerRequirement(question));
    if (!found) return unknown(confidence);
    const { text, used } = found;
    return { status: 'answered', text, citations: await attachSourceUrls(db, tenantId, used.map((h) => citation(h, pq.concepts))), confidence, language: lang, gapId: null, grounding: null };
  }
  const sources = ordered.slice(0, 4);
  const out = await opts.generate(buildPrompt(question, sources, lang));
  const text = out.text.trim();
  const cited = [
    ...new Set(
      out.citations
        .map((c) => (typeof c === 'number' ? sources[c - 1] : sources.find((s) => s.file === c || c === `[${sources.indexOf(s) + 1}]`)))
        .filter((s): s is ChunkRow => !!s),
    ),
  ];
  if (!text || text === UNKNOWN_MARK || cited.length === 0) return unknown(confidence);
  const grounding = await checkGroundedness(db, tenantId, text, { now: opts.now });
  return { status: 'answered', text, citations: await attachSourceUrls(db, tenantId, cited.map((h) => citation(h, pq.concepts))), confidence, language: lang, gapId: null, grounding };
}
