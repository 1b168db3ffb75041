import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { postTwilioWebhook, missedCallParams, twilioSid } from '../src/connection/twilio/webhook-client.js';

// Unauthenticated answers listed every business of the install ("Known tenants: …") and showed
// absolute paths under AIOS_HOME (forms not configured, widget off, an invalid forms.yaml).
const TENANTS = [
  { slug: 'acmeco', phone: '+14165550100' }, // forms.yaml valid
  { slug: 'noformsco', phone: '+14165550200' }, // no forms.yaml
  { slug: 'brokenco', phone: '+14165550300' }, // forms.yaml invalid
  { slug: 'quietco', phone: '+14165550400' }, // widget off
  { slug: 'hiddenco', phone: '+14165550500' }, // never named by any request below
];
let h: Harness;
beforeAll(async () => {
  h = await startHarness(TENANTS.map((t) => ({ ...t, policy: AUTO_POLICY })));
  const dir = (slug: string) => join(h.home, 'tenants', slug);
  writeFileSync(join(dir('acmeco'), 'forms.yaml'), 'forms:\n  secret: "form-secret-0123456789abcdef"\n');
  writeFileSync(join(dir('brokenco'), 'forms.yaml'), 'forms:\n  secret: short\n');
  writeFileSync(join(dir('quietco'), 'forms.yaml'), 'widget:\n  enabled: false\n');
});
afterAll(() => h?.stop());

interface Probe {
  name: string;
  send: () => Promise<Response>;
  /** Tenants the request itself names (they may appear in the answer). */
  names?: string[];
}

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.aios.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const twilio = (path: string, params: Record<string, string>) => postTwilioWebhook(`${h.aios.url}/hooks/twilio/${path}`, params, { authToken: AUTH_TOKEN });

const PROBES: Probe[] = [
  { name: 'unknown route', send: () => fetch(`${h.aios.url}/nope/deeper`) },
  { name: 'GET /health', send: () => fetch(`${h.aios.url}/health`) },
  { name: 'GET /openapi.json', send: () => fetch(`${h.aios.url}/openapi.json`) },
  { name: 'GET /widget.js', send: () => fetch(`${h.aios.url}/widget.js`) },
  { name: 'form: unknown business', send: () => json('/hooks/forms/nobody', { phone: '+14165550111' }) },
  { name: 'form: forms not configured', send: () => json('/hooks/forms/noformsco', { phone: '+14165550111' }), names: ['noformsco'] },
  { name: 'form: invalid forms.yaml', send: () => json('/hooks/forms/brokenco', { phone: '+14165550111' }), names: ['brokenco'] },
  { name: 'form: unsigned', send: () => json('/hooks/forms/acmeco', { phone: '+14165550111' }), names: ['acmeco'] },
  { name: 'widget: unknown business', send: () => json('/widget/nobody/ask', { question: 'hours?' }) },
  { name: 'widget: turned off', send: () => json('/widget/quietco/lead', { phone: '+14165550111' }), names: ['quietco'] },
  { name: 'widget: invalid forms.yaml', send: () => json('/widget/brokenco/ask', { question: 'hours?' }), names: ['brokenco'] },
  { name: 'widget: malformed JSON', send: () => json('/widget/acmeco/ask', '{"question":'), names: ['acmeco'] },
  { name: 'twilio: unsigned', send: () => fetch(`${h.aios.url}/hooks/twilio/voice`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA1' }) },
  { name: 'twilio: unknown number', send: () => twilio('voice', missedCallParams({ from: '+14165550177', to: '+15145550000', accountSid: ACCOUNT_SID })) },
  { name: 'twilio: bad fields', send: () => twilio('sms', { From: 'x', To: 'y' }) },
  { name: 'twilio: recording for an unknown call', send: () => twilio('recording', { AccountSid: ACCOUNT_SID, CallSid: twilioSid('CA'), RecordingSid: 'RE' + '1'.repeat(32), RecordingUrl: 'https://api.twilio.com/r' }) },
  { name: 'stripe: unknown connection', send: () => json('/hooks/stripe/con_nope', {}) },
  { name: 'approval link: GET unknown', send: () => fetch(`${h.aios.url}/a/not-a-token`) },
  { name: 'approval link: POST unknown', send: () => fetch(`${h.aios.url}/a/not-a-token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=approve' }) },
  { name: 'MCP without a token', send: () => json('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }) },
  { name: 'MCP with a bad token', send: () => json('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer aios_nope' }) },
  { name: 'API without a token', send: () => fetch(`${h.aios.url}/api/v1/status`) },
];

describe('unauthenticated answers name no other business and no server path', () => {
  it.each(PROBES.map((p) => [p.name, p] as const))('%s', async (_name, probe) => {
    const res = await probe.send();
    const text = await res.text();
    expect(res.status).toBeLessThan(600);
    for (const t of TENANTS) if (!probe.names?.includes(t.slug)) expect(text).not.toContain(t.slug);
    expect(text).not.toContain(h.home);
    expect(text).not.toContain(process.cwd());
  });

  it('the errors still say what is wrong and what to do', async () => {
    const unknown = await json('/hooks/forms/nobody', { phone: '+14165550111' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'bad_input', message: expect.stringContaining('nobody'), fix: expect.stringContaining('URL') });
    const notConfigured = await json('/hooks/forms/noformsco', { phone: '+14165550111' });
    expect(await notConfigured.json()).toMatchObject({ error: 'forms_not_configured', fix: expect.stringContaining('forms.yaml') });
    const broken = await json('/widget/brokenco/ask', { question: 'hours?' });
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ error: 'config_invalid', message: expect.stringContaining('AIOS log') });
  });
});
