import { findMoney } from '../../knowledge/money.js';
import type { KnowledgeFact } from '../../knowledge/types.js';
import type { ProposalLineItem } from './tables.js';

/** A price fact a proposal may use (a `knowledge_facts` row of type `price` with an amount). */
export interface CatalogueItem {
  factId: string;
  service: string;
  amountCents: number;
  currency: string;
  unit: string | null;
  file: string;
}

/** What the request asks for, split into priced lines and items with no price in knowledge. */
export interface LineItemPick {
  items: ProposalLineItem[];
  /** Requested things with no price fact: "to be quoted by the owner", never priced by guess. */
  unpriced: string[];
}

/** The price facts usable in a proposal (those with an amount in cents), in catalogue order. */
export function catalogueOf(facts: readonly KnowledgeFact[], defaultCurrency: string): CatalogueItem[] {
  return facts
    .filter((f) => f.type === 'price' && f.amountCents !== null && f.amountCents >= 0 && (f.service ?? f.key))
    .map((f) => ({ factId: f.id, service: f.service ?? f.key, amountCents: f.amountCents!, currency: (f.currency ?? defaultCurrency).toUpperCase(), unit: f.unit, file: f.file }));
}

const STOP = new Set(['the', 'and', 'for', 'with', 'one', 'our', 'your', 'per', 'from', 'new', 'old', 'a', 'an', 'of', 'to', 'in', 'on', 'de', 'la', 'le', 'les', 'des', 'du', 'et', 'un', 'une', 'gal']);
/** Words that mark a line as asking for something (a service to quote). */
const ASKS = /\b(quote|quotes|quoted|price|prices|pricing|cost|estimate|need|needs|needed|want|wants|would like|install|installation|replace|replacement|repair|fix|also|add|include|devis|prix|besoin|installer|remplacer|réparer)\b/i;

/** Lower-case word stems of a text (plural `s` dropped, stop words out). */
function stems(text: string): string[] {
  return (text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').match(/[a-z0-9]+/g) ?? [])
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
}

/** A crude English stem, the same for "replace", "replacing", "replacement", "replaced". */
function stem(w: string): string {
  if (w.length <= 4 || /^\d+$/.test(w)) return w.length > 3 && w.endsWith('s') && !/^\d+$/.test(w) ? w.slice(0, -1) : w;
  let s = w;
  for (const suffix of ['ments', 'ment', 'ations', 'ation', 'ings', 'ing', 'ed', 'es', 's']) {
    if (s.endsWith(suffix) && s.length - suffix.length >= 3) {
      s = s.slice(0, -suffix.length);
      break;
    }
  }
  return s.length > 3 && s.endsWith('e') ? s.slice(0, -1) : s;
}

/** The requested phrases of a text: lines, sentences, list items and "x, y and z" parts. */
export function requestedPhrases(text: string): string[] {
  return text
    .split(/\r?\n|[.;!?](?:\s|$)|,|\s+(?:and|plus|et)\s+/i)
    .map((p) => p.replace(/^[\s*•\-–\d.)]+/, '').trim())
    .filter((p) => p.length >= 3);
}

/** How well a phrase names a catalogue service: the share of the service's stems found in it (0..1). */
function matchScore(phrase: Set<string>, service: string): number {
  const s = [...new Set(stems(service.replace(/\(.*?\)/g, ' ')))];
  if (s.length === 0) return 0;
  return s.filter((w) => phrase.has(w)).length / s.length;
}

/** Minimum share of a service name's words a phrase must contain to count as asking for it. */
export const MATCH_THRESHOLD = 0.75;

/**
 * Offline: matches what the request asks for to price facts by word search. Each phrase takes the
 * best catalogue item naming it (at least {@link MATCH_THRESHOLD} of the item's words, ties to the
 * longer name); a phrase that asks for something (quote, install, replace…) with no match is
 * listed as unpriced. Each fact appears once; the quantity is 1 unless the phrase counts it ("2 faucets").
 */
