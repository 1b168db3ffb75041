import { AiosError } from './errors.js';

/**
 * The caller is known but not allowed to do this: a missing scope, a grant above the caller's own,
 * or separation of duties (a proposer deciding its own proposal). Maps to HTTP 403 `forbidden`.
 */
export class ForbiddenError extends AiosError {
  constructor(message: string, fix: string) {
    super('forbidden', message, { fix });
  }
}
