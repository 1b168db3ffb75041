import type { ModelMessage } from 'ai';
import { aiSdk } from './ai-sdk.js';
import type { z } from 'zod';
import type { Db } from '../store/db.js';
import { systemClock, type Clock } from '../core/clock.js';
import { AiosError } from '../core/errors.js';
import { readBudgetMicros, readModelSpecs, type ModelSpec } from './provider-spec.js';
import { embeddingModelFor, languageModelFor, providerOptionsFor } from './providers.js';
import { buildPrompt, type UntrustedText } from './prompt.js';
import { DEFAULT_PRICES, costMicros, priceFor, type PriceTable } from './prices.js';
import { assertWithinBudget, recordAiCall } from './ai-ledger.js';
import { addUsage, newStats, withRetries, type CallStats } from './call-runner.js';
import { checkOutput, correctionMessage } from './structured.js';
import { ModelOutputError, ModelUnavailableError } from './errors.js';

export interface ModelClientOptions {
  db: Db;
  /** Deadline of one call, all attempts and pauses included, in milliseconds. Default 30,000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for transient failures and for invalid structured output. Default 2. */
  maxRetries?: number;
  /** Monthly AI budget per tenant in micro-dollars. Default: `AIOS_AI_BUDGET_MICROS` or 20 USD. */
  budgetMicros?: number;
  /** The embedding model (`AIOS_EMBEDDINGS`); null or absent → `embed` throws ModelUnavailableError. */
  embeddings?: ModelSpec | null;
  /** Time source for the budget month and ledger rows. Default: the system clock. */
  clock?: Clock;
  /** Prices per model; default {@link DEFAULT_PRICES}. */
  prices?: PriceTable;
  /** First back-off pause between retries, in milliseconds. Default 500. */
  backoffMs?: number;
}

/** Fields every model request has. */
export interface ModelRequest {
  tenantId: string;
  /** What the call is for, e.g. `draft_reply`; the ledger category becomes `ai.<purpose>`. */
  purpose: string;
  /** Role and rules (trusted, written by AIOS code). The untrusted-data rule is appended. */
  system: string;
  /** What to do (trusted, written by AIOS code). */
  instructions: string;
  /** Outside text (emails, forms, SMS): always delimited as data in the user message. */
  untrusted?: readonly UntrustedText[];
  /** Upper bound on completion tokens (count). */
  maxOutputTokens?: number;
  /** The playbook run making the call, recorded in the ledger note. */
  runId?: string;
  /** Cancels the call; its reason is rethrown unchanged (not turned into an offline fallback). */
  abortSignal?: AbortSignal;
}

export interface StructuredRequest<T> extends ModelRequest {
  schema: z.ZodType<T>;
  /** Schema name shown to the model (JSON-schema name or tool name). Default `respond`. */
  name?: string;
  /**
   * `json` (default): ask for JSON-schema output (`response_format`). `tool`: force a call of one
   * tool whose input is the schema, for models that follow tools better than response formats.
   */
  mode?: 'json' | 'tool';
  /** OpenAI strict JSON-schema mode (every property required, no `.optional()`). Default false. */
  strict?: boolean;
}

/** Cost and timing of a call. */
export interface CallReport {
  /** Tokens over all attempts (count). */
  usage: { inputTokens: number; outputTokens: number };
  /** Cost in micro-dollars (1 USD = 1,000,000), as written to the ledger. */
  costMicros: number;
  /** Wall-clock time of the call including retries, in milliseconds. */
  latencyMs: number;
  /** `provider:model`. */
  model: string;
  /** HTTP requests made (count). */
  attempts: number;
}

export interface TextResult extends CallReport {
  text: string;
}
export interface StructuredResult<T> extends CallReport {
  /** The output, validated by the schema (defaults and transforms applied). */
  object: T;
}
export interface EmbedResult extends CallReport {
  /** One vector per input text, in input order. */
  embeddings: number[][];
}