export function matchLineItems(requestText: string, catalogue: readonly CatalogueItem[]): LineItemPick {
  const chosen = new Map<string, { item: CatalogueItem; quantity: number }>();
  const unpriced: string[] = [];
  for (const phrase of requestedPhrases(requestText)) {
    const words = new Set(stems(phrase));
    let best: { item: CatalogueItem; score: number; len: number } | null = null;
    for (const item of catalogue) {
      const score = matchScore(words, item.service);
      const len = stems(item.service).length;
      if (score >= MATCH_THRESHOLD && (!best || score > best.score || (score === best.score && len > best.len))) best = { item, score, len };
    }
    if (best) chosen.set(best.item.factId, { item: best.item, quantity: Math.max(chosen.get(best.item.factId)?.quantity ?? 1, quantityIn(phrase, best.item.service)) });
    else if (ASKS.test(phrase)) unpriced.push(cleanItemText(phrase));
  }
  return { items: [...chosen.values()].map((c) => lineItem(c.item, c.quantity)), unpriced: dedupe(unpriced.filter(Boolean)) };
}

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, deux: 2, trois: 3, quatre: 4, cinq: 5 };
/** Most of one item a phrase may ask for (count). */
export const MAX_QUANTITY = 10;

/**
 * The count a phrase asks for ("2 faucets", "three drains"): a number 2..{@link MAX_QUANTITY}
 * right before a word of the service's name, and not itself part of the name (a "40 gal" tank is
 * one tank). 1 otherwise.
 */
function quantityIn(phrase: string, service: string): number {
  const names = new Set(stems(service.replace(/\(.*?\)/g, ' ')));
  const words = phrase.toLowerCase().match(/[a-zà-ÿ0-9]+/g) ?? [];
  for (let i = 0; i + 1 < words.length; i++) {
    const w = words[i]!;
    const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS[w];
    if (n === undefined || names.has(w) || n < 2 || n > MAX_QUANTITY) continue;
    const next = stems(words.slice(i + 1, i + 3).join(' '));
    if (next.some((x) => names.has(x))) return n;
  }
  return 1;
}

/**
 * Model path: turns the model's pick (catalogue ids) into line items. Ids not in the catalogue are
 * dropped and reported; prices always come from the catalogue, never from the model.
 */
export function lineItemsFromIds(ids: readonly string[], unpriced: readonly string[], catalogue: readonly CatalogueItem[]): LineItemPick & { unknownIds: string[] } {
  const byId = new Map(catalogue.map((c) => [c.factId, c]));
  const items: ProposalLineItem[] = [];
  const unknownIds: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const c = byId.get(id);
    if (!c) unknownIds.push(id);
    else if (!seen.has(id)) {
      seen.add(id);
      items.push(lineItem(c, 1));
    }
  }
  return { items, unpriced: dedupe(unpriced.map(cleanItemText).filter(Boolean)), unknownIds };
}

/** One line item from a catalogue entry. */
export function lineItem(c: CatalogueItem, quantity: number): ProposalLineItem {
  return { description: c.service, quantity, unitCents: c.amountCents, totalCents: c.amountCents * quantity, currency: c.currency, unit: c.unit, factId: c.factId, file: c.file };
}

/**
 * Outside wording shown as an unpriced item: no amounts (an amount the customer wrote is not a
 * price of ours), no links or numbers, one line of at most 80 characters.
 */
export function cleanItemText(text: string): string {
  let t = text.replace(/\s+/g, ' ');
  for (const m of findMoney(t).reverse()) t = t.slice(0, m.index) + t.slice(m.index + m.text.length);
  t = t.replace(/\b(?:https?:\/\/|www\.)\S+/gi, '').replace(/[+\d][\d\s().-]{6,}\d/g, '').replace(/[<>`*_|#[\]]/g, '').replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 79).trimEnd()}…` : t;
}

function dedupe(xs: string[]): string[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
