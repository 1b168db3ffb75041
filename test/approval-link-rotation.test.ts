import { describe, it, expect } from 'vitest';
import { startTwilioSink } from './support/twilio-sink.js';
import { makeHome, eventually, APPROVE_FIRST_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { startChild, cleanUpChildrenAfterAll } from './support/child-aios.js';
import { postTwilioWebhook, missedCallParams } from '../src/connection/twilio/webhook-client.js';

/**
 * AIOS is SIGKILLed inside the request-approval step, after the approval row and the owner's
 * notice are written but before DBOS checkpoints the step. On restart the step runs again; the
 * link the owner then receives must be the one that opens and decides (a re-run never rotates it).
 */
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const { homes, children } = cleanUpChildrenAfterAll(sink);

const BUSINESS = '+14165550100';
const OWNER = '+14165550111';
const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url };

describe('a re-run of the request-approval step keeps the link the owner gets', () => {
  it('killed at approval.after-request: after restart the owner\'s link opens and decides', async () => {
    const caller = '+14165550290';
    const home = makeHome([{ slug: 'acme', phone: BUSINESS, ownerPhone: OWNER, policy: APPROVE_FIRST_POLICY }]);
    homes.push(home);

    const first = await startChild(home, { ...env, AIOS_CRASH_AT: 'approval.after-request' });
    children.push(first);
    const res = await postTwilioWebhook(`${first.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN }).catch(() => null);
    expect(res === null || res.status === 200).toBe(true); // the kill may drop the connection
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(sink.messages.filter((m) => m.to === OWNER)).toHaveLength(0);

    const second = await startChild(home, env);
    children.push(second);
    const notice = await eventually(async () => sink.messages.find((m) => m.to === OWNER), 30_000, 'owner notice after restart');
    const link = /http:\/\/\S+\/a\/[A-Za-z0-9_-]+/.exec(notice.body)![0].replace(first.url, second.url);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const decided = await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'approve' }) });
    expect(decided.status).toBe(200);
    await eventually(async () => sink.messages.some((m) => m.to === caller), 15_000, 'text to the caller');
    expect(sink.messages.filter((m) => m.to === OWNER)).toHaveLength(1);
    const runs = async () => (await (await fetch(`${second.url}/api/v1/runs`, { headers: { authorization: `Bearer ${second.token('acme')}` } })).json() as any).runs;
    await eventually(async () => (await runs()).find((r: any) => r.waiting_for?.startsWith('reply')), 15_000, 'the run to wait for the reply');
    second.proc.kill('SIGTERM');
    expect({ exit: (await second.exited).code, output: second.output().slice(-4000) }).toMatchObject({ exit: 0 });
  }, 120_000);
});
