import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';

/**
 * Walks the JSON-reading routes with bad input: every answer is a 4xx JSON error that says what
 * to do next (`fix` never empty), and a body over 64 KiB is a 413 whichever way it is sent.
 */
let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(() => h?.stop());

const ROUTES = [
  '/api/v1/tokens', '/api/v1/tokens/tok_x/revoke', '/api/v1/users',
  '/api/v1/approvals/apr_x/approve', '/api/v1/approvals/apr_x/reject',
  '/api/v1/actions/sms', '/api/v1/actions/tool', '/api/v1/connections',
  '/api/v1/knowledge/ask', '/api/v1/knowledge/gaps/gap_x/answer', '/api/v1/knowledge/groundedness',
  '/mcp', '/widget/acme/ask', '/widget/acme/lead',
  // The back office (issue 10).
  '/api/v1/signals/sig_x/snooze', '/api/v1/signals/sig_x/dismiss', '/api/v1/emails/em_x/category',
  '/api/v1/invoices/inv_x/paid', '/api/v1/deals/deal_x/proposal', '/api/v1/runs/run_x/retry',
  '/api/v1/playbooks/missed-call-text-back/run', '/api/v1/playbooks/missed-call-text-back/shadow',
];

const big = JSON.stringify({ text: 'x'.repeat(70 * 1024) });

async function post(path: string, body: RequestInit['body'], extra: RequestInit = {}) {
  const res = await fetch(`${h.aios.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'https://shop.example' },
    body, ...extra,
  } as RequestInit);
  const text = await res.text();
  let json: any = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({ pull(c) { if (at >= bytes.length) return c.close(); c.enqueue(bytes.subarray(at, at + 8192)); at += 8192; } });
}

describe('every JSON route: errors say what to do next', () => {
  it.each(ROUTES)('%s: a body over 64 KiB is 413 with a fix (Content-Length and chunked)', async (path) => {
    for (const r of [await post(path, big), await post(path, chunked(big), { duplex: 'half' } as RequestInit)]) {
      expect(r.status, r.text).toBe(413);
      expect(r.json?.error).toBe('too_large');
      expect(r.json?.fix, r.text).toMatch(/\S/);
    }
  });

  // /mcp answers JSON-RPC errors as the MCP spec defines them, so it is left out here.
  it.each(ROUTES.filter((r) => r !== '/mcp'))('%s: broken JSON and a wrong shape are 4xx with a non-empty fix', async (path) => {
    for (const body of ['{"to": ', '{"unexpected": 1}', '[]']) {
      const r = await post(path, body);
      if (r.status < 400) continue; // a route may accept an empty-ish body (e.g. revoke)
      expect(r.status, `${path} ${body}: ${r.text}`).toBeLessThan(500);
      const err = r.json?.error && typeof r.json.error === 'object' ? r.json.error : r.json; // JSON-RPC nests it
      expect(err?.fix ?? err?.data?.fix, `${path} ${body}: ${r.text}`).toMatch(/\S/);
    }
  });
});
