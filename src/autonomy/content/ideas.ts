import { isStopWord, normalizeQuestion, jaccard, splitSentences, wordCount } from '../../knowledge/text.js';

/** The kinds of idea worth a post. */
export const IDEA_KINDS = ['tip', 'question', 'story', 'quote', 'offer'] as const;
export type IdeaKind = (typeof IDEA_KINDS)[number];

/** Where in the source an idea came from: character offsets into the source's text. */
export interface PassageRef {
  /** Heading path above the passage, e.g. "Winter care > Pipes"; "" at the top. */
  heading: string;
  /** Offset of the passage's first character in the source text (UTF-16 units, as JS strings). */
  start: number;
  /** Offset just past the passage's last character. */
  end: number;
}

/** One idea extracted from a source. */
export interface Idea {
  kind: IdeaKind;
  /** The idea's own words, taken from the passage (one to three sentences). */
  text: string;
  /** The heading it sits under, used as its topic in templates ("" when none). */
  topic: string;
  passage: PassageRef;
  /** Higher is better (0–1): how self-contained and postable the passage is. */
  score: number;
  /** The source's recurring terms that this idea uses, most frequent first (hashtag material). */
  keywords: string[];
}

/** A paragraph of the source with its heading path and offsets. */
interface Passage extends PassageRef {
  text: string;
  /** First paragraph under its heading. */
  first: boolean;
}

/**
 * Lines that read as instructions to a machine rather than the business's words. A pasted page or
 * transcript may carry them; they never become posts (the engine only quotes, it never obeys).
 */
const INSTRUCTION_RE = /\b(ignore (all |any )?(previous|prior|above) (instructions|rules)|disregard (the )?(system|previous)|you are (now )?(an? )?(ai|assistant|model)|system prompt|as an ai\b|post (this|the following) (to|on) all|publish (this|immediately)|approve (all|this) (posts?|actions?))/i;

const TIP_START = /^(always|never|don'?t|do not|make sure|check|turn|keep|try|use|avoid|remember|before|if you|when you|clean|set|open|close|shut|test|book|plan|ask)\b/i;
const TIP_WORDS = /\b(tip|should|we recommend|recommend|best way|the trick|rule of thumb|pro tip)\b/i;
const STORY_WORDS = /\b(last (week|month|year|winter|summer)|yesterday|one day|a customer|a client|we (were|got|had|found|came|arrived|fixed|helped)|called us|turned out|ended up)\b/i;
const OFFER_WORDS = /(\$\s?\d|\d\s?\$)|\b(book (now|today|your|a|online)|call us|special|offer|this (month|week|season)|limited|sign up|get in touch|free (estimate|quote|consultation|inspection)|% off|discount)\b/i;
const QUOTED = /[“"]([^”"\n]{30,220})[”"]/g;

function passages(body: string): Passage[] {
  const out: Passage[] = [];
  const heads: string[] = [];
  let first = true;
  const re = /[^\n]+(?:\n(?!\s*\n)[^\n]+)*/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const raw = m[0];
    const h = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(raw.trim());
    if (h && !raw.trim().includes('\n')) {
      heads.length = h[1]!.length - 1;
      heads[h[1]!.length - 1] = h[2]!.trim();
      first = true;
      continue;
    }
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (!text) continue;
    out.push({ heading: heads.filter(Boolean).join(' > '), start: m.index + lead, end: m.index + lead + text.length, text, first });
    first = false;
  }
  return out;
}

