import { expandConcepts } from './lexicon.js';
import { contentTokens, detectLanguage, fold, isStopWord } from './text.js';
import type { KnowledgeLanguage } from './types.js';

/** A question prepared for PostgreSQL full-text search. */
export interface PreparedQuery {
  /** Input to `websearch_to_tsquery(config, …)`; the same text serves both configurations. */
  websearch: string;
  /** Concepts (alternatives per content word) — used for confidence. Empty in strict mode. */
  concepts: string[][];
  /** Language of the question (detected unless given). */
  language: KnowledgeLanguage;
  /** True when the caller wrote search syntax ("quoted phrase", -exclude, OR): used as is. */
  strict: boolean;
}

function quote(alt: string): string | null {
  const words = alt.split(/[\s-]+/).filter(Boolean);
  if (words.length === 0 || words.every(isStopWord)) return null;
  return words.length === 1 ? words[0]! : `"${words.join(' ')}"`;
}

/**
 * Prepares a natural-language question: accents folded, English and French stop words dropped,
 * generic business synonyms added, every alternative joined with `or` (a question rarely repeats
 * the document's exact words; ranking then rewards chunks that cover more of them). Questions
 * written with search syntax (quotes, a leading `-`, `OR`) are passed through unchanged (strict).
 * @returns `websearch` is empty when the question has no content words (nothing to search)
 */
export function prepareQuery(question: string, language?: KnowledgeLanguage): PreparedQuery {
  const lang = language ?? detectLanguage(question);
  if (/"[^"]+"|(^|\s)-\w|\sOR\s/.test(question)) {
    return { websearch: fold(question), concepts: [], language: lang, strict: true };
  }
  const folded = fold(question.toLowerCase());
  const concepts = expandConcepts(contentTokens(question), folded);
  const alternatives = new Set<string>();
  for (const c of concepts) for (const alt of c) {
    const q = quote(alt);
    if (q) alternatives.add(q);
  }
  return { websearch: [...alternatives].join(' or '), concepts, language: lang, strict: false };
}