/**
 * Model access for AIOS. Every method checks the tenant's monthly budget first, writes one ledger
 * row per call (success or failure) and throws only typed errors for provider failures:
 * ModelUnavailableError (offline), BudgetExhaustedError, ModelTimeoutError / TransientError,
 * AuthError, PermanentError, ModelOutputError. Wrap calls in `withOfflineFallback`.
 */
export interface ModelClient {
  /** The language model, or null in offline mode. */
  readonly spec: ModelSpec | null;
  /** The embedding model, or null. */
  readonly embeddingSpec: ModelSpec | null;
  generateText(req: ModelRequest): Promise<TextResult>;
  generateStructured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>;
  /** Embeds `texts` (empty input → no call, no ledger row). */
  embed(texts: readonly string[], opts: { tenantId: string; purpose?: string; runId?: string; abortSignal?: AbortSignal }): Promise<EmbedResult>;
}

/**
 * Creates the model client for a language spec (null → offline: every language call throws
 * ModelUnavailableError, which `withOfflineFallback` turns into the offline path).
 */
export function createModelClient(spec: ModelSpec | null, opts: ModelClientOptions): ModelClient {
  const db = opts.db;
  const clock = opts.clock ?? systemClock;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxRetries = opts.maxRetries ?? 2;
  const backoffMs = opts.backoffMs ?? 500;
  const budgetMicros = opts.budgetMicros ?? readBudgetMicros();
  const prices = opts.prices ?? DEFAULT_PRICES;
  const embeddingSpec = opts.embeddings ?? null;
  const languageModel = spec ? languageModelFor(spec) : null;
  const embeddingModel = embeddingSpec ? embeddingModelFor(embeddingSpec) : null;

  /** Budget check, deadline, ledger row and report around one logical call. */
  async function run<R>(
    s: ModelSpec | null,
    kind: 'language' | 'embedding',
    meta: { tenantId: string; purpose: string; runId?: string; abortSignal?: AbortSignal },
    body: (ctx: { spec: ModelSpec; stats: CallStats; deadline: AbortSignal }) => Promise<R>,
  ): Promise<R & CallReport> {
    if (!s) throw new ModelUnavailableError(kind);
    await assertWithinBudget(db, meta.tenantId, budgetMicros, clock.now());
    const stats = newStats();
    const started = performance.now();
    const deadline = AbortSignal.timeout(timeoutMs);
    const report = (): CallReport => {
      const price = priceFor(s.provider, s.model, prices);
      return {
        usage: { inputTokens: stats.inputTokens, outputTokens: stats.outputTokens },
        costMicros: costMicros(price, stats.inputTokens, stats.outputTokens),
        latencyMs: Math.round(performance.now() - started),
        model: s.label,
        attempts: stats.attempts,
      };
    };
    const record = (r: CallReport, outcome: string) =>
      recordAiCall(db, { tenantId: meta.tenantId, purpose: meta.purpose, runId: meta.runId, model: r.model, ...r.usage, costMicros: r.costMicros, latencyMs: r.latencyMs, attempts: r.attempts, outcome }, clock.now());
    let result: R;
    try {
      result = await body({ spec: s, stats, deadline });
    } catch (err) {
      const outcome = err instanceof AiosError ? err.code : 'error';
      await record(report(), outcome).catch(() => undefined);
      throw err;
    }
    const r = report();
    await record(r, 'ok');
    return { ...result, ...r };
  }

  const retryOpts = (ctx: { spec: ModelSpec; stats: CallStats; deadline: AbortSignal }, abortSignal?: AbortSignal) => ({
    spec: ctx.spec,
    stats: ctx.stats,
    deadline: ctx.deadline,
    callerSignal: abortSignal,
    maxRetries,
    backoffMs,
    timeoutMs,
  });

  return {
    spec,
    embeddingSpec,

    generateText(req) {
      return run(spec, 'language', req, async (ctx) => {
        const prompt = buildPrompt(req);
        const r = await withRetries(async (abortSignal) => {
          const out = await aiSdk().generateText({
            model: languageModel!,
            system: prompt.system,
            messages: [{ role: 'user', content: prompt.user }],
            maxOutputTokens: req.maxOutputTokens,
            maxRetries: 0,
            abortSignal,
          });
          addUsage(ctx.stats, out.usage);
          return out;
        }, retryOpts(ctx, req.abortSignal));
        return { text: r.text };
      });
    },

    generateStructured<T>(req: StructuredRequest<T>) {
      return run(spec, 'language', req, async (ctx) => {
        const prompt = buildPrompt(req);
        const name = req.name ?? 'respond';
        const mode = req.mode ?? 'json';
        const messages: ModelMessage[] = [{ role: 'user', content: prompt.user }];
        for (let round = 0; ; round++) {
          const attempt = await withRetries(async (abortSignal) => {
            const common = {
              model: languageModel!,
              system: prompt.system,
              messages,
              maxOutputTokens: req.maxOutputTokens,
              maxRetries: 0,
              abortSignal,
              providerOptions: providerOptionsFor(req.strict ?? false),
            };
            if (mode === 'tool') {
              const out = await aiSdk().generateText({
                ...common,
                tools: { [name]: aiSdk().tool({ description: `Return the ${name} result.`, inputSchema: req.schema }) },
                toolChoice: { type: 'tool', toolName: name },
              });
              addUsage(ctx.stats, out.usage);
              const call = out.toolCalls.find((c) => c.toolName === name);
              const input: unknown = call ? call.input : out.text;
              const raw = typeof input === 'string' ? input : JSON.stringify(input ?? null);
              // A tool call the SDK accepted was already validated (and transformed) by the schema.
              if (call && !('invalid' in call && call.invalid)) return { raw, value: input, valid: true };
              return { raw, value: input };
            }
            try {
              const out = await aiSdk().generateText({ ...common, output: aiSdk().Output.object({ schema: req.schema, name }) });
              addUsage(ctx.stats, out.usage);
              return { raw: out.text, value: out.output as unknown, valid: true };
            } catch (err) {
              if (!aiSdk().NoObjectGeneratedError.isInstance(err)) throw err;
              addUsage(ctx.stats, err.usage);
              return { raw: err.text ?? '', value: err.text ?? '' };
            }
          }, retryOpts(ctx, req.abortSignal));
          if ('valid' in attempt) return { object: attempt.value as T };
          const checked = checkOutput(attempt.value, req.schema);
          if (checked.ok) return { object: checked.value };
          if (round >= maxRetries) throw new ModelOutputError(ctx.spec.label, round + 1, checked.problem, attempt.raw);
          messages.push(
            { role: 'assistant', content: attempt.raw || '(empty reply)' },
            { role: 'user', content: correctionMessage(checked.problem, mode === 'tool' ? name : null) },
          );
        }
      });
    },

    async embed(texts, o) {
      if (texts.length === 0 && embeddingSpec) {
        return { embeddings: [], usage: { inputTokens: 0, outputTokens: 0 }, costMicros: 0, latencyMs: 0, model: embeddingSpec.label, attempts: 0 };
      }
      return run(embeddingSpec, 'embedding', { ...o, purpose: o.purpose ?? 'embed' }, async (ctx) => {
        const r = await withRetries(async (abortSignal) => {
          const out = await aiSdk().embedMany({ model: embeddingModel!, values: [...texts], maxRetries: 0, abortSignal });
          addUsage(ctx.stats, { inputTokens: out.usage.tokens });
          return out;
        }, retryOpts(ctx, o.abortSignal));
        return { embeddings: r.embeddings };
      });
    },
  };
}

/**
 * The client configured by the environment: `AIOS_LLM`, `AIOS_EMBEDDINGS`, the API-key variables
 * and `AIOS_AI_BUDGET_MICROS`. With nothing set the client is offline (every call throws
 * ModelUnavailableError). @throws ConfigError on invalid settings, naming the variable.
 */
export function modelClientFromEnv(env: NodeJS.ProcessEnv, opts: Omit<ModelClientOptions, 'embeddings' | 'budgetMicros'>): ModelClient {
  const specs = readModelSpecs(env);
  return createModelClient(specs.llm, { ...opts, embeddings: specs.embeddings, budgetMicros: readBudgetMicros(env) });
}
