import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIStub, STUB_EMBEDDING_DIMENSIONS, UNSCRIPTED_REPLY, type OpenAIStub } from './openai-stub.js';

let stub: OpenAIStub;
/** A fetch response whose JSON is loosely typed, for wire-format assertions. */
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const post = (path: string, body: unknown): Promise<Reply> =>
  fetch(stub.url.replace(/\/v1$/, '') + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  stub = await startOpenAIStub();
});
afterAll(() => stub?.close());
beforeEach(() => stub.reset());

describe('OpenAI stub wire format', () => {
  it('answers chat completions with content and usage, and records the request', async () => {
    stub.enqueue({ content: 'hello', usage: { prompt: 7, completion: 2 } });
    const res = await post('/v1/chat/completions', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4.1-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
    });
    expect(body.id).toMatch(/^stub-/);
    expect(stub.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4.1-mini' } });
  });

  it('answers tool calls with JSON-string arguments', async () => {
    stub.enqueue({ toolCall: { name: 'classify', arguments: { a: 1 } } });
    const body = await (await post('/v1/chat/completions', { model: 'm', messages: [] })).json();
    expect(body.choices[0].finish_reason).toBe('tool_calls');
    expect(body.choices[0].message.tool_calls[0]).toMatchObject({ type: 'function', function: { name: 'classify', arguments: '{"a":1}' } });
  });

  it('sends raw bodies, HTTP errors and delays in order, then the unscripted reply', async () => {
    stub.enqueue({ raw: 'not json' }, { status: 503, message: 'overloaded' }, { delayMs: 150, content: 'slow' });
    expect(await (await post('/v1/chat/completions', {})).text()).toBe('not json');
    const err = await post('/v1/chat/completions', {});
    expect(err.status).toBe(503);
    expect((await err.json()).error.message).toBe('overloaded');
    const started = Date.now();
    expect((await (await post('/v1/chat/completions', {})).json()).choices[0].message.content).toBe('slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(stub.pending()).toBe(0);
    expect((await (await post('/v1/chat/completions', {})).json()).choices[0].message.content).toBe(UNSCRIPTED_REPLY);
  });

  it('answers embeddings with deterministic unit vectors', async () => {
    const a = await (await post('/v1/embeddings', { model: 'e', input: ['x', 'y', 'x'] })).json();
    expect(a.data).toHaveLength(3);
    expect(a.data[0].embedding).toHaveLength(STUB_EMBEDDING_DIMENSIONS);
    expect(a.data[0].embedding).toEqual(a.data[2].embedding);
    expect(a.data[0].embedding).not.toEqual(a.data[1].embedding);
    expect(Math.hypot(...a.data[0].embedding)).toBeCloseTo(1, 6);
    stub.enqueueEmbeddings({ status: 500 });
    expect((await post('/v1/embeddings', { input: 'x' })).status).toBe(500);
  });

  it('answers Anthropic messages, turning content into a forced tool call', async () => {
    stub.enqueue({ content: 'plain' }, { content: '{"a":2}' });
    const text = await (await post('/v1/messages', { model: 'claude-sonnet-4-5', messages: [] })).json();
    expect(text).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'plain' }], stop_reason: 'end_turn' });
    expect(text.usage.input_tokens).toBeGreaterThan(0);
    const forced = await (await post('/v1/messages', { model: 'c', messages: [], tool_choice: { type: 'tool', name: 'json' } })).json();
    expect(forced.content[0]).toMatchObject({ type: 'tool_use', name: 'json', input: { a: 2 } });
    expect(forced.stop_reason).toBe('tool_use');
  });

  it('returns 404 for unknown routes', async () => {
    expect((await post('/v1/completions', {})).status).toBe(404);
  });
});
