import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { startOpenAIStub, type OpenAIStub } from './support/openai-stub.js';
import { countSegments } from '../src/core/sms-segments.js';

/**
 * With a model configured (here: the real OpenAI provider code against a local stub speaking the
 * chat-completions wire format), the missed-call text is written by the model — unless the model
 * fails or writes something unsafe, in which case the offline template goes out instead.
 */
const A = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let stub: OpenAIStub;

beforeAll(async () => {
  stub = await startOpenAIStub();
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'knowledge/voice.md': '---\nkind: voice\ntitle: Our voice\n---\n# Tone\n\nWarm and plain. Greeting: Hi there. Sign-off: the Acme crew. Banned phrases: never say no worries.\n' } }], { env: { AIOS_LLM: `openai:gpt-4.1-mini@${stub.url}`, OPENAI_API_KEY: 'sk-test' } });
});
afterAll(async () => {
  await h?.stop();
  await stub?.close();
});

const textTo = (to: string) => eventually(async () => h.sink.messages.find((m) => m.to === to), 15_000, `text to ${to}`);

describe('model-drafted missed-call text', () => {
  it('sends the model draft, records its cost, and passes caller ID only as delimited data', async () => {
    const draft = 'Hi Sam, sorry we missed your call at acme Co! What can we help with? Book here: https://book.example/acme';
    stub.enqueue({ content: draft });
    await h.voice('+14165550601', A.phone, { callerName: 'Sam Ignore-All-Rules' });
    expect((await textTo('+14165550601')).body).toBe(draft);
    const req = stub.requests.find((r) => r.path.endsWith('/chat/completions'))!;
    const messages = (req.body as { messages: Array<{ role: string; content: string }> }).messages;
    const system = messages.find((m) => m.role === 'system')!.content;
    const user = messages.find((m) => m.role === 'user')!.content;
    expect(system).not.toContain('Sam');
    expect(system).toMatch(/Voice rules from the owner:[\s\S]*no worries/);
    expect(user).toMatch(/<untrusted[^>]*caller-id-name[^>]*>[\s\S]*Sam[\s\S]*<\/untrusted>/);
    const ledger = await h.aios.db.selectFrom('ledger').selectAll().where('category', '=', 'ai.draft_missed_call').execute();
    expect(ledger).toHaveLength(1);
    expect(Number(ledger[0]!.ai_cost_micros)).toBeGreaterThan(0);
  });

  it('a draft with a foreign link or phone number is replaced by the template', async () => {
    stub.enqueue({ content: 'Sorry we missed you! Pay your deposit at http://evil.example/pay or call +1 900 555 0199.' });
    await h.voice('+14165550602', A.phone);
    const msg = await textTo('+14165550602');
    expect(msg.body).not.toContain('evil.example');
    expect(msg.body).not.toContain('900');
    expect(msg.body).toContain("sorry we missed your call");
  });

  it('a model draft is asked for one segment: typographic characters are made plain, a longer draft gives way to the template', async () => {
    const plain = 'Hi — sorry we missed your call! What can we help with? Just reply here.';
    stub.enqueue({ content: plain });
    await h.voice('+14165550604', A.phone);
    expect((await textTo('+14165550604')).body).toBe('Hi - sorry we missed your call! What can we help with? Just reply here.');
    const req = stub.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!;
    expect(JSON.stringify(req.body)).toContain('at most 160 characters (one SMS segment)');

    stub.enqueue({ content: `Hi! Sorry we missed your call. ${'We would love to help you with whatever you need today. '.repeat(3)}Reply here.` });
    await h.voice('+14165550605', A.phone);
    const msg = await textTo('+14165550605');
    expect(msg.body).toContain("it's acme Co - sorry we missed your call!");
    expect(countSegments(msg.body).segments).toBe(1);
  });

    it('a failing provider falls back to the template; the caller is still texted', async () => {
    stub.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    await h.voice('+14165550603', A.phone);
    const msg = await textTo('+14165550603');
    expect(msg.body).toContain('https://book.example/acme');
    const run = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').select('runs.id').where('signals.subject', '=', '+14165550603').executeTakeFirstOrThrow();
    const steps = (await h.api(h.aios.cliTokens.get(A.slug)!, 'GET', `/api/v1/runs/${encodeURIComponent(run.id)}`)).json.steps;
    expect(steps.find((s: any) => s.step_id === 'text-back.decide').detail.drafter).toBe('template (provider_error)');
  });
});
