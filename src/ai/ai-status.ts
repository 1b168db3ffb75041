/**
 * The one line `aios start` prints about AI: off (and how to turn it on) or which model and budget.
 */
import { readBudgetMicros, readModelSpecs } from './provider-spec.js';

/** How to turn AI on, as printed when it is off. */
export const AI_ON_HINT = 'set AIOS_LLM=openai:gpt-4.1-mini and OPENAI_API_KEY to turn it on';

/**
 * @param env the environment AIOS started with (`AIOS_LLM`, `AIOS_EMBEDDINGS`, `AIOS_AI_BUDGET_MICROS`).
 * @returns e.g. `AI: off (offline templates and extractive answers; set AIOS_LLM=… to turn it on)`
 *   or `AI: openai:gpt-4.1-mini, embeddings openai:text-embedding-3-small (budget $20.00/month per business)`.
 * @throws ConfigError on invalid settings (start-up has already refused those).
 */
export function aiStatusLine(env: NodeJS.ProcessEnv = process.env): string {
  const { llm, embeddings } = readModelSpecs(env);
  const emb = embeddings ? `, embeddings ${embeddings.label}` : '';
  if (!llm) return `AI: off (offline templates and extractive answers${emb}; ${AI_ON_HINT})`;
  const budget = (readBudgetMicros(env) / 1_000_000).toFixed(2);
  return `AI: ${llm.label}${emb} (budget $${budget}/month per business, AIOS_AI_BUDGET_MICROS)`;
}
