import { isStopWord, splitSentences } from '../../knowledge/text.js';
import type { Idea, IdeaKind } from './ideas.js';
import { PHONE_RE, platformLength, type Platform, type PlatformRules } from './platform-rules.js';

/** What the writer takes from the business: its voice and its links. */
export interface WriterContext {
  businessName: string;
  /** Where a call to action points (booking link or website); null → no link. */
  link: string | null;
  /** Hashtags the business always uses, without `#` (e.g. ["TorontoPlumber"]). */
  hashtags: readonly string[];
  /** The voice's sign-off ("— Dana & the Maple team"); null → none. */
  signOff: string | null;
  /** Phrases never to write (lower case): from the voice file and from the owner's rejections. */
  banned: readonly string[];
  /** What the owner's rejections taught (see `lessons.ts`). */
  lessons?: WriterLessons;
}

/** Adjustments learned from rejection reasons. */
export interface WriterLessons {
  /** Multiplies each platform's target length (0.5–1; "too long" → shorter). */
  lengthFactor: number;
  /** Caps the hashtag count ("too many hashtags" → fewer, "no hashtags" → 0). */
  maxHashtags: number | null;
  /** Leave emoji and exclamation marks out. */
  plain: boolean;
}

/** A call to action: its type (from the platform's `ctaTypes`) and, for a button, its URL. */
export interface Cta {
  type: string;
  url: string | null;
}

/** A post as written for one platform. */
export interface DraftPost {
  platform: Platform;
  /** The full text to publish, hashtags included. */
  text: string;
  hashtags: string[];
  link: string | null;
  cta: Cta;
  /** What image to attach; null when none is needed. */
  imageNote: string | null;
  imageRequired: boolean;
}

const HOOKS: Record<IdeaKind, readonly string[]> = {
  tip: ['Quick tip{topic}:', 'One thing we tell every customer{topic}:', 'A small habit that saves trouble{topic}:'],
  question: ['A question we hear a lot:', 'You asked, we answer:', 'People often ask us this:'],
  story: ['From this week:', 'A job worth sharing:', 'Here is what happened:'],
  quote: ['In our own words:', 'Something we keep saying:', 'Worth repeating:'],
  offer: ['From {name}:', 'For our neighbours:', 'Good to know:'],
};

/** Deterministic pick (same idea + platform → same variant), so a re-run writes the same post. */
function pick<T>(list: readonly T[], seed: string): T {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return list[(h >>> 0) % list.length]!;
}

function hasBanned(text: string, banned: readonly string[]): boolean {
  const t = text.toLowerCase();
  return banned.some((b) => b && t.includes(b));
}

