import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';

const PRICES = `---
kind: pricing
title: Prices
---
# Prices

| service | price | unit |
|---|---|---|
| Drain cleaning | $149 | per visit |
| Water heater flush | $129 | per visit |
`;
const FAQ = `---
kind: faq
title: Do you work on weekends?
---
# Do you work on weekends?

Yes: Saturdays from 9 to 2. Sundays are for emergencies only, with a $75 surcharge.
`;

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY, files: { 'knowledge/prices.md': PRICES, 'knowledge/faq/weekends.md': FAQ } }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(() => h?.stop());

describe('knowledge through the API', () => {
  it('indexed the folder at start; answers with a citation', async () => {
    const r = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question: 'Do you work on Saturdays?' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('answered');
    expect(r.json.citations[0].file).toBe('faq/weekends.md');
    const facts = await h.api(token, 'GET', '/api/v1/knowledge/facts?type=price');
    expect(facts.json.facts.map((f: any) => f.amountCents).sort()).toEqual([12900, 14900]);
  });

  it('an unknown question becomes a gap; the owner answers once; the next asker gets the answer', async () => {
    const q = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question: 'Do you install heat pumps?' });
    expect(q.json.status).toBe('unknown');
    const gaps = await h.api(token, 'GET', '/api/v1/knowledge/gaps?status=open');
    const gap = gaps.json.gaps.find((g: any) => /heat pump/i.test(g.question));
    expect(gap).toBeDefined();
    const ans = await h.api(token, 'POST', `/api/v1/knowledge/gaps/${gap.id}/answer`, { text: 'Yes, we install and service heat pumps from Mitsubishi and Daikin.' });
    expect(ans.status).toBe(200);
    const again = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question: 'Can you install a heat pump?' });
    expect(again.json.status).toBe('answered');
    expect(again.json.text).toMatch(/heat pumps/i);
  });

  it('a sync can stream its progress (for the CLI progress bar)', async () => {
    const res = await fetch(`${h.aios.url}/api/v1/knowledge/sync`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/x-ndjson' } });
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.progress);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1).progress.done).toBe(progress.at(-1).progress.total);
    expect(lines.at(-1).result.stats.unchanged).toBeGreaterThanOrEqual(2);
  });

  it('bad input is refused clearly', async () => {
    expect((await h.api(token, 'POST', '/api/v1/knowledge/ask', {})).status).toBe(400);
    expect((await h.api(token, 'GET', '/api/v1/knowledge/search')).status).toBe(400);
    expect((await h.api(token, 'GET', '/api/v1/knowledge/search?q=drain&kind=recipe')).status).toBe(400);
  });

  it('the watcher picks up an edited file', async () => {
    writeFileSync(join(h.home, 'tenants', 'acme', 'knowledge', 'faq', 'parking.md'), '---\nkind: faq\ntitle: Where do your trucks park?\n---\n# Where do your trucks park?\n\nOur vans park in your driveway or on the street; no parking fee is charged to you.\n');
    await eventually(async () => (await h.api(token, 'GET', '/api/v1/knowledge/search?q=vans%20driveway')).json.hits.length > 0, 10_000, 'watcher re-index');
  });
});

describe('groundedness at the policy gate', () => {
  it('a text quoting a price the knowledge supports goes out; an unsupported price waits for the owner', async () => {
    const to = '+14165550801';
    await h.sms(to, '+14165550100', 'How much is drain cleaning?');
    const ok = await h.api(token, 'POST', '/api/v1/actions/sms', { to, body: 'Drain cleaning is $149 per visit.' });
    await eventually(async () => h.sink.messages.find((m) => m.to === to && m.body.includes('$149')), 10_000, 'grounded text');
    expect(ok.status).toBe(202);
    const bad = await h.api(token, 'POST', '/api/v1/actions/sms', { to, body: 'Good news: drain cleaning is only $99 today!' });
    const approval = await eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.run_id === bad.json.runId), 10_000, 'approval');
    expect(approval.reasons.map((r: any) => r.rule)).toEqual(['ungrounded']);
    expect(approval.reasons[0].detail).toMatch(/\$99/);
    expect(h.sink.messages.filter((m) => m.body.includes('$99'))).toHaveLength(0);
  });
});
