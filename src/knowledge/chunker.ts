import { splitSentences, wordCount } from './text.js';

/** A piece of a document as it will be indexed. */
export interface ChunkDraft {
  /** Headings from the document title down, e.g. `["Pricing", "Drain cleaning"]`. */
  headingPath: string[];
  /** Plain text (light Markdown removed), paragraphs separated by blank lines. */
  text: string;
  words: number;
}

/** Upper bound of a chunk, in words. Longer sections are split at paragraphs, then sentences. */
export const MAX_WORDS = 400;
/** Size aimed at when splitting a long section, in words. */
export const TARGET_WORDS = 300;

/** Removes Markdown syntax that only adds noise to search and excerpts; keeps link URLs. */
export function stripMarkdown(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, (_, t: string, u: string) => (t === u ? u : `${t} (${u})`))
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^\s*>\s?/gm, '')
    .replace(/^\s*[*+]\s+/gm, '- ')
    .replace(/^\s*(-{3,}|\*{3,}|_{3,})\s*$/gm, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Joins hard-wrapped lines back into paragraphs (Markdown sources are often wrapped at ~100
 * columns), keeping list items and numbered steps on lines of their own.
 */
export function unwrapLines(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    const prev = out[out.length - 1];
    if (!t) out.push('');
    else if (prev && !/^(-|\d+[.)])\s/.test(t)) out[out.length - 1] = `${prev} ${t}`;
    else out.push(t);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

interface Section {
  path: string[];
  lines: string[];
}

function sections(body: string, title: string): Section[] {
  const out: Section[] = [];
  const stack: string[] = [];
  let current: Section = { path: [title], lines: [] };
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!h) {
      current.lines.push(line);
      continue;
    }
    out.push(current);
    const level = h[1]!.length;
    const text = stripMarkdown(h[2]!);
    stack.length = Math.min(stack.length, level - 1);
    while (stack.length < level - 1) stack.push('');
    stack[level - 1] = text;
    const trail = stack.filter(Boolean);
    // The document's own H1 is its title; do not repeat it.
    const path = trail[0]?.toLowerCase() === title.toLowerCase() ? trail : [title, ...trail];
    current = { path, lines: [] };
  }
  out.push(current);
  return out;
}

function splitLong(text: string): string[] {
  if (wordCount(text) <= MAX_WORDS) return [text];
  const units: string[] = [];
  for (const para of text.split(/\n{2,}/)) {
    if (wordCount(para) <= MAX_WORDS) units.push(para);
    else {
      for (const s of splitSentences(para)) {
        if (wordCount(s) <= MAX_WORDS) units.push(s);
        else {
          const words = s.split(/\s+/);
          for (let i = 0; i < words.length; i += TARGET_WORDS) units.push(words.slice(i, i + TARGET_WORDS).join(' '));
        }
      }
    }
  }
  const parts: string[] = [];
  let buf: string[] = [];
  let n = 0;
  for (const u of units) {
    const w = wordCount(u);
    if (n > 0 && n + w > TARGET_WORDS) {
      parts.push(buf.join('\n\n'));
      buf = [];
      n = 0;
    }
    buf.push(u);
    n += w;
  }
  if (buf.length) parts.push(buf.join('\n\n'));
  return parts;
}

/**
 * Splits a Markdown-like body into chunks by headings, keeping each chunk's heading path.
 * A section is the unit: sections over {@link MAX_WORDS} words are split at paragraphs (then
 * sentences) into ~{@link TARGET_WORDS}-word parts; short sections stay whole, because a precise
 * heading path ("Pricing > Drain cleaning") is a better citation than padding. Empty sections
 * (a heading directly followed by a sub-heading) produce no chunk.
 */
export function chunkDocument(body: string, title: string): ChunkDraft[] {
  const chunks: ChunkDraft[] = [];
  for (const s of sections(body, title)) {
    const text = unwrapLines(stripMarkdown(s.lines.join('\n')));
    if (!text) continue;
    for (const part of splitLong(text)) chunks.push({ headingPath: s.path, text: part, words: wordCount(part) });
  }
  return chunks;
}
