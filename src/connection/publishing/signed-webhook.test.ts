import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { setOutboundPolicy, outboundPolicy } from '../framework/address-policy.js';
import { postSigned, signBody, verifySignature, PublishWebhookCredentials } from './signed-webhook.js';

const SECRET = 'a-secret-of-at-least-24-chars';
const NOW = new Date('2026-12-08T13:30:00Z');
const TS = Math.floor(NOW.getTime() / 1000);
let server: Server;
let base = '';
const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const before = outboundPolicy();

beforeAll(async () => {
  setOutboundPolicy({ ...before, allowLoopback: true });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      const status = Number(req.url?.slice(1)) || 200;
      res.writeHead(status, status === 429 ? { 'retry-after': '7' } : {}).end(req.url === '/200' ? '{"url":"https://social.example/p/1","id":42}' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  setOutboundPolicy(before);
  await new Promise<void>((r) => server.close(() => r()));
});

describe('signed publishing webhook', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 and the receiver check refuses tampering and old timestamps', () => {
    const body = '{"text":"hi"}';
    const sig = signBody(SECRET, TS, body);
    expect(sig).toBe(`v1=${createHmac('sha256', SECRET).update(`${TS}.${body}`).digest('hex')}`);
    expect(verifySignature(SECRET, { timestamp: String(TS), signature: sig }, body, TS + 10)).toBe(true);
    expect(verifySignature(SECRET, { timestamp: String(TS), signature: sig }, '{"text":"hi!"}', TS)).toBe(false);
    expect(verifySignature('another-secret-of-24-chars!!', { timestamp: String(TS), signature: sig }, body, TS)).toBe(false);
    expect(verifySignature(SECRET, { timestamp: String(TS), signature: sig }, body, TS + 301)).toBe(false);
    expect(verifySignature(SECRET, { timestamp: null, signature: sig }, body, TS)).toBe(false);
  });

  it('POSTs with the timestamp, signature and delivery headers and reads the URL back', async () => {
    const r = await postSigned({ url: `${base}/200`, secret: SECRET }, { text: 'Hello' }, 'obx_1', NOW);
    expect(r).toEqual({ status: 200, url: 'https://social.example/p/1', id: '42' });
    const got = seen.at(-1)!;
    expect(got.headers['x-aios-timestamp']).toBe(String(TS));
    expect(got.headers['x-aios-delivery']).toBe('obx_1');
    expect(verifySignature(SECRET, { timestamp: String(got.headers['x-aios-timestamp']), signature: String(got.headers['x-aios-signature']) }, got.body, TS)).toBe(true);
  });

  it('4xx is a refusal (not retried), 401 an auth error, 429 and 5xx are retried', async () => {
    await expect(postSigned({ url: `${base}/422`, secret: SECRET }, {}, 'd', NOW)).rejects.toMatchObject({ kind: 'invalid_input', retryable: false, message: expect.stringMatching(/refused the post \(HTTP 422\): no/) });
    await expect(postSigned({ url: `${base}/401`, secret: SECRET }, {}, 'd', NOW)).rejects.toMatchObject({ kind: 'auth', retryable: false });
    await expect(postSigned({ url: `${base}/429`, secret: SECRET }, {}, 'd', NOW)).rejects.toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterSeconds: 7 });
    await expect(postSigned({ url: `${base}/503`, secret: SECRET }, {}, 'd', NOW)).rejects.toMatchObject({ kind: 'network', retryable: true });
  });

  it('never reaches the metadata address, and refuses a short secret', async () => {
    const n = seen.length;
    await expect(postSigned({ url: 'http://169.254.169.254/latest', secret: SECRET }, {}, 'd', NOW)).rejects.toMatchObject({ code: 'address_refused' });
    expect(seen.length).toBe(n);
    expect(PublishWebhookCredentials.safeParse({ url: base, secret: 'short' }).success).toBe(false);
  });
});
