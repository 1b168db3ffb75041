import { FOLD_FROM, FOLD_TO } from '../store/migrations/0002-knowledge.js';
import type { KnowledgeLanguage, SearchConfig } from './types.js';

const FOLD_MAP = new Map<string, string>();
for (let i = 0; i < FOLD_FROM.length; i++) FOLD_MAP.set(FOLD_FROM[i]!, FOLD_TO[i]!);

/**
 * Folds accents exactly as the `tsv` generated column does (same translate table), so that
 * "deboucher" and "déboucher" meet. Ligatures are expanded (œ → oe).
 */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) out += FOLD_MAP.get(ch) ?? ch;
  return out.replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae');
}

/** English function words (and question words that carry no topic). */
export const STOP_EN = new Set(
  `a about above after again all also am an and any are as at be been before being below between both but by can
  could did do does doing done down during each else ever few for from further get gets got had has have having he her
  here hers him his how i if in into is it its itself just let me more most my no nor not of off on once only or other
  our ours out over own please same she should so some such than that the their them then there these they this those
  through to too under until up us very was we were what when where which while who whom why will with would you
  your yours yourself hi hello hey thanks thank anyone someone something tell know need want wondering like im ive
  id dont doesnt cant whats much many way ok okay also still really get getting go going ask asking question
  won wont isn aren wasn weren didn couldn wouldn shouldn haven hasn ll ve re yourselves ourselves themselves myself
  ever anymore already right now`.split(/\s+/).filter(Boolean),
);

/** French function words (accents folded). */
export const STOP_FR = new Set(
  `a au aux avec ce ces cette c ca dans de des du elle elles en est et etre eux il ils je j la le les leur leurs lui ma
  mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui quoi sa se ses son sur ta te tes toi ton tu
  un une vos votre vous y l d n s m t quel quelle quels quelles sont ai as avez avons ont suis es etes fait faites
  faire peut peux pouvez pouvons puis est-ce ceci cela comment quand ou bonjour merci svp plait si tres aussi
  voudrais veux voulez aimerais chez faut est-ce estce avez-vous etes-vous y-a-t-il t-il
  moment`.split(/\s+/).filter(Boolean),
);

/** Lowercased, accent-folded word tokens (letters and digits). Single letters are dropped. */
export function tokenize(text: string): string[] {
  return fold(text.toLowerCase())
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 || /\d/.test(t));
}

/** True for a token that is a function word in English or French. */
export function isStopWord(token: string): boolean {
  return STOP_EN.has(token) || STOP_FR.has(token);
}

/** Content tokens: tokens minus English and French stop words. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((t) => !isStopWord(t));
}

// Words frequent in one language and rare in the other (folded). Shared words ("a", "on") are left out.
const MARK_EN = new Set(['the', 'and', 'is', 'are', 'you', 'your', 'we', 'our', 'of', 'to', 'for', 'with', 'what', 'how', 'do', 'does', 'can', 'this', 'that', 'it', 'in', 'be', 'will', 'if', 'my']);
const MARK_FR = new Set(['le', 'la', 'les', 'et', 'est', 'vous', 'votre', 'vos', 'nous', 'notre', 'nos', 'de', 'des', 'du', 'pour', 'avec', 'que', 'qui', 'quel', 'quels', 'quelle', 'quelles', 'une', 'un', 'dans', 'sur', 'pas', 'sont', 'combien', 'je', 'ce', 'au', 'aux', 'faites', 'pouvez']);

/**
 * Guesses the language of a text from function words. Returns `en` unless French markers clearly
 * dominate (ties and empty text are English).
 */
export function detectLanguage(text: string): KnowledgeLanguage {
  let en = 0;
  let fr = 0;
  for (const t of tokenize(text.slice(0, 20_000))) {
    if (MARK_EN.has(t)) en++;
    if (MARK_FR.has(t)) fr++;
  }
  // Accented letters are a strong French signal in short questions.
  const accents = (text.slice(0, 20_000).match(/[éèêàâçùûôîœ]/gi) ?? []).length;
  fr += Math.min(accents, 3) * 0.5;
  return fr > en ? 'fr' : 'en';
}

/** The PostgreSQL text search configuration for a language. */
export function searchConfig(lang: KnowledgeLanguage): SearchConfig {
  return lang === 'fr' ? 'french' : 'english';
}

/** Splits prose into sentences (keeps list items and lines as their own sentences). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    for (const s of trimmed.split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9"«(])/)) {
      const c = s.trim();
      if (c) out.push(c);
    }
  }
  return out;
}

/** Number of whitespace-separated words. */
export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

/** A file-name-safe slug (lowercase ASCII, dashes), at most `max` characters. */
export function slugify(text: string, max = 60): string {
  const s = fold(text.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return s || 'question';
}

/** Crude singular: strips a plural `s`/`x` so that "prices" and "price" compare equal. */
export function lightStem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return token.slice(0, -3) + 'y';
  if (token.length > 3 && (token.endsWith('s') || token.endsWith('x')) && !token.endsWith('ss')) return token.slice(0, -1);
  return token;
}

/**
 * Normalises a question for de-duplication: lowercase, accents folded, punctuation and stop words
 * removed, light stemming, unique tokens sorted.
 */
export function normalizeQuestion(question: string): string {
  return [...new Set(contentTokens(question).map(lightStem))].sort().join(' ');
}

/** Jaccard similarity of two space-separated token sets (0..1; two empty sets → 0). */
export function jaccard(a: string, b: string): number {
  const sa = new Set(a.split(' ').filter(Boolean));
  const sb = new Set(b.split(' ').filter(Boolean));
  if (sa.size === 0 || sb.size === 0) return 0;
  let inter = 0;
  for (const t of sa) if (sb.has(t)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** A human title from a file name: `burst-pipe_v2.md` → `Burst pipe v2`. */
export function titleFromFileName(path: string): string {
  const base = path.split('/').pop() ?? path;
  const stem = base.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim();
  return stem ? stem[0]!.toUpperCase() + stem.slice(1) : base;
}
