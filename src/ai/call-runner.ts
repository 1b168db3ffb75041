import type { LanguageModelUsage } from 'ai';
import { aiSdk } from './ai-sdk.js';
import { AiosError, AuthError, PermanentError, TransientError } from '../core/errors.js';
import { ModelTimeoutError } from './errors.js';
import type { ModelSpec } from './provider-spec.js';

/** Counters of one logical call, summed over its HTTP attempts. */
export interface CallStats {
  /** HTTP requests made (count). */
  attempts: number;
  /** Prompt tokens (count). */
  inputTokens: number;
  /** Completion tokens (count). */
  outputTokens: number;
}

export function newStats(): CallStats {
  return { attempts: 0, inputTokens: 0, outputTokens: 0 };
}

/** Adds an AI SDK usage report (fields may be undefined) to the stats. */
export function addUsage(stats: CallStats, usage: Partial<Pick<LanguageModelUsage, 'inputTokens' | 'outputTokens'>> | undefined): void {
  stats.inputTokens += usage?.inputTokens ?? 0;
  stats.outputTokens += usage?.outputTokens ?? 0;
}

export interface RetryOptions {
  spec: ModelSpec;
  /** Retries after the first attempt for transient failures (count). */
  maxRetries: number;
  /** First back-off pause in milliseconds; doubles per retry, ±25 % jitter, at most 8 s. */
  backoffMs: number;
  /** The whole call's deadline in milliseconds (for the error message). */
  timeoutMs: number;
  /** Aborts on the deadline. */
  deadline: AbortSignal;
  /** Aborts when the caller cancels; its reason is rethrown as is. */
  callerSignal?: AbortSignal;
  stats: CallStats;
}

/**
 * Runs `attempt` (one HTTP request) and retries transient failures — network errors, HTTP 408,
 * 409, 429 and 5xx, broken response bodies — with exponential back-off (honouring `Retry-After`
 * up to 10 s) until `maxRetries` is used up or the deadline passes.
 *
 * @throws ModelTimeoutError when the deadline passes (during a request or a pause),
 *   TransientError after the last retry, AuthError on 401/403, PermanentError on other 4xx;
 *   the caller's abort reason when the caller cancelled; any non-provider error unchanged.
 */
export async function withRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, o: RetryOptions): Promise<T> {
  const signal = o.callerSignal ? AbortSignal.any([o.deadline, o.callerSignal]) : o.deadline;
  for (let retry = 0; ; retry++) {
    if (o.callerSignal?.aborted) throw o.callerSignal.reason;
    if (o.deadline.aborted) throw new ModelTimeoutError(o.spec.label, o.timeoutMs);
    o.stats.attempts++;
    try {
      return await attempt(signal);
    } catch (err) {
      if (o.callerSignal?.aborted) throw o.callerSignal.reason;
      if (o.deadline.aborted) throw new ModelTimeoutError(o.spec.label, o.timeoutMs, err);
      const typed = classifyProviderError(err, o.spec);
      if (!typed) throw err;
      if (!(typed instanceof TransientError) || retry >= o.maxRetries) throw typed;
      await pause(backoff(o.backoffMs, retry, err), signal);
      if (o.callerSignal?.aborted) throw o.callerSignal.reason;
      if (o.deadline.aborted) throw new ModelTimeoutError(o.spec.label, o.timeoutMs, err);
    }
  }
}

/**
 * Maps an AI SDK or network error to an AIOS typed error, or null when it is not a provider error
 * (a bug, a database error) and must propagate unchanged.
 */
export function classifyProviderError(err: unknown, spec: ModelSpec): AiosError | null {
  if (err instanceof AiosError) return err;
  const { APICallError, AISDKError, LoadAPIKeyError, RetryError } = aiSdk();
  if (RetryError.isInstance(err)) return classifyProviderError(err.lastError, spec);
  const where = spec.baseURL ?? `the ${spec.provider} API`;
  const keyFix = spec.apiKeyEnv
    ? `Check ${spec.apiKeyEnv}: the key is wrong, expired or lacks access to ${spec.model}.`
    : `Set AIOS_LLM_API_KEY (or ${spec.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'}) to a valid key.`;
  if (APICallError.isInstance(err)) {
    const status = err.statusCode;
    const detail = err.message.slice(0, 300);
    if (status === 401 || status === 403) {
      return new AuthError(`${spec.label} refused the credentials (HTTP ${status}): ${detail}`, { cause: err, fix: keyFix });
    }
    if (status === undefined) {
      return new TransientError(`Cannot reach ${spec.label} at ${where}: ${detail}`, {
        cause: err,
        fix: `Check that the model server at ${where} is running and reachable.`,
      });
    }
    if (status === 200 || status === 408 || status === 409 || status === 429 || status >= 500 || err.isRetryable) {
      return new TransientError(`${spec.label} failed (HTTP ${status}): ${detail}`, {
        cause: err,
        fix: status === 429 ? 'The provider is rate-limiting; AIOS retries later. Raise the account limits if this repeats.' : 'AIOS retries later; check the provider status if this repeats.',
      });
    }
    return new PermanentError(`${spec.label} rejected the request (HTTP ${status}): ${detail}`, {
      cause: err,
      fix: `Check the model name in ${spec.source} ("${spec.model}") and that the provider supports it.`,
    });
  }
  if (LoadAPIKeyError.isInstance(err)) return new AuthError(`${spec.label}: ${err.message}`, { cause: err, fix: keyFix });
  if (err instanceof TypeError && /fetch failed|network/i.test(err.message)) {
    return new TransientError(`Cannot reach ${spec.label} at ${where}: ${err.message}`, { cause: err });
  }
  if (AISDKError.isInstance(err)) {
    return new PermanentError(`${spec.label}: ${err.message.slice(0, 300)}`, { cause: err, fix: `Check ${spec.source}.` });
  }
  return null;
}

function backoff(baseMs: number, retry: number, err: unknown): number {
  const exp = Math.min(baseMs * 2 ** retry, 8000) * (0.75 + Math.random() * 0.5);
  const header = aiSdk().APICallError.isInstance(err) ? err.responseHeaders?.['retry-after'] : undefined;
  const seconds = header === undefined ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.max(exp, Math.min(seconds * 1000, 10_000)) : exp;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
