/**
 * The knowledge layer's boundary: what the CLI, HTTP API, MCP server and playbooks call.
 *
 * Every function takes the database and a tenant id and returns plain JSON-able objects
 * (strings, numbers, booleans, arrays; times as ISO 8601 strings, dates as `YYYY-MM-DD`, money as
 * integer cents with an ISO currency). Options may carry callbacks (progress, model, embeddings)
 * and a `now` Date for expiry (injectable clock); nothing else needs to cross the boundary.
 *
 * | function | does |
 * |---|---|
 * | {@link syncKnowledge} | index the tenant's `knowledge/` folder (incremental, by content hash) |
 * | {@link watchKnowledge} | keep the index in step with the folder (debounced) |
 * | {@link searchKnowledge} | keyword search with heading paths and excerpts |
 * | {@link hybridSearch} | keyword + vector search fused with RRF, when an embedding model exists |
 * | {@link answerQuestion} | grounded answer with citations, or `unknown` and a gap for the owner |
 * | {@link listGaps} / {@link answerGap} | the owner's questions; answering writes a FAQ file |
 * | {@link getFacts} | current structured facts: prices, hours, area, booking link, payment terms |
 * | {@link checkGroundedness} | are a draft's prices and promises backed by the knowledge? |
 */
export { syncKnowledge, DEFAULT_MAX_BYTES, type SyncOptions } from './sync.js';
export { watchKnowledge, type WatchOptions } from './watch.js';
export { searchKnowledge, type SearchOptions } from './search.js';
export { hybridSearch, embedChunks, RRF_K, type EmbedFn } from './hybrid.js';
export { answerQuestion, DEFAULT_THRESHOLD, type Answer, type AnswerOptions, type GenerateFn } from './answer.js';
export { listGaps, answerGap, recordGap, KNOWLEDGE_GAP, GAP_SIMILARITY } from './gaps.js';
export { getFacts } from './facts.js';
export { checkGroundedness, type Groundedness } from './groundedness.js';
export { KNOWLEDGE_EXPIRED } from './expiry.js';
export { refreshTermStats } from './term-stats.js';
export {
  KNOWLEDGE_KINDS,
  type KnowledgeKind,
  type KnowledgeLanguage,
  type SearchConfig,
  type SearchHit,
  type Citation,
  type SyncResult,
  type SyncStats,
  type SyncFailure,
  type KnowledgeFact,
  type FactType,
  type KnowledgeGap,
} from './types.js';
