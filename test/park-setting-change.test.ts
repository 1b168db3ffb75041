import { describe, it, expect } from 'vitest';
import { startTwilioSink } from './support/twilio-sink.js';
import { makeHome, eventually, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { startChild, cleanUpChildrenAfterAll, type ChildAios } from './support/child-aios.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../src/connection/twilio/webhook-client.js';

/**
 * `AIOS_PARK_AFTER_MS` changed between two starts while a run waits for a reply (an operator
 * turns parking on or off and restarts). A run replays with the threshold it started
 * with: a run that waited in memory keeps waiting in memory, a parked run stays parked, and the
 * reply reaches either one. With the setting read afresh, the replay would meet a park step where
 * a receive was recorded (or the reverse) and the run would fail.
 */
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const { homes, children } = cleanUpChildrenAfterAll(sink);

const BUSINESS = '+14165550100';
const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url };

async function runs(c: ChildAios): Promise<Array<{ id: string; playbook: string; status: string; waiting_for: string | null; error: string | null }>> {
  const res = await fetch(`${c.url}/api/v1/runs`, { headers: { authorization: `Bearer ${c.token('acme')}` } });
  return ((await res.json()) as { runs: Array<{ id: string; playbook: string; status: string; waiting_for: string | null; error: string | null }> }).runs;
}

const CASES = [
  { name: 'started holding its wait in memory (0), resumed where waits park (the default)', first: '0', second: undefined },
  { name: 'started parked (the default), resumed where waits are held in memory (0)', first: undefined, second: '0' },
] as const;

describe('changing AIOS_PARK_AFTER_MS while runs wait for a reply', () => {
  it.each(CASES)('a run $name takes its reply', async ({ first, second }) => {
    const caller = `+1416555${String(400 + CASES.findIndex((c) => c.first === first)).padStart(4, '0')}`;
    const home = makeHome([{ slug: 'acme', phone: BUSINESS, policy: AUTO_POLICY }]);
    homes.push(home);
    const withPark = (v: string | undefined) => (v === undefined ? env : { ...env, AIOS_PARK_AFTER_MS: v });

    const a = await startChild(home, withPark(first));
    children.push(a);
    const res = await postTwilioWebhook(`${a.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
    expect(res.status).toBe(200);
    await eventually(async () => (await runs(a)).find((r) => r.playbook === 'missed-call-text-back' && r.waiting_for?.startsWith('reply')), 20_000, 'the run to wait for the reply');
    a.proc.kill('SIGTERM');
    expect((await a.exited).code).toBe(0);

    const b = await startChild(home, withPark(second));
    children.push(b);
    // The recovered (or still parked) run is waiting again before the reply comes.
    await new Promise((r) => setTimeout(r, 1500));
    const reply = await postTwilioWebhook(`${b.url}/hooks/twilio/sms`, inboundSmsParams({ from: caller, to: BUSINESS, body: 'Could you come on Friday?', accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
    expect(reply.status).toBe(200);
    // The reply reached the run: it answered the caller (a second text) and did not fail.
    await eventually(async () => sink.messages.filter((m) => m.to === caller).length >= 2 || undefined, 20_000, 'the answer to the reply');
    const run = (await runs(b)).find((r) => r.playbook === 'missed-call-text-back')!;
    expect({ status: run.status, error: run.error }).not.toMatchObject({ status: 'failed' });
    const bodies = sink.messages.filter((m) => m.to === caller).map((m) => m.body);
    expect(new Set(bodies).size).toBe(bodies.length);
    b.proc.kill('SIGTERM');
    expect({ exit: (await b.exited).code, output: b.output().slice(-4000) }).toMatchObject({ exit: 0 });
  }, 120_000);
});
