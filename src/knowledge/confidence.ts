import { conceptHits } from './excerpt.js';
import { splitSentences } from './text.js';
import type { ChunkRow } from './search.js';

/**
 * Confidence that retrieval found the answer, 0..1: the weighted share of the question's concepts
 * found together in one place — a window of two consecutive sentences of one of the top three
 * chunks, read with the chunk's title, keywords and headings. Weights are rarity in this tenant's
 * knowledge, so a missing rare word ("pool") costs more than a missing common one ("price").
 * Requiring the words together, rather than anywhere in a chunk, keeps coincidental matches
 * ("hot" water … bath "tubs") from looking like answers. A chunk in the other language than the
 * question counts 0.9.
 * @returns the confidence and the index (in `hits`) of the chunk that gave it (-1 if none)
 */
export function retrievalConfidence(hits: ChunkRow[], concepts: string[][], weights: number[], questionConfig: string): { confidence: number; best: number } {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || hits.length === 0) return { confidence: 0, best: -1 };
  let confidence = 0;
  let best = -1;
  hits.slice(0, 3).forEach((h, idx) => {
    const context = `${h.title} ${h.keywords} ${h.heading_path}`;
    const sentences = splitSentences(h.body);
    const windows = sentences.length <= 1 ? [sentences[0] ?? ''] : sentences.slice(0, -1).map((s, i) => `${s} ${sentences[i + 1]}`);
    for (const w of windows) {
      const text = `${context} ${w}`;
      const covered = concepts.reduce((acc, alts, i) => acc + (conceptHits(text, [alts]) ? (weights[i] ?? 0) : 0), 0);
      const c = (covered / total) * (h.language === questionConfig ? 1 : 0.9);
      if (c > confidence + 1e-9) {
        confidence = c;
        best = idx;
      }
    }
  });
  return { confidence: Math.round(confidence * 1000) / 1000, best };
}
