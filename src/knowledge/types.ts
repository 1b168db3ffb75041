/**
 * Public, JSON-able types of the knowledge layer. Everything crossing `src/knowledge/index.ts`
 * is a plain object: strings, numbers, booleans, arrays — no Dates, no class instances.
 */

/** What a knowledge file is about. Drives filtering (e.g. answers never quote `voice`). */
export const KNOWLEDGE_KINDS = ['offer', 'pricing', 'policy', 'voice', 'faq', 'procedure', 'example'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];

/** Document language as written in front matter. */
export type KnowledgeLanguage = 'en' | 'fr';

/** PostgreSQL text search configuration used for a chunk. */
export type SearchConfig = 'english' | 'french';

/** Why a file could not be indexed. The rest of the folder is indexed regardless. */
export interface SyncFailure {
  /** Path relative to the knowledge folder, forward slashes. */
  file: string;
  /** One sentence: what is wrong and, where useful, what to do. */
  reason: string;
}

/**
 * Outcome of one {@link syncKnowledge} pass. Every file on disk lands in exactly one of
 * added / changed / unchanged / moved / failed; `deleted` counts index entries whose file is gone.
 */
export interface SyncStats {
  added: number;
  changed: number;
  unchanged: number;
  /** Same content hash found under a new path: the index entry was moved, not re-parsed. */
  moved: number;
  deleted: number;
  failed: number;
  /** Symbolic links found and not followed (each is also listed in `failures`). */
  skipped: number;
  /** Files whose content was parsed this pass (added + changed + new failures). Unchanged files are never parsed. */
  parsed: number;
  /** Files considered (on disk). */
  files: number;
  /** Bytes hashed this pass. */
  bytes: number;
  /** Wall time of the pass, milliseconds. */
  ms: number;
}

/** Result of {@link syncKnowledge}. */
export interface SyncResult {
  stats: SyncStats;
  /**
   * Files not indexed, with the reason; also links not followed and sidecar problems (a file
   * with a broken sidecar is indexed as internal and its sidecar is listed here).
   */
  failures: SyncFailure[];
  /** Files whose `valid_until` has passed (a `knowledge_expired` signal exists for each). */
  expired: { file: string; validUntil: string }[];
}

/** One search hit. */
export interface SearchHit {
  chunkId: string;
  /** Path relative to the knowledge folder. */
  file: string;
  /** Headings from the document title down to the chunk, joined with " > ". */
  headingPath: string;
  kind: KnowledgeKind;
  /** Up to ~300 characters of the chunk around the query terms. */
  excerpt: string;
  /** ts_rank_cd score (cover density, length-normalised); higher is better; only comparable within one query. */
  score: number;
  language: SearchConfig;
}

/** A citation attached to an answer. */
export interface Citation {
  file: string;
  headingPath: string;
  excerpt: string;
  /** The web page the file was fetched from (website knowledge), else null. */
  url: string | null;
}

/** Structured fact types extracted from front matter `facts:`, CSV price lists and Markdown tables. */
export type FactType = 'price' | 'service_area' | 'hours' | 'booking_link' | 'payment_terms' | 'phone' | 'email' | 'other';

/** A structured fact. Money is integer cents with an ISO currency. */
export interface KnowledgeFact {
  id: string;
  type: FactType;
  /** Stable key within its type, e.g. `drain cleaning` for a price or `sat` for hours. */
  key: string;
  /** Human-readable value, e.g. `$149.00 CAD per visit`. */
  value: string;
  service: string | null;
  amountCents: number | null;
  currency: string | null;
  unit: string | null;
  /** Source file, relative to the knowledge folder. */
  file: string;
  /** Last day (inclusive, `YYYY-MM-DD`, tenant's time zone) the fact holds; null = no end. */
  validUntil: string | null;
}

/** A question the knowledge could not answer. */
export interface KnowledgeGap {
  id: string;
  question: string;
  normalized: string;
  language: KnowledgeLanguage;
  status: 'open' | 'answered';
  /** How many times this (or a similar) question was asked. */
  occurrences: number;
  /** ISO 8601 timestamps. */
  createdAt: string;
  lastAskedAt: string;
  answeredAt: string | null;
  /** FAQ file written by {@link answerGap}, relative to the knowledge folder. */
  answerFile: string | null;
}