/** Markdown decoration removed: list markers, emphasis, block quotes, link syntax. */
function plain(text: string): string {
  return text
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1')
    .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstSentences(text: string, max: number, maxChars = 320): string {
  const out: string[] = [];
  for (const s of splitSentences(text)) {
    if (out.length >= max || out.join(' ').length + s.length > maxChars) break;
    out.push(s);
  }
  return out.join(' ') || text.slice(0, maxChars);
}

function classify(p: Passage): Omit<Idea, 'keywords'>[] {
  const text = plain(p.text);
  if (INSTRUCTION_RE.test(text)) return [];
  const words = wordCount(text);
  if (words < 6) return [];
  const base = { topic: p.heading.split(' > ').pop() ?? '', passage: { heading: p.heading, start: p.start, end: p.end } };
  const out: Omit<Idea, 'keywords'>[] = [];
  for (const q of text.matchAll(QUOTED)) out.push({ ...base, kind: 'quote', text: q[1]!.trim(), score: 0.7 });
  if (/^\s*>/.test(p.text) && !out.length) out.push({ ...base, kind: 'quote', text: firstSentences(text, 2, 220), score: 0.75 });
  const sentences = splitSentences(text);
  const question = sentences.find((s) => s.endsWith('?') && wordCount(s) >= 4);
  const headingQuestion = p.first && base.topic.endsWith('?') && wordCount(base.topic) >= 3 ? base.topic : null;
  if (headingQuestion && !question) {
    out.push({ ...base, kind: 'question', text: `${headingQuestion} ${firstSentences(text, 2)}`, score: 0.75 });
  } else if (question) {
    const idx = sentences.indexOf(question);
    const answer = sentences.slice(idx + 1, idx + 3).join(' ');
    out.push({ ...base, kind: 'question', text: answer ? `${question} ${answer}` : question, score: answer ? 0.8 : 0.5 });
  }
  if (OFFER_WORDS.test(text)) out.push({ ...base, kind: 'offer', text: firstSentences(text, 2), score: 0.6 });
  else if (STORY_WORDS.test(text) && sentences.length >= 2) out.push({ ...base, kind: 'story', text: firstSentences(text, 3, 420), score: 0.7 + Math.min(0.2, sentences.length / 50) });
  else if (sentences.some((s) => TIP_START.test(s) || TIP_WORDS.test(s))) {
    const tip = sentences.find((s) => TIP_START.test(s) || TIP_WORDS.test(s))!;
    const i = sentences.indexOf(tip);
    out.push({ ...base, kind: 'tip', text: sentences.slice(i, i + 2).join(' '), score: 0.65 + (words >= 15 ? 0.1 : 0) });
  } else if (!out.length && words >= 15 && sentences.length >= 1 && /[.!]$/.test(text)) {
    // Plain informative prose: still worth a "good to know" post, ranked below the others.
    out.push({ ...base, kind: 'tip', text: firstSentences(text, 2), score: 0.45 });
  }
  return out;
}

/** Words of 4+ letters (not stop words) used at least twice in the source, most frequent first. */
function recurringTerms(body: string): string[] {
  const counts = new Map<string, number>();
  for (const w of plain(body).match(/\p{L}{4,}/gu) ?? []) {
    const k = w.toLowerCase().replace(/s$/, '');
    if (k.length < 5 || isStopWord(k)) continue;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([w]) => w);
}

/**
 * The ideas worth a post in a source's text (Markdown-like: `#` headings, paragraphs separated by
 * blank lines, as the knowledge extractor produces for Markdown, HTML, PDF, DOCX and plain text):
 * tips, questions with their answer, stories, quotes and offers, each with its passage's offsets
 * and heading. Passages that read as instructions to a machine are skipped; near-duplicates (same
 * words) are kept once. Ordered by score, then by position. Pure, no model.
 */
export function extractIdeas(body: string): Idea[] {
  const terms = recurringTerms(body);
  const all: Idea[] = passages(body).flatMap(classify).map((i) => {
    const words = new Set((i.text.match(/\p{L}{4,}/gu) ?? []).map((w) => w.toLowerCase()));
    return { ...i, keywords: terms.filter((t) => words.has(t) || words.has(`${t}s`)) };
  });
  const kept: Idea[] = [];
  const keys: string[] = [];
  for (const idea of all.sort((a, b) => b.score - a.score || a.passage.start - b.passage.start)) {
    const key = normalizeQuestion(idea.text);
    if (!key || keys.some((k) => jaccard(k, key) >= 0.7)) continue;
    keys.push(key);
    kept.push(idea);
  }
  return kept;
}
