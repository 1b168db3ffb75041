import { describe, expect, it } from 'vitest';
import { APICallError } from 'ai';
import { AuthError, ConfigError, PermanentError, TransientError } from '../core/errors.js';
import { BudgetExhaustedError, ModelOutputError, ModelTimeoutError, ModelUnavailableError } from './errors.js';
import { offlineReason, withOfflineFallback } from './offline.js';

describe('withOfflineFallback', () => {
  it('passes a model result through', async () => {
    expect(await withOfflineFallback(async () => 'drafted', () => 'template')).toEqual({ value: 'drafted', offline: false });
  });

  it('maps every model failure to the offline path with its reason', async () => {
    const cases: [Error, string][] = [
      [new ModelUnavailableError('language'), 'no_provider'],
      [new BudgetExhaustedError('tn_a', '2030-01', 10, 5), 'budget_exhausted'],
      [new ModelOutputError('openai:x', 3, 'not JSON', 'no'), 'invalid_output'],
      [new ModelTimeoutError('openai:x', 100), 'timeout'],
      [new AuthError('bad key'), 'auth'],
      [new TransientError('503'), 'provider_error'],
      [new PermanentError('400'), 'provider_error'],
      [new APICallError({ message: 'raw sdk', url: 'http://x', requestBodyValues: {}, statusCode: 500 }), 'provider_error'],
    ];
    for (const [err, reason] of cases) {
      const seen: string[] = [];
      const out = await withOfflineFallback(
        () => Promise.reject(err),
        async (r) => `template (${r})`,
        (r) => seen.push(r),
      );
      expect(out).toEqual({ value: `template (${reason})`, offline: true, reason, error: err });
      expect(seen).toEqual([reason]);
    }
  });

  it('lets bugs, database and configuration errors propagate', async () => {
    await expect(withOfflineFallback(() => Promise.reject(new TypeError('x is undefined')), () => 1)).rejects.toThrow(TypeError);
    await expect(withOfflineFallback(() => Promise.reject(new ConfigError('environment', 'AIOS_LLM', 'bad')), () => 1)).rejects.toThrow(ConfigError);
    expect(offlineReason(new Error('relation "ledger" does not exist'))).toBeNull();
  });
});
