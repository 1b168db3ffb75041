import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { conceptHits } from './excerpt.js';
import { getFacts } from './facts.js';
import { findMoney, formatCents } from './money.js';
import { prepareQuery } from './query.js';
import { searchChunks } from './search.js';
import { fold, splitSentences } from './text.js';

/** Result of {@link checkGroundedness}. */
export interface Groundedness {
  /** True when every price and policy-like claim in the draft is backed by the knowledge. */
  grounded: boolean;
  unsupported: { claim: string; reason: string }[];
}

/** Policy-like words, each with the words that back it in the knowledge (English and French, folded). */
const POLICY_TERMS: { re: RegExp; backing: string[] }[] = [
  { re: /\b(guarantee[sd]?|warrant(y|ies|ied)|garanti(e|es)?)\b/i, backing: ['guarantee', 'warranty', 'warranted', 'garantie', 'garanti'] },
  { re: /\b(refunds?|refunded|money[- ]back|rembours\w*)\b/i, backing: ['refund', 'money back', 'rembours'] },
  // "free" of availability ("nothing free then", "no free time", "are you free tomorrow?") promises nothing.
  { re: /\b((?<!\b(?:nothing|anything|something)\s)free(?!\s+(?:times?|slots?|spots?|then|now|today|tonight|tomorrow|this|next|on|at|in|from|until|after|before|between)\b)|gratuit\w*|no charge|at no cost|sans frais)\b/i, backing: ['free', 'no charge', 'at no cost', 'gratuit', 'sans frais', 'waived'] },
  { re: /\b(discounts?|rebates?|rabais|r[ée]ductions?|escomptes?|\d+\s?% off)\b/i, backing: ['discount', 'off', 'rebate', 'rabais', 'reduction'] },
  { re: /\b(within|dans les|en moins de)\s+\d+/i, backing: [] },
];

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', twelve: '12', thirty: '30',
  un: '1', une: '1', deux: '2', trois: '3', quatre: '4', cinq: '5', dix: '10', douze: '12', trente: '30',
};
const UNIT = /^(hours?|hrs?|days?|weeks?|months?|years?|yrs?|minutes?|mins?|heures?|h|jours?|semaines?|mois|ans?|annees?)$/;

function unitKey(u: string): string {
  const x = fold(u.toLowerCase());
  if (/^(hours?|hrs?|heures?|h)$/.test(x)) return 'hour';
  if (/^(days?|jours?)$/.test(x)) return 'day';
  if (/^(weeks?|semaines?)$/.test(x)) return 'week';
  if (/^(months?|mois)$/.test(x)) return 'month';
  if (/^(years?|yrs?|ans?|annees?)$/.test(x)) return 'year';
  return 'minute';
}

/** Quantities with a unit ("2-year", "within 24 hours", "30 jours") and percentages, normalised. */
function quantities(text: string): string[] {
  const t = fold(text.toLowerCase()).replace(/\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|un|une|deux|trois|quatre|cinq|dix|douze|trente)\b/g, (w) => NUMBER_WORDS[w] ?? w);
  const out = new Set<string>();
  for (const m of t.matchAll(/(\d+(?:[.,]\d+)?)\s?(?:%|percent\b|pour ?cent\b)/g)) out.add(`${m[1]!.replace(',', '.')}%`);
  for (const m of t.matchAll(/(\d+)(?:\s|-)?([a-z]+)/g)) if (UNIT.test(m[2]!)) out.add(`${m[1]} ${unitKey(m[2]!)}`);
  return [...out];
}

function hasTerm(foldedText: string, term: string): boolean {
  return new RegExp(`\\b${term.replace(/ /g, '\\s+')}`, 'i').test(foldedText);
}

