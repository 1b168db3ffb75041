import { aiSdk } from './ai-sdk.js';
import { AiosError, AuthError, PermanentError, TransientError } from '../core/errors.js';
import { BudgetExhaustedError, ModelOutputError, ModelTimeoutError, ModelUnavailableError } from './errors.js';

/** Why a result came from the offline path. */
export type OfflineReason = 'no_provider' | 'timeout' | 'provider_error' | 'auth' | 'invalid_output' | 'budget_exhausted';

/** A value from the model, or from the offline fallback with the reason. */
export type MaybeOffline<T> =
  | { value: T; offline: false }
  | { value: T; offline: true; reason: OfflineReason; error: AiosError | Error };

/**
 * The offline reason for an error, or null when the error is not a model failure (a bug, a
 * database error, a cancelled call) and must propagate.
 */
export function offlineReason(err: unknown): OfflineReason | null {
  if (err instanceof ModelUnavailableError) return 'no_provider';
  if (err instanceof BudgetExhaustedError) return 'budget_exhausted';
  if (err instanceof ModelOutputError) return 'invalid_output';
  if (err instanceof ModelTimeoutError) return 'timeout';
  if (err instanceof AuthError) return 'auth';
  if (err instanceof TransientError || err instanceof PermanentError) return 'provider_error';
  if (isSdkError(err)) return 'provider_error';
  return null;
}

/**
 * Runs `fn` (a model call) and, when it fails for any model reason — no provider configured,
 * time-out, provider error, refused key, invalid output, budget spent — returns `fallback(reason)`
 * instead, flagged `offline: true`. Never throws for provider failures; other errors (bugs,
 * database errors, the caller's own abort) propagate. Pass `fn = null` when no client exists.
 *
 * @param onOffline called once with the reason and error, e.g. to log that the offline path ran.
 */
export async function withOfflineFallback<T>(
  fn: (() => Promise<T>) | null | undefined,
  fallback: (reason: OfflineReason) => T | Promise<T>,
  onOffline?: (reason: OfflineReason, error: AiosError | Error) => void,
): Promise<MaybeOffline<T>> {
  if (!fn) {
    const error = new ModelUnavailableError('language');
    onOffline?.('no_provider', error);
    return { value: await fallback('no_provider'), offline: true, reason: 'no_provider', error };
  }
  try {
    return { value: await fn(), offline: false };
  } catch (err) {
    const reason = offlineReason(err);
    if (!reason) throw err;
    const error = err as AiosError | Error;
    onOffline?.(reason, error);
    return { value: await fallback(reason), offline: true, reason, error };
  }
}

/** Whether `err` came from the AI SDK (which is loaded only if a model call ever ran). */
function isSdkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { APICallError, AISDKError } = aiSdk();
  return APICallError.isInstance(err) || AISDKError.isInstance(err);
}
