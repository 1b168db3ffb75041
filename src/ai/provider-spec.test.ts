import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { DEFAULT_BUDGET_MICROS, OLLAMA_DEFAULT_URL, parseModelSpec, readBudgetMicros, readModelSpecs } from './provider-spec.js';
import { costMicros, priceFor, UNKNOWN_MODEL_PRICE } from './prices.js';

const llm = (value: string | undefined, env: NodeJS.ProcessEnv = {}) => parseModelSpec(value, { source: 'AIOS_LLM', kind: 'language', env });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseModelSpec', () => {
  it('reads the hosted providers with their keys', () => {
    expect(llm('openai:gpt-4.1-mini', { OPENAI_API_KEY: 'sk-1' })).toMatchObject({
      provider: 'openai', model: 'gpt-4.1-mini', baseURL: null, apiKey: 'sk-1', apiKeyEnv: 'OPENAI_API_KEY', label: 'openai:gpt-4.1-mini',
    });
    expect(llm('anthropic:claude-sonnet-4-5', { ANTHROPIC_API_KEY: 'a-1', OPENAI_API_KEY: 'sk-1' })).toMatchObject({
      provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'a-1',
    });
    // AIOS_LLM_API_KEY wins over the provider's own variable.
    expect(llm('openai:gpt-4.1', { OPENAI_API_KEY: 'sk-1', AIOS_LLM_API_KEY: 'sk-2' })?.apiKey).toBe('sk-2');
  });

  it('reads local and custom base URLs, with model ids containing ":" and "/"', () => {
    expect(llm('ollama:llama3.1@http://127.0.0.1:11434/v1')).toMatchObject({ provider: 'ollama', model: 'llama3.1', baseURL: 'http://127.0.0.1:11434/v1', apiKey: null });
    expect(llm('ollama:llama3.1:8b')).toMatchObject({ model: 'llama3.1:8b', baseURL: OLLAMA_DEFAULT_URL });
    expect(llm('openai-compatible:meta-llama/Llama-3.1-8B-Instruct@http://gpu:8000/v1/')).toMatchObject({
      provider: 'openai-compatible', model: 'meta-llama/Llama-3.1-8B-Instruct', baseURL: 'http://gpu:8000/v1',
    });
    // A custom base URL needs no key (the test stub, a local proxy).
    expect(llm('openai:gpt-4.1-mini@http://127.0.0.1:9999/v1')).toMatchObject({ provider: 'openai', baseURL: 'http://127.0.0.1:9999/v1', apiKey: null });
  });

  it('treats unset, empty and "off" as offline mode', () => {
    expect(llm(undefined)).toBeNull();
    expect(llm('  ')).toBeNull();
    expect(llm('offline')).toBeNull();
    expect(readModelSpecs({})).toEqual({ llm: null, embeddings: null });
  });

  it('rejects invalid settings naming the variable, the problem and an example', () => {
    const cases: [string, RegExp][] = [
      ['gpt-4.1-mini', /expected <provider>:<model>/],
      ['azure:gpt-4', /unknown provider "azure"/],
      ['openai:', /model name is missing/],
      ['openai:gpt 4', /white space/],
      ['openai-compatible:qwen2.5', /needs a base URL/],
      ['ollama:llama3@localhost:11434', /must be an http/],
      ['ollama:llama3@http://', /not a valid http\(s\) URL/],
    ];
    for (const [value, problem] of cases) {
      const err = configError(() => llm(value, { OPENAI_API_KEY: 'k' }));
      expect(err.field).toBe('AIOS_LLM');
      expect(err.message).toMatch(problem);
      expect(err.message).toContain(`"${value}"`);
      expect(err.fix).toMatch(/openai:gpt-4\.1-mini/);
    }
  });

  it('requires the API key of a hosted provider', () => {
    const err = configError(() => llm('anthropic:claude-sonnet-4-5'));
    expect(err.field).toBe('ANTHROPIC_API_KEY');
    expect(err.message).toMatch(/AIOS_LLM uses anthropic/);
  });

  it('reads embedding specs and refuses Anthropic embeddings', () => {
    const specs = readModelSpecs({ AIOS_EMBEDDINGS: 'openai:text-embedding-3-small', AIOS_EMBEDDINGS_API_KEY: 'e-1' });
    expect(specs.embeddings).toMatchObject({ kind: 'embedding', model: 'text-embedding-3-small', apiKey: 'e-1', source: 'AIOS_EMBEDDINGS' });
    const err = configError(() => readModelSpecs({ AIOS_EMBEDDINGS: 'anthropic:claude-sonnet-4-5', ANTHROPIC_API_KEY: 'a' }));
    expect(err.field).toBe('AIOS_EMBEDDINGS');
    expect(err.message).toMatch(/no embedding models/);
  });
});

describe('budget and prices', () => {
  it('reads AIOS_AI_BUDGET_MICROS', () => {
    expect(readBudgetMicros({})).toBe(DEFAULT_BUDGET_MICROS);
    expect(readBudgetMicros({ AIOS_AI_BUDGET_MICROS: '5_000_000' })).toBe(5_000_000);
    expect(readBudgetMicros({ AIOS_AI_BUDGET_MICROS: '0' })).toBe(0);
    expect(configError(() => readBudgetMicros({ AIOS_AI_BUDGET_MICROS: '$20' })).field).toBe('AIOS_AI_BUDGET_MICROS');
  });

  it('prices hosted models by id or dated id, and local models at zero', () => {
    expect(priceFor('openai', 'gpt-4.1-mini')).toEqual({ inputPer1M: 400_000, outputPer1M: 1_600_000 });
    expect(priceFor('openai', 'gpt-4.1-mini-2025-04-14')).toEqual(priceFor('openai', 'gpt-4.1-mini'));
    expect(priceFor('anthropic', 'claude-sonnet-4-5-20250929').inputPer1M).toBe(3_000_000);
    expect(priceFor('openai', 'some-new-model')).toEqual(UNKNOWN_MODEL_PRICE);
    expect(priceFor('ollama', 'llama3.1')).toEqual({ inputPer1M: 0, outputPer1M: 0 });
    // 1,000 input + 500 output tokens of gpt-4.1-mini = 400 + 800 micro-dollars.
    expect(costMicros(priceFor('openai', 'gpt-4.1-mini'), 1000, 500)).toBe(1200);
    expect(costMicros(priceFor('openai', 'gpt-4.1-mini'), 1, 0)).toBe(1);
  });
});
