/**
 * Speed-to-lead: signed web-form leads at a steady rate into a running AIOS (a child process on its
 * embedded PostgreSQL, auto policy, SMS to a local Twilio sink); for each lead, the time from the
 * webhook request to its first text (answer + three bookable times) at the sink. Prints a Markdown
 * table. Environment: BENCH_LEAD_RATES (leads/s, default "10,50"), BENCH_LEAD_SECONDS (per rate,
 * default 15).
 */
import { rmSync } from 'node:fs';
import { startTwilioSink } from '../../test/support/twilio-sink.js';
import { makeHome, tenantYaml, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type TestTenant } from '../../test/support/tenant-files.js';
import { startChild } from '../../test/support/child-aios.js';
import { signFormBody } from '../../src/connection/forms/signature.js';
import { percentile, printTable } from '../lib/stats.js';

const rates = (process.env.BENCH_LEAD_RATES ?? '10,50').split(',').map(Number);
const seconds = Number(process.env.BENCH_LEAD_SECONDS ?? 15);
const SECRET = 'bench-form-secret-0123456789abcdef';
const HOURS = `  hours:\n${['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `    ${d}: ["07:00", "21:00"]\n`).join('')}`;
const tenant: TestTenant = { slug: 'bench', phone: '+14165550100', policy: AUTO_POLICY.replace('max_per_recipient_per_day: 3', 'max_per_recipient_per_day: 100') };
tenant.files = {
  'tenant.yaml': tenantYaml(tenant).replace('profile:\n', `profile:\n${HOURS}`) + 'booking:\n  days_ahead: 60\n  min_notice_minutes: 0\n',
  'forms.yaml': `forms:\n  secret: "${SECRET}"\n`,
  'knowledge/prices.md': '---\nkind: pricing\ntitle: Prices\n---\n\n# Prices\n\nA water heater installation costs $1,200 including the removal of the old tank.\n',
};

const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const home = makeHome([tenant]);
const child = await startChild(home, { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url, AIOS_LOG_LEVEL: 'error' });
const nowMs = () => performance.timeOrigin + performance.now();

let seq = 0;
const nextPhone = () => `+1647${String(3_000_000 + seq++).padStart(7, '0')}`;

/** Posts one signed lead; returns its phone and when the request left. */
async function lead(): Promise<{ phone: string; sentAt: number; ok: boolean }> {
  const phone = nextPhone();
  const body = JSON.stringify({ name: 'Bench Lead', phone, message: 'How much is a water heater installation?' });
  const ts = String(Math.floor(Date.now() / 1000));
  const sentAt = nowMs();
  const res = await fetch(`${child.url}/hooks/forms/${tenant.slug}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) }, body });
  await res.arrayBuffer();
  return { phone, sentAt, ok: res.status === 201 };
}

/** Lead → first text at the sink, per lead (ms); waits up to `timeoutMs` for the stragglers. */
async function firstReplies(sent: Array<{ phone: string; sentAt: number }>, timeoutMs = 60_000): Promise<number[]> {
  const end = Date.now() + timeoutMs;
  const firstAt = () => {
    const m = new Map<string, number>();
    for (const s of sink.messages) if (!m.has(s.to)) m.set(s.to, Date.parse(s.receivedAt));
    return m;
  };
  let seen = firstAt();
  while (Date.now() < end && sent.some((s) => !seen.has(s.phone))) {
    await new Promise((r) => setTimeout(r, 200));
    seen = firstAt();
  }
  return sent.filter((s) => seen.has(s.phone)).map((s) => seen.get(s.phone)! - s.sentAt);
}

// Warm-up: JIT, pools, the knowledge index.
await firstReplies(await Promise.all(Array.from({ length: 10 }, lead)));

const rows: Array<Array<string | number>> = [];
for (const rate of rates) {
  const total = rate * seconds;
  const pending: Array<Promise<{ phone: string; sentAt: number; ok: boolean }>> = [];
  const t0 = nowMs();
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / rate - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(lead());
  }
  const sent = await Promise.all(pending);
  const stored = sent.filter((s) => s.ok);
  const lat = await firstReplies(stored);
  rows.push([rate, total, stored.length, lat.length, percentile(lat, 50), percentile(lat, 99), Math.max(...lat), lat.filter((l) => l <= 60_000).length / Math.max(1, stored.length) * 100]);
  await new Promise((r) => setTimeout(r, 1000));
}

child.proc.kill('SIGTERM');
await child.exited;
await sink.close();
rmSync(home, { recursive: true, force: true });

printTable('Speed-to-lead: signed web lead in → first text (answer + three times) at the SMS sink', [
  'rate (leads/s)', 'leads', 'stored', 'answered', 'p50 ms', 'p99 ms', 'max ms', '% within 60 s',
], rows);
process.stdout.write(`\nmachine: ${(await import('node:os')).cpus().length} cores, Node ${process.version}; ${seconds} s per rate\n`);
process.exit(0);