/** CamelCase hashtag from words: "burst pipes" → "BurstPipes". */
function tag(words: string): string {
  return words.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function hashtagsFor(idea: Idea, ctx: WriterContext, count: number): string[] {
  if (count <= 0) return [];
  const out: string[] = [];
  const add = (t: string) => {
    if (t.length >= 3 && t.length <= 30 && !out.some((o) => o.toLowerCase() === t.toLowerCase()) && !hasBanned(t, ctx.banned)) out.push(t);
  };
  for (const h of ctx.hashtags) add(tag(h));
  const topicWords = idea.topic.split(/\s+/).filter((w) => w.length >= 4 && !isStopWord(w.toLowerCase()));
  if (topicWords.length && topicWords.length <= 3) add(tag(topicWords.join(' ')));
  for (const w of idea.keywords) add(tag(w));
  return out.slice(0, count);
}

/** Shortens text to at most `max` characters at a sentence, else a word, boundary (adds "…"). */
export function shorten(text: string, max: number): string {
  if ([...text].length <= max) return text;
  const sentences = splitSentences(text);
  let out = '';
  for (const s of sentences) {
    const next = out ? `${out} ${s}` : s;
    if ([...next].length > max) break;
    out = next;
  }
  if (out) return out;
  const cps = [...text].slice(0, Math.max(0, max - 1)).join('');
  const cut = cps.replace(/\s+\S*$/, '');
  return `${(cut || cps).replace(/[\s,;:.-]+$/, '')}…`;
}

function ctaLine(rules: PlatformRules, cta: Cta, link: string | null): string | null {
  if (rules.link === 'button') return null;
  if (rules.link === 'bio') return link ? 'Link in bio.' : null;
  if (!link) return null;
  return cta.type === 'book' ? `Book: ${link}` : `More: ${link}`;
}

function ctaFor(idea: Idea, rules: PlatformRules, ctx: WriterContext): Cta {
  const wantBook = idea.kind === 'offer';
  const types = rules.ctaTypes;
  const type = wantBook ? (types.find((t) => t.toLowerCase() === 'book') ?? types[0]!) : types[0]!;
  return { type, url: rules.link === 'button' ? ctx.link : null };
}

/**
 * Writes one post for one platform from an idea, offline (templates and the idea's own words):
 * a hook, the passage's words, a call to action as the platform handles links, the voice's
 * sign-off where the platform wants one, and hashtags at the end. Sentences holding a banned
 * phrase (and, on Google Business Profile, a phone number) are dropped; the body is shortened at
 * sentence boundaries to the platform's target length and the whole post never passes its limit.
 * @returns the post, or null when nothing of the idea is left after the voice rules
 */
export function writePost(idea: Idea, rules: PlatformRules, ctx: WriterContext): DraftPost | null {
  const seed = `${idea.passage.start}:${idea.kind}:${rules.platform}`;
  const lessons = ctx.lessons;
  const plainMode = lessons?.plain ?? false;
  const sentences = splitSentences(idea.text)
    .filter((s) => !hasBanned(s, ctx.banned))
    .filter((s) => !(rules.noPhoneNumbers && PHONE_RE.test(s)))
    .map((s) => (plainMode ? s.replace(/!/g, '.').replace(/\p{Extended_Pictographic}/gu, '').trim() : s));
  if (!sentences.length) return null;
  let body = idea.kind === 'quote' ? `“${sentences.join(' ')}”` : sentences.join(' ');
  const topic = idea.topic && idea.topic.length <= 40 ? ` (${idea.topic.toLowerCase()})` : '';
  const hooks = HOOKS[idea.kind].map((h) => h.replace('{topic}', topic).replace('{name}', ctx.businessName)).filter((h) => !hasBanned(h, ctx.banned));
  const hook = hooks.length ? pick(hooks, seed) : null;
  const cta = ctaFor(idea, rules, ctx);
  const link = rules.link === 'button' ? null : ctx.link;
  const ctaText = ctaLine(rules, cta, link);
  const hashCount = Math.min(rules.hashtags.count, lessons?.maxHashtags ?? Infinity, rules.hashtags.max);
  const tags = hashtagsFor(idea, ctx, hashCount);
  const tagLine = tags.length ? tags.map((t) => `#${t}`).join(' ') : null;
  let signOff = rules.signOff && ctx.signOff && !hasBanned(ctx.signOff, ctx.banned) ? ctx.signOff : null;
  const target = Math.max(80, Math.round(rules.targetChars * (lessons?.lengthFactor ?? 1)));
  const assemble = (b: string, h: string | null, s: string | null, t: string | null) =>
    [h ? `${h}\n\n${b}` : b, ctaText, s, t].filter(Boolean).join('\n\n');
  let hookUsed = hook;
  let tagsUsed = tagLine;
  const fixed = () => platformLength(assemble('', hookUsed, signOff, tagsUsed), rules);
  // Aim at the target; never pass the hard limit: drop the sign-off, then the hook, then hashtags.
  const budget = (limit: number) => limit - fixed();
  if (platformLength(assemble(body, hookUsed, signOff, tagsUsed), rules) > target) body = shorten(body, Math.max(40, budget(target)));
  for (const drop of ['signOff', 'hook', 'tags'] as const) {
    if (platformLength(assemble(body, hookUsed, signOff, tagsUsed), rules) <= rules.maxChars) break;
    if (drop === 'signOff') signOff = null;
    if (drop === 'hook') hookUsed = null;
    if (drop === 'tags') tagsUsed = null;
  }
  if (platformLength(assemble(body, hookUsed, signOff, tagsUsed), rules) > rules.maxChars) body = shorten(body, budget(rules.maxChars));
  const text = assemble(body, hookUsed, signOff, tagsUsed);
  return {
    platform: rules.platform,
    text,
    hashtags: tagsUsed ? tags : [],
    link: ctaText && link ? link : null,
    cta,
    imageNote: rules.image.note,
    imageRequired: rules.image.required,
  };
}
