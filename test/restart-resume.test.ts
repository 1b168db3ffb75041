import { describe, it, expect, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { startTwilioSink } from './support/twilio-sink.js';
import { makeHome, eventually, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { startChild, type ChildAios } from './support/child-aios.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../src/connection/twilio/webhook-client.js';

/**
 * A run waiting days for a reply must survive restarts. DBOS recovers only runs of the same
 * application version, so AIOS pins it (AIOS_APP_VERSION) rather than hashing the code: a process
 * with another pinned version leaves the run alone; the next process with the run's version
 * resumes it and it consumes the reply that arrived in between.
 */
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const home = makeHome([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url };
let current: ChildAios | undefined;
afterAll(async () => {
  if (current && current.proc.exitCode === null) {
    current.proc.kill('SIGTERM');
    await current.exited;
  }
  await sink.close();
  rmSync(home, { recursive: true, force: true });
});

const runs = async (c: ChildAios) => (await (await fetch(`${c.url}/api/v1/runs`, { headers: { authorization: `Bearer ${c.token('acme')}` } })).json()) as { runs: any[] };
const stop = async (c: ChildAios) => {
  c.proc.kill('SIGTERM');
  expect({ exit: (await c.exited).code, output: c.output().slice(-4000) }).toMatchObject({ exit: 0 });
};

describe('a waiting run across restarts', () => {
  it('is resumed only by a process with its application version, and then takes the reply', async () => {
    const caller = '+14165550401';
    current = await startChild(home, { ...env, AIOS_APP_VERSION: 'v-a' });
    await postTwilioWebhook(`${current.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: '+14165550100', accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
    const run = await eventually(async () => (await runs(current!)).runs.find((r) => r.waiting_for === `reply from ${caller}`), 15_000, 'run waiting for the reply');
    await stop(current);

    current = await startChild(home, { ...env, AIOS_APP_VERSION: 'v-b' });
    await postTwilioWebhook(`${current.url}/hooks/twilio/sms`, inboundSmsParams({ from: caller, to: '+14165550100', body: 'Yes please, tomorrow 9am', accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runs(current)).runs.find((r) => r.id === run.id).status).toBe('waiting');
    await stop(current);

    current = await startChild(home, { ...env, AIOS_APP_VERSION: 'v-a' });
    // Resumed, it takes the reply: the caller's answer opens the booking conversation (one more text).
    await eventually(async () => sink.messages.filter((m) => m.to === caller).length === 2, 15_000, 'the answer to the reply after the restart');
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.filter((m) => m.to === caller)).toHaveLength(2);
    const deals = (await (await fetch(`${current.url}/api/v1/deals`, { headers: { authorization: `Bearer ${current.token('acme')}` } })).json()) as { deals: unknown[] };
    expect(deals.deals).toEqual([expect.objectContaining({ stage: 'new lead', source: 'missed_call' })]);
    await stop(current);
  }, 120_000);
});
