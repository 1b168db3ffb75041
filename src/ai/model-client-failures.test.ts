import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../test/support/test-db.js';
import { startOpenAIStub, type OpenAIStub } from '../../test/support/openai-stub.js';
import { AuthError, PermanentError, TransientError } from '../core/errors.js';
import { ManualClock } from '../core/clock.js';
import { parseModelSpec } from './provider-spec.js';
import { createModelClient, type ModelClientOptions, type ModelRequest } from './model-client.js';
import { BudgetExhaustedError, ModelTimeoutError } from './errors.js';
import { withOfflineFallback } from './offline.js';
import { rejection } from '../../test/support/rejection.js';

let t: TestDatabase;
let stub: OpenAIStub;
let tenantId: string;

const FALLBACK = 'Sorry we missed you — we will call back shortly.';
const req = (): ModelRequest => ({ tenantId, purpose: 'draft_reply', system: 's', instructions: 'Draft a reply.' });
const client = (o: Partial<ModelClientOptions> = {}, url = stub.url) =>
  createModelClient(parseModelSpec(`openai:gpt-4.1-mini@${url}`, { source: 'AIOS_LLM', kind: 'language', env: {} }), {
    db: t.db,
    backoffMs: 5,
    budgetMicros: 1_000_000_000,
    ...o,
  });

beforeAll(async () => {
  t = await createTestDatabase();
  stub = await startOpenAIStub();
  tenantId = await insertTenant(t.db, 'acme-fail', '+15550002002');
});
afterAll(async () => {
  await stub?.close();
  await t?.close();
});
beforeEach(async () => {
  stub.reset();
  await t.db.deleteFrom('ledger').execute();
});

describe('provider failures', () => {
  it('a reply slower than the deadline → ModelTimeoutError (transient) → offline fallback', async () => {
    stub.enqueue({ delayMs: 3000, content: 'too late' });
    const started = Date.now();
    const err = await rejection(client({ timeoutMs: 300 }).generateText(req()));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err).toBeInstanceOf(ModelTimeoutError);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/within 300 ms/);

    stub.enqueue({ delayMs: 3000, content: 'too late' });
    const out = await withOfflineFallback(() => client({ timeoutMs: 300 }).generateText(req()).then((r) => r.text), () => FALLBACK);
    expect(out).toMatchObject({ offline: true, reason: 'timeout', value: FALLBACK });
    const rows = await t.db.selectFrom('ledger').selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.note).toMatch(/outcome=transient/);
  });

  it('HTTP 500 is retried with back-off, then succeeds', async () => {
    stub.enqueue({ status: 500 }, { status: 503 }, { content: 'recovered' });
    const r = await client().generateText(req());
    expect(r).toMatchObject({ text: 'recovered', attempts: 3 });
    expect(stub.requests).toHaveLength(3);
  });

  it('HTTP 500 beyond maxRetries → TransientError → offline fallback', async () => {
    stub.enqueue({ status: 500 }, { status: 500 }, { status: 500 }, { content: 'never reached' });
    const err = await rejection(client({ maxRetries: 2 }).generateText(req()));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/HTTP 500/);
    expect(stub.requests).toHaveLength(3);
    stub.reset();
    stub.enqueue({ status: 429 }, { status: 429 });
    const out = await withOfflineFallback(() => client({ maxRetries: 1 }).generateText(req()).then((x) => x.text), () => FALLBACK);
    expect(out).toMatchObject({ offline: true, reason: 'provider_error' });
  });

  it('a broken response body is retried', async () => {
    stub.enqueue({ raw: '{"id": "chatcmpl-1", "choi' }, { content: 'fine' });
    expect((await client().generateText(req())).text).toBe('fine');
  });

  it('HTTP 401 → AuthError, not retried, fix names the key variable', async () => {
    stub.enqueue({ status: 401, message: 'Incorrect API key provided' }, { content: 'not reached' });
    const err = await rejection(client().generateText(req()));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toMatch(/HTTP 401/);
    expect((err as AuthError).fix).toMatch(/AIOS_LLM_API_KEY|OPENAI_API_KEY/);
    expect(stub.requests).toHaveLength(1);
    stub.reset();
    stub.enqueue({ status: 401 });
    expect(await withOfflineFallback(() => client().generateText(req()).then((x) => x.text), () => FALLBACK)).toMatchObject({ offline: true, reason: 'auth' });
  });

  it('HTTP 404 (unknown model) → PermanentError, not retried', async () => {
    stub.enqueue({ status: 404, message: 'The model does not exist' });
    const err = await rejection(client().generateText(req()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).fix).toMatch(/AIOS_LLM/);
    expect(stub.requests).toHaveLength(1);
  });

  it('an unreachable server → TransientError after retries', async () => {
    const err = await rejection(client({ maxRetries: 1 }, 'http://127.0.0.1:9/v1').generateText(req()));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/Cannot reach openai:gpt-4\.1-mini at http:\/\/127\.0\.0\.1:9\/v1/);
  });

  it('no provider configured → offline, without a ledger row', async () => {
    const offline = createModelClient(null, { db: t.db });
    const out = await withOfflineFallback(() => offline.generateStructured({ ...req(), schema: z.object({ a: z.number() }) }).then((x) => x.object), () => ({ a: 0 }));
    expect(out).toMatchObject({ offline: true, reason: 'no_provider', value: { a: 0 } });
    expect(await withOfflineFallback(null, () => 'x')).toMatchObject({ offline: true, reason: 'no_provider', value: 'x' });
    expect(await t.db.selectFrom('ledger').selectAll().execute()).toHaveLength(0);
  });

  it('the caller cancelling is not turned into an offline fallback', async () => {
    stub.enqueue({ delayMs: 2000, content: 'late' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('shutting down')), 100);
    await expect(withOfflineFallback(() => client().generateText({ ...req(), abortSignal: ac.signal }).then((x) => x.text), () => 'x')).rejects.toThrow('shutting down');
  });
});

