import { AiosError, TransientError } from '../core/errors.js';

/**
 * The model answered, but never with output that passed validation (not JSON, wrong shape), even
 * after the validation error was fed back `attempts - 1` times. Callers fall back to offline.
 */
export class ModelOutputError extends AiosError {
  /** Model calls made, including the first (count). */
  readonly attempts: number;
  /** The last validation problem, one line per issue. */
  readonly problem: string;
  /** The last raw output, truncated to 2,000 characters. */
  readonly lastOutput: string;
  constructor(model: string, attempts: number, problem: string, lastOutput: string) {
    super('ai_invalid_output', `${model} returned invalid structured output ${attempts} time(s): ${problem}`, {
      fix: 'AIOS used its offline fallback. If this repeats, choose a stronger model in AIOS_LLM or simplify the schema.',
    });
    this.attempts = attempts;
    this.problem = problem;
    this.lastOutput = lastOutput.slice(0, 2000);
  }
}

/** The tenant's monthly AI budget is spent; AIOS runs in offline mode for that tenant until next month. */
export class BudgetExhaustedError extends AiosError {
  readonly tenantId: string;
  /** Month in UTC, `YYYY-MM`. */
  readonly month: string;
  /** Spent this month, in micro-dollars (1 USD = 1,000,000). */
  readonly spentMicros: number;
  /** Monthly budget, in micro-dollars. */
  readonly budgetMicros: number;
  constructor(tenantId: string, month: string, spentMicros: number, budgetMicros: number) {
    super(
      'ai_budget_exhausted',
      `AI budget for ${month} is spent for tenant ${tenantId}: $${(spentMicros / 1e6).toFixed(2)} of $${(budgetMicros / 1e6).toFixed(2)}`,
      { fix: 'AIOS continues in offline mode. Raise AIOS_AI_BUDGET_MICROS to allow more model calls this month.' },
    );
    this.tenantId = tenantId;
    this.month = month;
    this.spentMicros = spentMicros;
    this.budgetMicros = budgetMicros;
  }
}

/** No model is configured for this kind of call (AIOS_LLM or AIOS_EMBEDDINGS unset): offline mode. */
export class ModelUnavailableError extends AiosError {
  constructor(what: 'language' | 'embedding') {
    const env = what === 'language' ? 'AIOS_LLM' : 'AIOS_EMBEDDINGS';
    super('ai_offline', `No ${what} model is configured (${env} is not set); running in offline mode`, {
      fix: `Set ${env}, e.g. ${env}=${what === 'language' ? 'openai:gpt-4.1-mini' : 'openai:text-embedding-3-small'}, to use a model.`,
    });
  }
}

/** The call did not finish within its deadline (`timeoutMs`, all attempts included). Retryable later. */
export class ModelTimeoutError extends TransientError {
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;
  constructor(model: string, timeoutMs: number, cause?: unknown) {
    super(`${model} did not answer within ${timeoutMs} ms`, {
      cause,
      fix: 'AIOS used its offline fallback. Check the model server, or raise the time-out for slow local models.',
    });
    this.timeoutMs = timeoutMs;
  }
}
