import { classifyText } from './classify.js';
import type { ReadPage } from './types.js';

/** Types that are one page each: consecutive pages of these are separate documents. */
export const ONE_PAGE_TYPES = new Set(['pay_stub', 'check', 'government_id', 'w2', 't4']);

/** A run of pages of one file that form one document, with the type its pages suggested. */
export interface PageGroup {
  type: string;
  pages: ReadPage[];
}

/**
 * Splits a file's pages into documents. Each page is classified on its own; a page starts a new
 * document when its type is known and differs from the current one, or when the type is one page
 * long (two pay stubs scanned together are two documents). Unknown pages continue the document
 * before them (a form's later pages often carry no title). Unknown pages at the start join the
 * document after them when they hint at its type (a form's cover sheet), else form an unknown
 * document.
 */
export function splitPages(pages: readonly ReadPage[]): PageGroup[] {
  const groups: PageGroup[] = [];
  const hints: Array<string | null> = [];
  for (const page of pages) {
    const { type, hint } = classifyText(page.text);
    if (groups.length === 0 || (groups.length === 1 && groups[0]!.type === 'unknown')) hints.push(hint);
    const current = groups.at(-1);
    const continues = current && (type === 'unknown' || (type === current.type && !ONE_PAGE_TYPES.has(type)));
    if (current && continues) {
      current.pages.push(page);
      if (current.type === 'unknown') current.type = type;
    } else groups.push({ type, pages: [page] });
  }
  const [first, second] = groups;
  if (first && second && first.type === 'unknown' && hints.slice(0, first.pages.length).every((h) => h === second.type)) {
    second.pages.unshift(...first.pages);
    groups.shift();
  }
  return groups;
}