describe('monthly budget', () => {
  it('when spent: throws BudgetExhaustedError, raises one signal per month, and resets next month', async () => {
    const budgetTenant = await insertTenant(t.db, 'acme-budget', '+15550003003');
    const clock = new ManualClock('2030-03-15T12:00:00Z');
    // 100,000 in + 10,000 out tokens of gpt-4.1-mini = 40,000 + 16,000 = 56,000 micro-dollars.
    const c = client({ budgetMicros: 50_000, clock });
    const r = { ...req(), tenantId: budgetTenant };
    stub.enqueue({ content: 'first', usage: { prompt: 100_000, completion: 10_000 } });
    expect((await c.generateText(r)).costMicros).toBe(56_000);

    const err = await rejection(c.generateText(r));
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect(err).toMatchObject({ month: '2030-03', spentMicros: 56_000, budgetMicros: 50_000 });
    expect(stub.requests).toHaveLength(1);

    const out = await withOfflineFallback(() => c.generateText(r).then((x) => x.text), () => FALLBACK);
    expect(out).toMatchObject({ offline: true, reason: 'budget_exhausted', value: FALLBACK });

    const signals = await t.db.selectFrom('signals').selectAll().where('tenant_id', '=', budgetTenant).execute();
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ kind: 'ai_budget_exhausted', subject: '2030-03', severity: 'high', dedup_key: 'ai_budget_exhausted:2030-03', status: 'open' });
    expect(signals[0]!.data).toEqual({ spentMicros: 56_000, budgetMicros: 50_000 });

    // Other tenants are unaffected.
    stub.enqueue({ content: 'other tenant' });
    expect((await c.generateText(req())).text).toBe('other tenant');

    clock.set('2030-04-01T00:00:01Z');
    stub.enqueue({ content: 'new month' });
    expect((await c.generateText(r)).text).toBe('new month');
  });

  it('a budget of 0 means no model calls', async () => {
    const err = await rejection(client({ budgetMicros: 0 }).generateText(req()));
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect(stub.requests).toHaveLength(0);
  });
});
