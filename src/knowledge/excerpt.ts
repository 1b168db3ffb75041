import { splitSentences, tokenize } from './text.js';

/** Longest excerpt returned with a search hit, in characters. */
export const EXCERPT_CHARS = 300;

/** Loose word match standing in for stemming: a shared prefix of 4 letters (or the whole shorter word). */
export function termMatches(token: string, term: string): boolean {
  if (token === term) return true;
  const shorter = Math.min(token.length, term.length);
  const longer = Math.max(token.length, term.length);
  if (shorter < 3) return false;
  let i = 0;
  while (i < shorter && token[i] === term[i]) i++;
  if (i === shorter && shorter < 5) return longer - shorter <= 3; // fee/fees, heat/heater
  return i >= 4 && i >= shorter - 2; // price/pricing, plumber/plumbing; not install/instant
}

/** Number of concepts (lists of alternatives) that a piece of text mentions. */
export function conceptHits(text: string, concepts: string[][]): number {
  const tokens = tokenize(text);
  let hits = 0;
  for (const alts of concepts) {
    const words = alts.map((a) => a.split(/[\s-]+/));
    const found = words.some((w) =>
      w.length === 1 ? tokens.some((t) => termMatches(t, w[0]!)) : w.every((part) => tokens.some((t) => termMatches(t, part))),
    );
    if (found) hits++;
  }
  return hits;
}

/** Sentences of `body` scored by concept hits, best first (ties keep document order). */
export function rankSentences(body: string, concepts: string[][]): { sentence: string; index: number; hits: number }[] {
  return splitSentences(body)
    .map((sentence, index) => ({ sentence, index, hits: conceptHits(sentence, concepts) }))
    .sort((a, b) => b.hits - a.hits || a.index - b.index);
}

/**
 * A window of the chunk around its best-matching sentence, at most {@link EXCERPT_CHARS}
 * characters (cut at a word, with an ellipsis).
 */
export function makeExcerpt(body: string, concepts: string[][]): string {
  const sentences = splitSentences(body);
  if (sentences.length === 0) return '';
  const ranked = rankSentences(body, concepts);
  const start = ranked[0] && ranked[0].hits > 0 ? ranked[0].index : 0;
  let out = sentences[start]!;
  for (let i = start + 1; i < sentences.length && out.length + sentences[i]!.length + 1 <= EXCERPT_CHARS; i++) out += ` ${sentences[i]}`;
  if (out.length > EXCERPT_CHARS) out = `${out.slice(0, EXCERPT_CHARS - 1).replace(/\s+\S*$/, '')}…`;
  return out;
}
