import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

// Authenticated JSON bodies had no size limit: a 150 MB body was buffered whole (RSS 168 → 595 MB).
const A = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const MiB = 1024 * 1024;
/** A JSON proposal padded to `bytes`, as one string (sent with Content-Length). */
const bigProposal = (bytes: number) => `{"to":"+14165550177","body":"${'x'.repeat(bytes - 40)}"}`;
/** The same, streamed in 64 KiB chunks without Content-Length (chunked); generated lazily. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream({
    start(ctl) {
      ctl.enqueue(new TextEncoder().encode('{"to":"+14165550177","body":"'));
    },
    pull(ctl) {
      if (sent >= bytes) {
        ctl.enqueue(new TextEncoder().encode('"}'));
        ctl.close();
        return;
      }
      sent += chunk.length;
      ctl.enqueue(chunk);
    },
  });
}
const post = (path: string, body: string | ReadableStream<Uint8Array>, auth = true) =>
  fetch(`${h.aios.url}${path}`, {
    method: 'POST', body, duplex: 'half',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
  } as RequestInit);
/**
 * Streams `bytes` of JSON body in 64 KiB chunks with node:http (no Content-Length) and resolves with
 * the status as soon as the answer arrives; a connection closed while still sending after that is
 * expected (the server stops reading a refused body).
 */
function streamWithNodeHttp(path: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.aios.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', (err) => reject(err));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    req.write('{"to":"+14165550177","body":"');
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end('"}');
    };
    pump();
  });
}
const signals = async () => (await h.aios.db.selectFrom('signals').select('id').execute()).length;

describe('JSON bodies have a size limit: 413 before buffering', () => {
  it('2 MB with Content-Length to /api/v1/actions/sms → 413 naming the limit, nothing stored', async () => {
    const before = await signals();
    const res = await post('/api/v1/actions/sms', bigProposal(2 * MiB));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'too_large', message: 'body over 64 KiB', fix: expect.any(String) });
    expect(await signals()).toBe(before);
  });

  it('2 MB chunked (no Content-Length) to /api/v1/actions/sms → 413, nothing stored', async () => {
    const before = await signals();
    const res = await post('/api/v1/actions/sms', chunked(2 * MiB));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toBe('body over 64 KiB');
    expect(await signals()).toBe(before);
  });

  it('a 200 MB chunked body is cut off at the limit: server memory stays flat', async () => {
    const base = process.memoryUsage();
    let peak = 0;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - (base.heapUsed + base.arrayBuffers));
    }, 5);
    try {
      const status = await streamWithNodeHttp('/api/v1/actions/sms', 200 * MiB);
      expect(status).toBe(413);
    } finally {
      clearInterval(sample);
    }
    // Buffering the body (as before the fix) holds ≥ 200 MB at once.
    expect(peak).toBeLessThan(64 * MiB);
  });

  it('the same limit holds for /mcp, the knowledge API and other /api/v1 routes', async () => {
    for (const path of ['/mcp', '/api/v1/knowledge/ask', '/api/v1/approvals/apr_x/reject', '/api/v1/tokens']) {
      const res = await post(path, bigProposal(2 * MiB));
      expect([path, res.status]).toEqual([path, 413]);
      expect(((await res.json()) as { error: string }).error).toBe('too_large');
    }
  });

  it('a body just under the limit is accepted', async () => {
    const res = await post('/api/v1/actions/sms', JSON.stringify({ to: '+14165550177', body: 'Hello', idempotencyKey: 'k'.repeat(150), pad: undefined }));
    expect(res.status).toBe(202);
    const near = await post('/api/v1/knowledge/ask', JSON.stringify({ question: 'x'.repeat(900) }).padEnd(60 * 1024, ' '));
    expect(near.status).toBe(200);
  });

  it('CSV imports keep their own, larger limit (50 MB): a 1 MB CSV is imported', async () => {
    const rows = ['First Name,Last Name,Email,Phone Number'];
    for (let i = 0, size = 0; size < MiB; i++) size += rows[rows.push(`Ana${i},Silva,ana${i}@example.com,+1416555${String(i % 10000).padStart(4, '0')}`) - 1]!.length + 1;
    const res = await fetch(`${h.aios.url}/api/v1/imports/contacts?dryRun=1`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: rows.join('\n') });
    expect(res.status).toBe(200);
  });
});
