import { termMatches } from './excerpt.js';
import { fold } from './text.js';
import { idf, type TermStats } from './term-stats.js';

/**
 * Generic words that rarely carry the topic of a question ("what's your phone number",
 * "do you offer …"). They still count, with {@link WEAK_WEIGHT} of their weight.
 */
const WEAK = new Set(
  `number numbers info information detail details question questions help service services work working need needs
  get like know tell find give make use time thing things something anything home house company business customer
  customers available possible able provide offer offers currently usually one much many kind sort type also good best
  long happen arrive duree fix repair install replace come live
  numero informations renseignements aide travail travaux besoin faire offrez offrir quelque chose maison entreprise
  client clients possible disponible genre type aller allez venir venez reparer installer remplacer`.split(/\s+/).filter(Boolean),
);
export const WEAK_WEIGHT = 0.3;

/** True for a generic word or one of its inflections (travaillez → travail, happens → happen). */
export function isWeak(word: string): boolean {
  const w = fold(word);
  if (WEAK.has(w)) return true;
  for (const x of WEAK) if (termMatches(w, x)) return true;
  return false;
}

/**
 * Weight of each concept of a question: its rarity in the tenant's knowledge (IDF), reduced for
 * generic words. Used by search ranking (coverage) and by answer confidence.
 */
export function conceptWeights(concepts: string[][], stats: TermStats): number[] {
  const idfs = idf(stats);
  return concepts.map((alts, i) => {
    // Concepts with synonyms come from the business lexicon and are never generic.
    return (alts.length === 1 && isWeak(alts[0] ?? '') ? WEAK_WEIGHT : 1) * (idfs[i] ?? 1);
  });
}
