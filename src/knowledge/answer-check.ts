import { classifyAnswerType, hasAnswerType, type AnswerType } from './answer-type.js';
import { isLexiconWord } from './lexicon.js';
import { fold, isStopWord, lightStem, splitSentences } from './text.js';

/**
 * Words that say what kind of answer or action is asked, not what it is about: they never make a
 * question's key entity ("Can you *fix* my hot tub heater?" is about the hot tub heater).
 */
const GENERIC = new Set(
  `how much price prices pricing cost costs charge charges fee fees rate rates surcharge time long hours hour open opening
  close closed phone number address email mail fix fixes repair repairs install installs installation installed replace
  replacement service services offer offers sell provide work use come get give take accept need much often soon quickly
  damage happen possible available question info information kind type any other thing things far new serve cover visit go
  combien coute coutent cout prix tarif tarifs frais heures heure ouverture horaire horaires ouvert numero adresse courriel
  reparez reparer installez installer vendez vendre offrez offrir faites acceptez prenez quel quelle quels quelles`.split(/\s+/).filter(Boolean),
);

/** Lowercased, folded word tokens in order, keeping single letters out (as the index does). */
function words(text: string): string[] {
  return fold(text.toLowerCase()).split(/[^a-z0-9]+/).filter((t) => t.length > 1 || /\d/.test(t));
}

/** Token normal form: plural dropped, then a verb ending (-ing, -ed) dropped. */
function norm(t: string): string {
  const s = lightStem(t);
  if (s.length > 5 && s.endsWith('ing')) return s.slice(0, -3);
  if (s.length > 4 && s.endsWith('ed')) return s.slice(0, -2);
  return s;
}

/** Equal normal forms, or one a one-letter extension of the other ("servic"/"service"). Not electric/electrical. */
function same(a: string, b: string): boolean {
  if (a === b) return true;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  return s.length >= 4 && l.length - s.length <= 1 && l.startsWith(s);
}

/**
 * The key entity of a question: its content words (stop words and {@link GENERIC} words out), as
 * runs of adjacent words — "hot tub heater" is one run, which a chunk must match as a phrase;
 * a word of the business lexicon ("online", "special") is a run of its own.
 */
export function questionEntity(question: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const t of words(question)) {
    if (isStopWord(t) || GENERIC.has(t) || GENERIC.has(lightStem(t))) {
      if (run.length) runs.push(run);
      run = [];
    } else if (isLexiconWord(t)) {
      // Generic business words ("online", "warranty", "special") stand alone: they are not part of a trade compound.
      if (run.length) runs.push(run);
      runs.push([norm(t)]);
      run = [];
    } else run.push(norm(t));
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * True when `text` mentions the entity: every word of every run is present and, for a run of two
 * or more words, two of its words stand side by side (stop words between them ignored, either
 * order: "frozen pipe thawing", "a toilet you bought"), so "water heater" does not satisfy "hot
 * tub heater", nor "tubs … hot-water boiler".
 */
export function mentionsEntity(text: string, entity: string[][]): boolean {
  const toks = words(text).filter((t) => !isStopWord(t)).map(norm);
  const has = (w: string) => toks.some((t) => same(t, w));
  return entity.every((run) => {
    if (!run.every(has)) return false;
    if (run.length < 2) return true;
    const inRun = (t: string) => run.findIndex((w) => same(t, w));
    return toks.some((t, i) => {
      const a = inRun(t);
      const b = i + 1 < toks.length ? inRun(toks[i + 1]!) : -1;
      return a >= 0 && b >= 0 && a !== b;
    });
  });
}

/** True when `text` mentions at least one word of the entity (true for an empty entity). */
export function touchesEntity(text: string, entity: string[][]): boolean {
  if (entity.length === 0) return true;
  const toks = words(text).map(norm);
  return entity.some((run) => run.some((w) => toks.some((t) => same(t, w))));
}

/** What the answer must contain for a question: its answer type and its key entity. */
export interface AnswerRequirement {
  type: AnswerType;
  entity: string[][];
}

/** The {@link AnswerRequirement} of a question. */
export function answerRequirement(question: string): AnswerRequirement {
  return { type: classifyAnswerType(question), entity: questionEntity(question) };
}

/** A chunk as the check reads it: its context (title, keywords, headings) and body. */
export interface CheckedChunk {
  title: string;
  keywords: string;
  heading_path: string;
  body: string;
}

/** True when the chunk is about the question's entity (in its body or its title/keywords/headings). */
export function chunkIsAbout(chunk: CheckedChunk, req: AnswerRequirement): boolean {
  return mentionsEntity(`${chunk.title} . ${chunk.keywords} . ${chunk.heading_path} . ${chunk.body}`, req.entity);
}

/** Sentences of a chunk that carry the asked-for type (all sentences for `other`). */
export function typedSentences(body: string, type: AnswerType): string[] {
  return splitSentences(body).filter((s) => hasAnswerType(s, type));
}
