import { ConfigError } from '../core/errors.js';

/** Model providers AIOS can talk to. `ollama` and `openai-compatible` use the OpenAI wire format. */
export type ProviderKind = 'openai' | 'anthropic' | 'ollama' | 'openai-compatible';

/** What kind of model a spec names: a chat model (`AIOS_LLM`) or an embedding model (`AIOS_EMBEDDINGS`). */
export type ModelKind = 'language' | 'embedding';

/** A parsed model setting such as `openai:gpt-4.1-mini` or `ollama:llama3.1:8b@http://127.0.0.1:11434/v1`. */
export interface ModelSpec {
  provider: ProviderKind;
  /** The provider's model id, e.g. `gpt-4.1-mini`, `llama3.1:8b`. */
  model: string;
  /** API base URL including the version path (`…/v1`), or null for the provider's public default. */
  baseURL: string | null;
  /** The API key to send, or null when the provider needs none (local servers). Never logged. */
  apiKey: string | null;
  /** Name of the environment variable the key came from, for error messages (null: none). */
  apiKeyEnv: string | null;
  /** `provider:model`, without URL or key: safe for logs, the ledger and the dashboard. */
  label: string;
  /** The environment variable this spec came from (`AIOS_LLM`, `AIOS_EMBEDDINGS`). */
  source: string;
  kind: ModelKind;
}

const PROVIDERS: readonly ProviderKind[] = ['openai', 'anthropic', 'ollama', 'openai-compatible'];
/** Values that mean "no model" explicitly. */
const OFF = new Set(['', 'off', 'none', 'offline']);
/** Ollama's OpenAI-compatible endpoint on the same machine. */
export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434/v1';

const EXAMPLES: Record<ModelKind, string> = {
  language:
    'openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5, ollama:llama3.1@http://127.0.0.1:11434/v1 or openai-compatible:<model>@http://host:8000/v1',
  embedding: 'openai:text-embedding-3-small, ollama:nomic-embed-text or openai-compatible:<model>@http://host:8000/v1',
};

/**
 * Parses one model setting: `<provider>:<model>[@<baseURL>]`. The base URL is everything after the
 * last `@http://` or `@https://`, so model ids may contain `:` (`llama3.1:8b`) and `/`.
 *
 * API keys: a language spec uses `AIOS_LLM_API_KEY`, then `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`;
 * an embedding spec uses `AIOS_EMBEDDINGS_API_KEY`, then the provider's key, then `AIOS_LLM_API_KEY`.
 * A key is required only for `openai` and `anthropic` without a custom base URL.
 *
 * @returns the spec, or null when the value is empty or `off` / `none` / `offline` (offline mode).
 * @throws ConfigError naming the variable, what is wrong and an example.
 */
export function parseModelSpec(
  value: string | undefined,
  opts: { source: string; kind: ModelKind; env?: NodeJS.ProcessEnv },
): ModelSpec | null {
  const env = opts.env ?? process.env;
  const raw = (value ?? '').trim();
  if (OFF.has(raw.toLowerCase())) return null;
  const fail = (problem: string): never => {
    throw new ConfigError('environment', opts.source, `${problem} (got "${raw}")`, `Set ${opts.source} to one of: ${EXAMPLES[opts.kind]}; or unset it to run offline.`);
  };

  const colon = raw.indexOf(':');
  if (colon <= 0) fail('expected <provider>:<model>');
  const provider = raw.slice(0, colon).toLowerCase() as ProviderKind;
  if (!PROVIDERS.includes(provider)) fail(`unknown provider "${raw.slice(0, colon)}"; known: ${PROVIDERS.join(', ')}`);
  let rest = raw.slice(colon + 1);
  let baseURL: string | null = null;
  const at = Math.max(rest.lastIndexOf('@http://'), rest.lastIndexOf('@https://'));
  if (at >= 0) {
    baseURL = rest.slice(at + 1).replace(/\/+$/, '');
    rest = rest.slice(0, at);
    if (!isHttpUrl(baseURL)) fail(`"${baseURL}" is not a valid http(s) URL`);
  } else if (rest.includes('@')) {
    fail('the part after "@" must be an http:// or https:// base URL such as http://127.0.0.1:11434/v1');
  }
  const model = rest.trim();
  if (!model) fail('the model name is missing');
  if (/\s/.test(model)) fail(`the model name "${model}" contains white space`);

  if (provider === 'ollama' && !baseURL) baseURL = OLLAMA_DEFAULT_URL;
  if (provider === 'openai-compatible' && !baseURL) fail('openai-compatible needs a base URL: openai-compatible:<model>@http://host:port/v1');
  if (provider === 'anthropic' && opts.kind === 'embedding') fail('Anthropic has no embedding models; use openai, ollama or openai-compatible');

  const { key, keyEnv } = findApiKey(provider, opts.kind, env);
  if (!key && !baseURL && (provider === 'openai' || provider === 'anthropic')) {
    const needed = provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
    throw new ConfigError('environment', needed, `is not set, but ${opts.source} uses ${provider}`, `Set ${needed} (or AIOS_LLM_API_KEY), or unset ${opts.source} to run offline.`);
  }
  return { provider, model, baseURL, apiKey: key, apiKeyEnv: keyEnv, label: `${provider}:${model}`, source: opts.source, kind: opts.kind };
}

/**
 * Reads `AIOS_LLM` and `AIOS_EMBEDDINGS`. Either may be null (offline for that kind of call).
 * @throws ConfigError when a variable is set but invalid.
 */
export function readModelSpecs(env: NodeJS.ProcessEnv = process.env): { llm: ModelSpec | null; embeddings: ModelSpec | null } {
  return {
    llm: parseModelSpec(env.AIOS_LLM, { source: 'AIOS_LLM', kind: 'language', env }),
    embeddings: parseModelSpec(env.AIOS_EMBEDDINGS, { source: 'AIOS_EMBEDDINGS', kind: 'embedding', env }),
  };
}

/** Default monthly AI budget per tenant: 20,000,000 micro-dollars = 20 USD. */
export const DEFAULT_BUDGET_MICROS = 20_000_000;

/**
 * The monthly AI budget per tenant from `AIOS_AI_BUDGET_MICROS`, in micro-dollars (1 USD =
 * 1,000,000). Unset → {@link DEFAULT_BUDGET_MICROS}; `0` means no model calls at all.
 * @throws ConfigError when not a non-negative integer.
 */
export function readBudgetMicros(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AIOS_AI_BUDGET_MICROS?.trim();
  if (!raw) return DEFAULT_BUDGET_MICROS;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ConfigError('environment', 'AIOS_AI_BUDGET_MICROS', `must be a whole number of micro-dollars ≥ 0, got "${raw}"`, 'Example: AIOS_AI_BUDGET_MICROS=20000000 for 20 USD a month per business.');
  }
  return n;
}

function findApiKey(provider: ProviderKind, kind: ModelKind, env: NodeJS.ProcessEnv): { key: string | null; keyEnv: string | null } {
  const providerEnv = provider === 'openai' ? 'OPENAI_API_KEY' : provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : null;
  const order = kind === 'language' ? ['AIOS_LLM_API_KEY', providerEnv] : ['AIOS_EMBEDDINGS_API_KEY', providerEnv, 'AIOS_LLM_API_KEY'];
  for (const name of order) {
    const v = name ? env[name]?.trim() : undefined;
    if (name && v) return { key: v, keyEnv: name };
  }
  return { key: null, keyEnv: null };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
