import { wroteToUs } from './support/wrote-to-us.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, APPROVE_FIRST_POLICY, tenantYaml, type Harness, type TestTenant } from './support/harness.js';
import { countSegments } from '../src/core/sms-segments.js';

/** A tenant.yaml like the test default, with a typographic sign-off and, optionally, the owner's `sms` setting. */
function withProfile(t: TestTenant, extra: string): TestTenant {
  const yaml = tenantYaml(t).replace('  tone: friendly\n', `  tone: friendly\n  sign_off: "— Jo"\n${extra}`);
  return { ...t, files: { 'tenant.yaml': yaml } };
}

const A = withProfile({ slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111', policy: AUTO_POLICY }, '');
const B = withProfile({ slug: 'bolt', phone: '+14165550200', ownerPhone: '+14165550211', policy: AUTO_POLICY }, '  sms:\n    plain_characters: true\n');
const C = withProfile({ slug: 'cove', phone: '+14165550300', ownerPhone: '+14165550311', policy: APPROVE_FIRST_POLICY }, '');
const TYPOGRAPHIC = '“Hi” — your part is in… call us any time today, we’re open until six and happy to help with anything else you need.';

let h: Harness;
beforeAll(async () => {
  h = await startHarness([A, B, C]);
});
afterAll(() => h?.stop());

const token = (slug: string) => h.aios.cliTokens.get(slug)!;
/** Makes the numbers customers who wrote to us before: a proposed text to someone with no conversation would wait for the owner (rule outside_conversation). */
const importCustomers = async (slug: string, phones: string[]) => {
  const res = await fetch(`${h.aios.url}/api/v1/imports/contacts`, { method: 'POST', headers: { authorization: `Bearer ${token(slug)}`, 'content-type': 'text/csv' }, body: `name,phone\n${phones.map((p, i) => `Customer ${i},${p}`).join('\n')}\n` });
  expect(res.status).toBe(200);
  await wroteToUs(h, slug, phones);
};
const textTo = (to: string) => eventually(async () => h.sink.messages.find((m) => m.to === to), 15_000, `text to ${to}`);
const outboxTo = (slug: string, to: string) =>
  eventually(async () => (await h.api(token(slug), 'GET', '/api/v1/outbox')).json.outbox.find((r: any) => r.recipient === to && r.status === 'sent'), 10_000, `sent outbox row to ${to}`);

describe('SMS segments', () => {
  it('the missed-call text goes out as one GSM-7 segment (typographic sign-off made plain) and the outbox records it', async () => {
    const caller = '+14165550401';
    await h.voice(caller, A.phone, { callerName: 'Samantha Lee' });
    const msg = await textTo(caller);
    expect(countSegments(msg.body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(msg.body).toContain('acme Co');
    expect(msg.body).not.toMatch(/[—“”’…]/);
    expect((await outboxTo('acme', caller)).segments).toBe(1);
  });

  it('a text others wrote is sent as written unless the owner allows plain characters', async () => {
    await importCustomers('acme', ['+14165550402']);
    await importCustomers('bolt', ['+14165550403']);
    const asIs = await h.api(token('acme'), 'POST', '/api/v1/actions/sms', { to: '+14165550402', body: TYPOGRAPHIC });
    expect(asIs.status).toBe(202);
    expect((await textTo('+14165550402')).body).toBe(TYPOGRAPHIC);
    const written = countSegments(TYPOGRAPHIC);
    expect(written).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect((await outboxTo('acme', '+14165550402')).segments).toBe(2);

    const plain = await h.api(token('bolt'), 'POST', '/api/v1/actions/sms', { to: '+14165550403', body: TYPOGRAPHIC });
    expect(plain.status).toBe(202);
    const sent = await textTo('+14165550403');
    expect(sent.body).toBe('"Hi" - your part is in... call us any time today, we\'re open until six and happy to help with anything else you need.');
    expect((await outboxTo('bolt', '+14165550403')).segments).toBe(1);
  });

  it('the ledger totals count texts, segments and their estimated price', async () => {
    await importCustomers('bolt', ['+14165550404']);
    const before = (await h.api(token('bolt'), 'GET', '/api/v1/ledger')).json.totals;
    await h.api(token('bolt'), 'POST', '/api/v1/actions/sms', { to: '+14165550404', body: 'x'.repeat(200) });
    await outboxTo('bolt', '+14165550404');
    const after = (await h.api(token('bolt'), 'GET', '/api/v1/ledger')).json.totals;
    expect(after.smsSent - before.smsSent).toBe(1);
    expect(after.smsSegments - before.smsSegments).toBe(2);
    expect(after.smsCostMicros).toBe(after.smsSegments * 8300);
    const status = (await h.api(token('bolt'), 'GET', '/api/v1/status')).json;
    expect(status.ledger.smsSegments).toBe(after.smsSegments);
  });

  it('approvals show the segment count (API and approval page); an owner edit is sent as written', async () => {
    const caller = '+14165550405';
    await h.voice(caller, C.phone);
    const approval = await eventually(async () => (await h.api(token('cove'), 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === caller), 10_000, 'approval');
    expect(approval.segments).toMatchObject({ encoding: 'GSM-7', segments: 1, unitsPerSegment: 160, ucs2Chars: [] });
    expect(approval.segments.units).toBe(approval.proposal.body.length);

    const notice = await eventually(async () => h.sink.messages.find((m) => m.to === C.ownerPhone && m.body.includes(caller)), 10_000, 'owner notice');
    const link = /http:\/\/\S+\/a\/[A-Za-z0-9_-]+/.exec(notice.body)![0];
    const html = await (await fetch(link)).text();
    expect(html).toContain('1 SMS segment (GSM-7)');
    expect((await outboxTo('cove', C.ownerPhone!)).segments).toBe(countSegments(notice.body).segments);

    const edited = 'Hi — sorry we missed you! What do you need?';
    const res = await h.api(token('cove'), 'POST', `/api/v1/approvals/${approval.id}/approve`, { body: edited });
    expect(res.status).toBe(200);
    expect((await textTo(caller)).body).toBe(edited);
    expect((await outboxTo('cove', caller)).segments).toBe(1);
  });

  it('an approval page names the characters that force UCS-2', async () => {
    const caller = '+14165550406';
    const r = await h.api(token('cove'), 'POST', '/api/v1/actions/sms', { to: caller, body: TYPOGRAPHIC });
    expect(r.status).toBe(202);
    const approval = await eventually(async () => (await h.api(token('cove'), 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === caller), 10_000, 'approval');
    expect(approval.segments).toMatchObject({ encoding: 'UCS-2', segments: 2, ucs2Chars: ['“', '”', '—', '…', '’'] });
    const notice = await eventually(async () => h.sink.messages.find((m) => m.to === C.ownerPhone && m.body.includes(caller)), 10_000, 'owner notice');
    const link = /http:\/\/\S+\/a\/[A-Za-z0-9_-]+/.exec(notice.body)![0];
    const html = await (await fetch(link)).text();
    expect(html).toContain('2 SMS segments (UCS-2 because of “ ” — … ’)');
  });
});
