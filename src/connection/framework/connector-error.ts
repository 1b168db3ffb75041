import { AiosError } from '../../core/errors.js';
import type { ConnectorErrorKind } from './connector.js';

/** A connector failure with its kind; `network` and `rate_limit` are retryable, the rest are not. */
export class ConnectorError extends AiosError {
  readonly kind: ConnectorErrorKind;
  /** For rate limits: seconds the service asked us to wait. */
  readonly retryAfterSeconds: number | null;
  constructor(kind: ConnectorErrorKind, message: string, opts: { fix?: string; cause?: unknown; retryAfterSeconds?: number; code?: string } = {}) {
    super(opts.code ?? `connector_${kind}`, message, { fix: opts.fix, cause: opts.cause, retryable: kind === 'network' || kind === 'rate_limit' });
    this.kind = kind;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? null;
  }
}
