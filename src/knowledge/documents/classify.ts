import { DOCUMENT_TYPES, type DocumentTypeRule } from './document-types.js';

/** The winning type of a text and its score; `unknown` when no type reaches its minimum. */
export interface Classification {
  type: string;
  score: number;
  /** The best-scoring type even below its minimum (null when nothing matched): a cover page's hint. */
  hint: string | null;
}

/** Sum of weights of the distinct keyword patterns of `rule` found in `text`. */
export function scoreType(rule: DocumentTypeRule, text: string): number {
  let score = 0;
  for (const [pattern, weight] of rule.keywords) if (pattern.test(text)) score += weight;
  return score;
}

/**
 * Classifies one page or document text by keyword rules (`document-types.ts`). Offline and
 * deterministic: the highest-scoring type at or above its `minScore`, else `unknown`.
 */
export function classifyText(text: string, types: readonly DocumentTypeRule[] = DOCUMENT_TYPES): Classification {
  let best: Classification = { type: 'unknown', score: 0, hint: null };
  let hintScore = 0;
  for (const rule of types) {
    const score = scoreType(rule, text);
    if (score > hintScore) [best.hint, hintScore] = [rule.id, score];
    if (score >= rule.minScore && score > best.score) best = { ...best, type: rule.id, score };
  }
  return best.type === 'unknown' ? best : { ...best, hint: best.type };
}
