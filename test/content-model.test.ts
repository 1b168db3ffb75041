import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './support/harness.js';
import { startOpenAIStub, type OpenAIStub } from './support/openai-stub.js';
import { ManualClock } from '../src/core/clock.js';
import { PLATFORM_RULES } from '../src/autonomy/content/platform-rules.js';
import { checkPost } from '../src/autonomy/content/post-check.js';
import '../src/autonomy/content/tables.js';

/**
 * Model-written posts through the OpenAI-wire stub: the model writes each post in the business's
 * voice with the platform's rules in the prompt and the passage as untrusted data; a hostile reply
 * (a price the knowledge does not hold, a foreign link, a post over X's 280 characters) never
 * reaches a post: the template post is kept and the post's notes say why.
 */
const PHONE = '+14165550880';
const POLICY = 'version: 1\ndefault: approve\nactions:\n  content.publish: approve\n';
const TENANT = `slug: cedar
name: Cedar Plumbing
time_zone: America/Toronto
currency: CAD
phone: "${PHONE}"
owner:
  name: Cy Cedar
profile:
  booking_link: https://book.cedar.example/
playbooks:
  content-engine:
    posts_per_week: 4
    platforms: [x]
    hashtags: [TorontoPlumber]
`;
const DEMO = join(import.meta.dirname, '../demo');
const GOOD = 'Before the first hard frost, shut the valve to each outdoor faucet and drain it. A hose left on is how most burst pipes start. https://book.cedar.example/ #TorontoPlumber';
const clock = new ManualClock('2026-12-01T14:00:00Z');
let stub: OpenAIStub;
let h: Harness;
let token: string;

beforeAll(async () => {
  stub = await startOpenAIStub();
  const k = (f: string) => readFileSync(join(DEMO, 'knowledge', f), 'utf8');
  h = await startHarness([{ slug: 'cedar', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT, 'knowledge/voice.md': k('voice.md'), 'knowledge/price-list.csv': k('price-list.csv') } }], {
    clock, config: { AIOS_WAKE_EVERY_MS: '200' }, env: { AIOS_LLM: `openai:gpt-4.1-mini@${stub.url}`, OPENAI_API_KEY: 'sk-test' },
  });
  token = h.aios.cliTokens.get('cedar')!;
  expect((await h.api(token, 'POST', '/api/v1/content/sources', { name: 'winter-ready-home.md', text: readFileSync(join(DEMO, 'content/winter-ready-home.md'), 'utf8') })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await stub?.close();
});

describe('content engine with a model', { timeout: 60_000 }, () => {
  it('keeps a model post that passes every check; a price, a foreign link or an over-long post falls back to the template, noted', async () => {
    stub.enqueue(
      { content: JSON.stringify({ text: GOOD }) },
      { content: JSON.stringify({ text: 'Furnace acting up? Our full tune-up is only $49 this week. Book: https://book.cedar.example/ #TorontoPlumber' }) },
      { content: JSON.stringify({ text: 'Frozen pipe? Read our full guide at https://evil.example/win before you call anyone. #TorontoPlumber' }) },
      { content: JSON.stringify({ text: `Drains give up before the holidays. ${'Keep grease out of the kitchen sink and run hot water after. '.repeat(6)}#TorontoPlumber` }) },
    );
    const drafted = await h.api(token, 'POST', '/api/v1/content/weeks', {});
    expect(drafted.status, JSON.stringify(drafted.json)).toBe(201);
    const posts = drafted.json.posts as any[];
    expect(posts).toHaveLength(4);
    expect(stub.pending()).toBe(0);
    const calls = stub.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect(calls).toHaveLength(4);
    // The prompt: the voice as the system prompt, X's rules, the passage as delimited data.
    const msgs = calls[0]!.body.messages as { role: string; content: string }[];
    const system = msgs.find((m) => m.role === 'system')!.content;
    const user = msgs.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    expect(system).toMatch(/Cedar Plumbing/);
    expect(system).toMatch(/voice file/);
    expect(user).toMatch(/never more than 280/);
    expect(user).toMatch(/a URL counts as 23 characters/);
    expect(user).toMatch(/<untrusted source="source_passage"/);
    const [first, ...rest] = posts;
    expect(first).toMatchObject({ writer: 'model', text: GOOD, notes: [] });
    const notes = rest.map((p) => p.notes.join(' '));
    expect(rest.every((p) => p.writer === 'template')).toBe(true);
    expect(notes[0]).toMatch(/the model's post was not used: "\$49" is not supported by the knowledge/);
    expect(notes[1]).toMatch(/the model's post was not used: a link that is not the business's own \(https:\/\/evil\.example\/win\)/);
    expect(notes[2]).toMatch(/the model's post was not used: \d+ characters; X allows 280/);
    for (const p of posts) {
      expect(p.text).not.toMatch(/\$49|evil\.example|grease out of the kitchen sink and run hot water after\. Keep/);
      expect(checkPost({ text: p.text, cta: p.cta, imageNote: p.imageNote, imageRequired: p.imageRequired }, PLATFORM_RULES.x, [])).toEqual([]);
    }
    // The model's calls are in the ledger under their purpose.
    const ai = await h.aios.db.selectFrom('ledger').select('category').where('category', '=', 'ai.content_post').execute();
    expect(ai).toHaveLength(4);
  });

  it('a refused key: one call, then templates for the rest of the week, each noted; the week is still drafted', async () => {
    const before = stub.requests.length;
    stub.enqueue({ status: 401, message: 'invalid api key' });
    const drafted = await h.api(token, 'POST', '/api/v1/content/weeks', { week: '2026-12-14' });
    expect(drafted.status, JSON.stringify(drafted.json)).toBe(201);
    const posts = drafted.json.posts as any[];
    expect(posts).toHaveLength(4);
    expect(stub.requests.length - before).toBe(1);
    expect(posts.map((p) => p.writer)).toEqual(['template', 'template', 'template', 'template']);
    expect(posts[0].notes).toEqual(['model unavailable (auth): template post']);
    for (const p of posts.slice(1)) expect(p.notes).toEqual(['model not asked (auth earlier this week): template post']);
  });
});