/** Every amount (cents) the tenant's current knowledge states: facts plus money written in chunks. */
async function knownAmounts(db: Db, tenantId: string, now: Date, cents: number[]): Promise<Set<number>> {
  const known = new Set<number>();
  for (const f of await getFacts(db, tenantId, now, { type: 'price' })) if (f.amountCents !== null) known.add(f.amountCents);
  const needles = [...new Set(cents.map((c) => String(Math.floor(c / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '_')))];
  if (needles.length === 0) return known;
  const patterns = needles.map((n) => `%${n.replace(/_/g, '%')}%`);
  const rows = await sql<{ body: string }>`
    select c.body from knowledge_chunks c
     where c.tenant_id = ${tenantId} and c.body like any(${patterns}::text[])
       and (c.valid_until is null or c.valid_until >= (select (${now.toISOString()}::timestamptz at time zone t.time_zone)::date from tenants t where t.id = ${tenantId}))`.execute(db);
  for (const r of rows.rows) for (const m of findMoney(r.body)) known.add(m.cents);
  return known;
}

/**
 * Checks a draft reply against the knowledge before it goes out. Every price ("$149",
 * "149 dollars", "149 $", "1 895,00 $") must equal a current price fact or an amount written in a
 * current knowledge chunk; every sentence with a policy-like claim (guarantee, warranty, refund,
 * free, discount, a percentage, "within N hours") must be backed by a current chunk that uses the
 * same kind of word, states the same quantities (2 years, 24 hours, 10%) and covers at least half
 * of the sentence's concepts. Expired knowledge backs nothing. The check is lexical: it catches
 * invented numbers and promises, not subtle misstatements.
 * @returns `grounded: false` with one `{claim, reason}` per unsupported price or sentence
 */
export async function checkGroundedness(db: Db, tenantId: string, draftText: string, opts: { now?: Date } = {}): Promise<Groundedness> {
  const now = opts.now ?? new Date();
  const unsupported: { claim: string; reason: string }[] = [];
  const money = findMoney(draftText);
  if (money.length) {
    const known = await knownAmounts(db, tenantId, now, money.map((m) => m.cents));
    for (const m of money) {
      if (!known.has(m.cents)) unsupported.push({ claim: m.text, reason: `price ${formatCents(m.cents)} is not in the price list or any current knowledge file` });
    }
  }
  for (const sentence of splitSentences(draftText)) {
    const terms = POLICY_TERMS.filter((p) => p.re.test(sentence));
    const qty = quantities(sentence);
    const isPolicy = terms.length > 0 || qty.some((q) => q.endsWith('%'));
    if (!isPolicy) continue;
    const pq = prepareQuery(sentence);
    const hits = pq.concepts.length ? await searchChunks(db, tenantId, pq, { limit: 5, now }) : [];
    let reason = hits.length ? '' : 'no knowledge file talks about this';
    // Backing must come from one sentence of a current chunk: the same kind of promise, the same
    // quantities, and at least half of the claim's concepts.
    const backed = hits.some((h) => {
      let bestReason = '';
      for (const s of splitSentences(h.body)) {
        const body = fold(`${h.heading_path}. ${s}`.toLowerCase());
        const missingTerm = terms.find((t) => t.backing.length > 0 && !t.backing.some((b) => hasTerm(body, b)));
        const known = quantities(s);
        const missingQty = qty.find((q) => !known.includes(q));
        const coverage = pq.concepts.filter((alts) => conceptHits(body, [alts])).length / pq.concepts.length;
        if (!missingTerm && !missingQty && coverage >= 0.5) return true;
        if (!bestReason && coverage >= 0.5) {
          bestReason = missingQty ? `"${missingQty}" is not stated in the knowledge (closest: ${h.file})` : `the knowledge does not promise this (closest: ${h.file})`;
        }
      }
      if (!reason) reason = bestReason;
      return false;
    });
    if (!reason) reason = 'too little of this claim is found in the knowledge';
    if (!backed) unsupported.push({ claim: sentence, reason });
  }
  return { grounded: unsupported.length === 0, unsupported };
}
