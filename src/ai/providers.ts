import type { EmbeddingModel, LanguageModel } from 'ai';
import type * as OpenAi from '@ai-sdk/openai';
import type * as Anthropic from '@ai-sdk/anthropic';
import type * as OpenAiCompatible from '@ai-sdk/openai-compatible';
import type { ModelSpec } from './provider-spec.js';
import { lazyModule } from '../core/lazy-module.js';

// Loaded when a model of that provider is configured (the offline default loads none); CommonJS
// builds, like the SDK itself (`ai-sdk.ts`).
const openAi = lazyModule<typeof OpenAi>('@ai-sdk/openai');
const anthropic = lazyModule<typeof Anthropic>('@ai-sdk/anthropic');
const openAiCompatible = lazyModule<typeof OpenAiCompatible>('@ai-sdk/openai-compatible');

/**
 * Placeholder key for a custom base URL without a configured key (a local proxy or the test stub):
 * the SDK providers refuse to start without one.
 */
const NO_KEY = 'not-set';

/**
 * The AI SDK chat model for a spec. OpenAI goes through chat completions (`openai.chat`), not the
 * responses API, so that any OpenAI-compatible base URL works; Ollama and other compatible servers
 * get `supportsStructuredOutputs` so JSON-schema output is requested natively.
 */
export function languageModelFor(spec: ModelSpec): LanguageModel {
  const apiKey = spec.apiKey ?? NO_KEY;
  const baseURL = spec.baseURL ?? undefined;
  switch (spec.provider) {
    case 'openai':
      return openAi().createOpenAI({ apiKey, baseURL }).chat(spec.model);
    case 'anthropic':
      return anthropic().createAnthropic({ apiKey, baseURL })(spec.model);
    case 'ollama':
    case 'openai-compatible':
      return compatible(spec).chatModel(spec.model);
  }
}

/** The AI SDK embedding model for a spec (Anthropic has none; the spec parser refuses it). */
export function embeddingModelFor(spec: ModelSpec): EmbeddingModel {
  switch (spec.provider) {
    case 'openai':
      return openAi().createOpenAI({ apiKey: spec.apiKey ?? NO_KEY, baseURL: spec.baseURL ?? undefined }).embeddingModel(spec.model);
    case 'ollama':
    case 'openai-compatible':
      return compatible(spec).embeddingModel(spec.model);
    case 'anthropic':
      throw new Error('Anthropic has no embedding models');
  }
}

/** Provider options shared by all calls: JSON-schema strictness for OpenAI and compatible servers. */
export function providerOptionsFor(strict: boolean): Record<string, Record<string, boolean>> {
  return { openai: { strictJsonSchema: strict }, openaiCompatible: { strictJsonSchema: strict } };
}

function compatible(spec: ModelSpec) {
  return openAiCompatible().createOpenAICompatible({
    name: spec.provider === 'ollama' ? 'ollama' : 'openaiCompatible',
    baseURL: spec.baseURL!,
    apiKey: spec.apiKey ?? undefined,
    supportsStructuredOutputs: true,
  });
}
