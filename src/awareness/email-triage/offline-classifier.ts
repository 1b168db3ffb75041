import createNbc from 'wink-naive-bayes-text-classifier';
import { triageTokens, senderDomain, type TriageEmail } from './features.js';
import { isTriageCategory, type TriageCategory } from './categories.js';

/** One decision of the offline classifier. */
export interface OfflineDecision {
  category: TriageCategory;
  /** 0..1: the logistic of the winning label's log-odds against the rest. */
  confidence: number;
  /** Human-readable: the rule that fired, or the words that weighed most for the category. */
  reason: string;
  /** `rule` when an owner's sender rule decided, else `bayes`. */
  by: 'rule' | 'bayes';
}

/** Tuning for {@link TriageClassifier}. */
export interface TriageClassifierOptions {
  /** Additive smoothing (default 0.5). */
  smoothing?: number;
  /** Count each token once per mail (default true: better on long, repetitive bulk mail). */
  presenceOnly?: boolean;
  /** How many times an owner's correction is learnt (default 3): one relabel outweighs a seed example. */
  correctionWeight?: number;
}

const readableToken = (t: string): string =>
  t.startsWith('s:') ? `subject "${t.slice(2)}"` : t.startsWith('d:') ? `sender domain ${t.slice(2)}` : t.startsWith('h:') ? `header ${t.slice(2)}` : t.startsWith('url:') ? `link to ${t.slice(4)}` : t.startsWith('l:') ? `sender "${t.slice(2)}@"` : t.startsWith('tld:') ? `.${t.slice(4)} sender` : `"${t}"`;

/**
 * The offline inbox classifier: wink-naive-bayes-text-classifier 2.2.1 (multinomial naive Bayes
 * with additive smoothing, label-vs-rest log-odds) over {@link triageTokens}, plus the owner's
 * sender rules (the latest relabel of mail from an exact address decides for that address).
 * Learns incrementally: examples are queued and folded in before the next prediction (wink
 * freezes after `consolidate`, so new examples re-open it through its own export/import — one
 * round trip per batch, not per example). Not safe for concurrent use across tenants: keep one
 * instance per tenant.
 */
export class TriageClassifier {
  readonly #nbc = createNbc();
  readonly #opts: Required<TriageClassifierOptions>;
  readonly #senderRules = new Map<string, TriageCategory>();
  #pending: Array<[string[], TriageCategory]> = [];
  #consolidated = false;
  #examples = 0;
  /** Token counts per label (for reasons), refreshed when the model is consolidated. */
  #counts: Record<string, Record<string, number>> = {};
  #words: Record<string, number> = {};
  #voc = 0;

  constructor(opts: TriageClassifierOptions = {}) {
    this.#opts = { smoothing: 0.5, presenceOnly: true, correctionWeight: 3, ...opts };
    this.#nbc.defineConfig({ considerOnlyPresence: this.#opts.presenceOnly, smoothingFactor: this.#opts.smoothing });
  }

  /** Examples learnt so far (corrections count once each). */
  get size(): number {
    return this.#examples + this.#pending.length;
  }

  /** Learns one labelled mail (seed or backfill example). */
  learn(email: TriageEmail, category: TriageCategory): void {
    this.#pending.push([triageTokens(email), category]);
  }

  /**
   * Learns an owner's relabel: the mail, weighted {@link TriageClassifierOptions.correctionWeight}
   * times, and a sender rule for its exact address (the latest correction for an address wins).
   */
  correct(email: TriageEmail, category: TriageCategory): void {
    const tokens = triageTokens(email);
    for (let i = 0; i < this.#opts.correctionWeight; i++) this.#pending.push([tokens, category]);
    if (email.from) this.#senderRules.set(email.from.toLowerCase(), category);
  }

  #flush(): void {
    if (this.#pending.length === 0 && this.#consolidated) return;
    if (this.#consolidated) this.#nbc.importJSON(this.#nbc.exportJSON());
    for (const [tokens, label] of this.#pending) this.#nbc.learn(tokens, label);
    this.#examples += this.#pending.length;
    this.#pending = [];
    this.#nbc.consolidate();
    this.#consolidated = true;
    const [, , count, words, voc] = JSON.parse(this.#nbc.exportJSON()) as [unknown, unknown, Record<string, Record<string, number>>, Record<string, number>, string[]];
    this.#counts = count;
    this.#words = words;
    this.#voc = voc.length;
  }

  /**
   * Classifies a mail. Throws only when nothing has been learnt for two labels yet (the seed set
   * always provides all eight).
   */
  classify(email: TriageEmail): OfflineDecision {
    const rule = email.from ? this.#senderRules.get(email.from.toLowerCase()) : undefined;
    this.#flush();
    if (rule) return { category: rule, confidence: 1, reason: `rule: the owner filed mail from ${email.from} as ${rule}`, by: 'rule' };
    const tokens = triageTokens(email);
    const odds = this.#nbc.computeOdds(tokens);
    const [label, logOdds] = odds[0]!;
    if (!isTriageCategory(label)) return { category: 'customer_request', confidence: 0, reason: 'no known words: filed as a customer request for the owner to check', by: 'bayes' };
    const confidence = 1 / (1 + 2 ** -logOdds);
    return { category: label, confidence, reason: `words: ${this.#topTokens(tokens, label).map(readableToken).join(', ')}`, by: 'bayes' };
  }

  /** The (at most 5) tokens of the mail with the highest log-likelihood ratio for `label` against the rest. */
  #topTokens(tokens: string[], label: string): string[] {
    const s = this.#opts.smoothing;
    const mine = this.#counts[label] ?? {};
    const myWords = this.#words[label] ?? 0;
    let otherWords = 0;
    for (const [l, n] of Object.entries(this.#words)) if (l !== label) otherWords += n;
    const scored = new Map<string, number>();
    for (const t of new Set(tokens)) {
      const c = mine[t] ?? 0;
      if (c === 0) continue;
      let other = 0;
      for (const [l, m] of Object.entries(this.#counts)) if (l !== label) other += m[t] ?? 0;
      const llr = Math.log2((c + s) / (myWords + this.#voc * s)) - Math.log2((other + s) / (otherWords + this.#voc * s));
      if (llr > 0) scored.set(t, llr);
    }
    return [...scored.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t]) => t);
  }
}

export { senderDomain };
