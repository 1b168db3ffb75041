/**
 * Typed errors. Every AIOS error carries a stable `code`, a human message, and `fix`: what the
 * reader should do next. Retry decisions are made from `retryable`, never from message text.
 */
export class AiosError extends Error {
  /** Stable machine-readable code, e.g. `config_invalid`. */
  readonly code: string;
  /** What to do next, in one sentence. */
  readonly fix: string;
  /** Whether repeating the same operation later may succeed (network, rate limit). */
  readonly retryable: boolean;

  constructor(code: string, message: string, opts: { fix?: string; retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = opts.fix ?? '';
    this.retryable = opts.retryable ?? false;
  }

  /** One line for logs and CLI output: message and fix. */
  describe(): string {
    return this.fix ? `${this.message}\n  → ${this.fix}` : this.message;
  }
}

/** One problem of a configuration file: the dotted field and what is wrong with it. */
export interface ConfigProblem {
  field: string;
  problem: string;
}

/**
 * A configuration or policy file is invalid. Start-up stops with the file and every problem found
 * in it (`problems`); `field`/`problem` are the first one. One problem reads
 * `file: field: problem`; several read `file: N problems:` and one `- field: problem` line each.
 */
export class ConfigError extends AiosError {
  readonly file: string;
  readonly field: string;
  /** What is wrong with the field, without the file and field names. */
  readonly problem: string;
  /** Every problem found in the file, in file order where known; at least one. */
  readonly problems: readonly ConfigProblem[];
  constructor(file: string, field: string, problem: string, fix?: string, more: readonly ConfigProblem[] = []) {
    const problems = [{ field, problem }, ...more];
    const line = (p: ConfigProblem) => `${p.field || '(root)'}: ${p.problem}`;
    const message = problems.length === 1
      ? `${file}: ${line(problems[0]!)}`
      : `${file}: ${problems.length} problems:\n${problems.map((p) => `  - ${line(p)}`).join('\n')}`;
    super('config_invalid', message, {
      fix: fix ?? (problems.length === 1
        ? `Edit ${file} and correct "${field || '(root)'}", then start AIOS again.`
        : `Edit ${file} and correct each field listed, then start AIOS again.`),
    });
    this.file = file;
    this.field = field;
    this.problem = problem;
    this.problems = problems;
  }

  /**
   * One error for several problems of one file.
   * @param problems at least one; the first becomes `field`/`problem`.
   * @param fix what to do; defaults to "edit the file and correct each field".
   */
  static of(file: string, problems: readonly ConfigProblem[], fix?: string): ConfigError {
    const [first, ...rest] = problems;
    if (!first) return new ConfigError(file, '', 'is invalid', fix);
    return new ConfigError(file, first.field, first.problem, fix, rest);
  }
}

/** Bad input from a caller (HTTP body, CLI argument, webhook). Maps to HTTP 4xx. */
export class InputError extends AiosError {
  readonly status: number;
  constructor(message: string, opts: { status?: number; fix?: string; code?: string } = {}) {
    super(opts.code ?? 'bad_input', message, { fix: opts.fix });
    this.status = opts.status ?? 400;
  }
}

/** Something asked for does not exist in the caller's tenant. Maps to HTTP 404. */
export class NotFoundError extends AiosError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} was not found`, { fix: `List ${what}s to find a valid id.` });
  }
}

/** A state transition that is not allowed now (e.g. deciding an approval twice). Maps to HTTP 409. */
export class ConflictError extends AiosError {
  constructor(message: string, fix?: string) {
    super('conflict', message, { fix });
  }
}

/** A remote provider failed in a way that may succeed later (network, 5xx, 429). */
export class TransientError extends AiosError {
  constructor(message: string, opts: { cause?: unknown; fix?: string } = {}) {
    super('transient', message, { ...opts, retryable: true });
  }
}

/** A remote provider refused the credentials. Never retried. */
export class AuthError extends AiosError {
  constructor(message: string, opts: { cause?: unknown; fix?: string } = {}) {
    super('auth_failed', message, { ...opts, retryable: false });
  }
}

/** A remote provider rejected the request permanently (4xx other than 401/403/429). Never retried. */
export class PermanentError extends AiosError {
  constructor(message: string, opts: { cause?: unknown; fix?: string } = {}) {
    super('permanent', message, { ...opts, retryable: false });
  }
}

/** True when an error may succeed if retried later. Unknown errors are treated as retryable. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AiosError) return err.retryable;
  return true;
}
