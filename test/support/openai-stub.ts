/**
 * A local stand-in for remote model APIs, for tests and benchmarks. It speaks the wire formats the
 * AI SDK providers use, so the real provider code path runs end to end:
 *
 *   POST /v1/chat/completions   OpenAI chat completions (also Ollama, vLLM, LM Studio)
 *   POST /v1/embeddings         OpenAI embeddings (deterministic vectors unless scripted)
 *   POST /v1/messages           Anthropic messages
 *
 * Replies are scripted: `stub.enqueue(...)` queues replies that chat and messages requests consume
 * in order. When the queue is empty a chat request gets {@link UNSCRIPTED_REPLY} so an unexpected
 * call is visible in assertions instead of hanging. Every request is recorded in `stub.requests`.
 * No streaming: AIOS calls models non-streaming.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply. `delayMs` (milliseconds) may be combined with any other field. */
export type StubReply =
  | { content: string; usage?: StubUsage; delayMs?: number }
  | { toolCall: { name: string; arguments: unknown }; usage?: StubUsage; delayMs?: number }
  /** A raw HTTP body (e.g. broken JSON on the wire), sent with `status` (default 200). */
  | { raw: string; status?: number; delayMs?: number }
  /** An HTTP error with an OpenAI-style error body. */
  | { status: number; message?: string; delayMs?: number }
  /** Only a delay, then {@link UNSCRIPTED_REPLY}. */
  | { delayMs: number };

/** Token counts the stub reports; when absent it estimates 1 token per 4 characters. */
export interface StubUsage {
  prompt: number;
  completion: number;
}

/** A scripted embeddings reply: explicit vectors, or an HTTP error. */
export type StubEmbeddingReply = { vectors: number[][]; delayMs?: number } | { status: number; message?: string; delayMs?: number };

/** What the stub received. `body` is the parsed JSON body (or the raw text when it was not JSON). */
export interface StubRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  receivedAt: Date;
}

export interface OpenAIStub {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1`; use in `openai:model@<url>`. */
  url: string;
  /** Requests received so far, oldest first. */
  requests: StubRequest[];
  /** Queues replies for chat-completions and Anthropic messages requests, consumed in order. */
  enqueue(...replies: StubReply[]): void;
  /** Queues replies for embeddings requests; unscripted embeddings get deterministic vectors. */
  enqueueEmbeddings(...replies: StubEmbeddingReply[]): void;
  /** Number of chat replies still queued. */
  pending(): number;
  /** Clears the queues and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

/** The content of a reply to a request that was not scripted. */
export const UNSCRIPTED_REPLY = '(openai-stub: no reply queued)';
/** Dimensions of the stub's deterministic embeddings. */
export const STUB_EMBEDDING_DIMENSIONS = 8;

/** Starts the stub on 127.0.0.1 at `port` (default 0: a free port). */
export async function startOpenAIStub(opts: { port?: number } = {}): Promise<OpenAIStub> {
  const requests: StubRequest[] = [];
  const chatQueue: StubReply[] = [];
  const embedQueue: StubEmbeddingReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(err), type: 'stub_error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the raw text */
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, receivedAt: new Date() });
    if (req.method !== 'POST') return send(res, 405, { error: { message: 'method not allowed' } });

    if (path === '/v1/embeddings') {
      const reply = embedQueue.shift();
      if (reply?.delayMs) await sleep(reply.delayMs, res);
      if (res.destroyed) return;
      if (reply && 'status' in reply) return sendError(res, reply.status, reply.message);
      const inputs: string[] = Array.isArray(body?.input) ? body.input : [String(body?.input ?? '')];
      const vectors = reply && 'vectors' in reply ? reply.vectors : inputs.map(hashVector);
      return send(res, 200, {
        object: 'list',
        data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        model: body?.model ?? 'stub-embedding',
        usage: { prompt_tokens: estimate(inputs.join(' ')), total_tokens: estimate(inputs.join(' ')) },
      });
    }
    if (path !== '/v1/chat/completions' && path !== '/v1/messages') {
      return send(res, 404, { error: { message: `stub has no route ${path}`, type: 'not_found' } });
    }
    const reply: StubReply = chatQueue.shift() ?? { content: UNSCRIPTED_REPLY };
    if (reply.delayMs) await sleep(reply.delayMs, res);
    if (res.destroyed) return;
    if ('raw' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(reply.raw);
      return;
    }
    if ('status' in reply) return sendError(res, reply.status, reply.message);
    const id = `stub-${++seq}`;
    const scripted = 'content' in reply || 'toolCall' in reply ? reply : { content: UNSCRIPTED_REPLY };
    const usage = ('usage' in scripted && scripted.usage) || {
      prompt: estimate(JSON.stringify(body?.messages ?? '')),
      completion: estimate('content' in scripted ? scripted.content : JSON.stringify(scripted.toolCall)),
    };
    if (path === '/v1/messages') return send(res, 200, anthropicMessage(id, body, scripted, usage));
    send(res, 200, chatCompletion(id, body, scripted, usage));
  }

  function sleep(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
      res.once('close', () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...r) => void chatQueue.push(...r),
    enqueueEmbeddings: (...r) => void embedQueue.push(...r),
    pending: () => chatQueue.length,
    reset: () => {
      chatQueue.length = 0;
      embedQueue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Scripted = Extract<StubReply, { content: string } | { toolCall: unknown }>;

function chatCompletion(id: string, req: any, reply: Scripted, usage: StubUsage): Record<string, unknown> {
  const message =
    'toolCall' in reply
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${id}`,
              type: 'function',
              function: { name: reply.toolCall.name, arguments: asArguments(reply.toolCall.arguments) },
            },
          ],
        }
      : { role: 'assistant', content: reply.content };
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req?.model ?? 'stub-model',
    choices: [{ index: 0, message, finish_reason: 'toolCall' in reply ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

/**
 * Anthropic messages reply. When the request forces a tool (as the AI SDK does for structured
 * output) and the script gave `content`, the content is returned as that tool's JSON input.
 */
function anthropicMessage(id: string, req: any, reply: Scripted, usage: StubUsage): Record<string, unknown> {
  const forced = req?.tool_choice?.type === 'tool' ? String(req.tool_choice.name) : null;
  let block: Record<string, unknown>;
  if ('toolCall' in reply) {
    block = { type: 'tool_use', id: `toolu_${id}`, name: reply.toolCall.name, input: asInput(reply.toolCall.arguments) };
  } else if (forced) {
    block = { type: 'tool_use', id: `toolu_${id}`, name: forced, input: asInput(reply.content) };
  } else {
    block = { type: 'text', text: reply.content };
  }
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: req?.model ?? 'stub-model',
    content: [block],
    stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.prompt, output_tokens: usage.completion },
  };
}

function asArguments(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args);
}

function asInput(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    return { _unparsable: args };
  }
}

function sendError(res: ServerResponse, status: number, message?: string): void {
  const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_error' : 'server_error';
  send(res, status, { error: { message: message ?? `stub error ${status}`, type, code: String(status) } });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** About one token per four characters, at least 1. */
function estimate(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** A unit-length vector derived from the text's SHA-256, so equal texts embed equally. */
function hashVector(text: string): number[] {
  const h = createHash('sha256').update(text).digest();
  const v = Array.from({ length: STUB_EMBEDDING_DIMENSIONS }, (_, i) => (h[i] ?? 0) / 255 - 0.5);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
