import type { ProviderKind } from './provider-spec.js';

/** Price of a model, in micro-dollars (1 USD = 1,000,000) per 1,000,000 tokens. */
export interface ModelPrice {
  inputPer1M: number;
  outputPer1M: number;
}

/** Model id (or id prefix) → price. Prefixes match dated ids such as `gpt-4.1-mini-2025-04-14`. */
export type PriceTable = Record<string, ModelPrice>;

const usd = (input: number, output: number): ModelPrice => ({ inputPer1M: Math.round(input * 1e6), outputPer1M: Math.round(output * 1e6) });

/**
 * List prices in USD per 1M tokens as published by OpenAI and Anthropic in 2025. Approximate by
 * design: they drive the monthly budget and the ROI page, not invoicing. Override per install with
 * the `prices` option of `createModelClient`.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4.1': usd(2, 8),
  'gpt-4.1-mini': usd(0.4, 1.6),
  'gpt-4.1-nano': usd(0.1, 0.4),
  'gpt-4o': usd(2.5, 10),
  'gpt-4o-mini': usd(0.15, 0.6),
  'gpt-5': usd(1.25, 10),
  'gpt-5-mini': usd(0.25, 2),
  'gpt-5-nano': usd(0.05, 0.4),
  'o4-mini': usd(1.1, 4.4),
  'claude-opus-4-1': usd(15, 75),
  'claude-opus-4-5': usd(5, 25),
  'claude-sonnet-4': usd(3, 15),
  'claude-sonnet-4-5': usd(3, 15),
  'claude-3-7-sonnet': usd(3, 15),
  'claude-haiku-4-5': usd(1, 5),
  'claude-3-5-haiku': usd(0.8, 4),
  'text-embedding-3-small': usd(0.02, 0),
  'text-embedding-3-large': usd(0.13, 0),
  'text-embedding-ada-002': usd(0.1, 0),
};

/** Price for a hosted model missing from the table: deliberately high, so the budget still protects. */
export const UNKNOWN_MODEL_PRICE: ModelPrice = usd(3, 15);
const FREE: ModelPrice = { inputPer1M: 0, outputPer1M: 0 };

/**
 * The price of `model` at `provider`. Local providers (`ollama`, `openai-compatible`) cost 0.
 * Otherwise the exact id, then the longest table key the id starts with (followed by `-`), then
 * {@link UNKNOWN_MODEL_PRICE}.
 */
export function priceFor(provider: ProviderKind, model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice {
  if (provider === 'ollama' || provider === 'openai-compatible') return table[model] ?? FREE;
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (model.startsWith(`${key}-`) && (!best || key.length > best.length)) best = key;
  }
  return best ? table[best]! : UNKNOWN_MODEL_PRICE;
}

/**
 * Cost of one call in micro-dollars, rounded up to a whole micro-dollar.
 * @param inputTokens prompt tokens (count); @param outputTokens completion tokens (count).
 */
export function costMicros(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return Math.ceil((inputTokens * price.inputPer1M + outputTokens * price.outputPer1M) / 1_000_000);
}
