import { describe, it, expect } from 'vitest';
import { startTwilioSink } from './support/twilio-sink.js';
import { makeHome, eventually, APPROVE_FIRST_POLICY, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from './support/harness.js';
import { startChild, cleanUpChildrenAfterAll, type ChildAios } from './support/child-aios.js';
import { postTwilioWebhook, missedCallParams } from '../src/connection/twilio/webhook-client.js';

/**
 * AIOS runs as a child process on its embedded PostgreSQL. It is SIGKILLed at a chosen point after
 * the owner's approval is recorded and before the send is complete, restarted (which must also
 * clear the orphaned PostgreSQL left by the kill), and exactly one SMS must reach the Twilio sink.
 */
const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const { homes, children } = cleanUpChildrenAfterAll(sink);

const BUSINESS = '+14165550100';
const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url };

async function api(c: ChildAios, method: string, path: string, body?: unknown) {
  const res = await fetch(`${c.url}${path}`, { method, headers: { authorization: `Bearer ${c.token('acme')}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<any>;
}

const KILL_POINTS = ['approval.after-decide', 'outbox.before-send', 'outbox.after-send', 'outbox.after-mark-sent'] as const;

describe('crash safety: exactly one SMS whatever the kill point', () => {
  it.each(KILL_POINTS)('killed at %s', async (point) => {
    const caller = `+1416555${String(200 + KILL_POINTS.indexOf(point)).padStart(4, '0')}`;
    const home = makeHome([{ slug: 'acme', phone: BUSINESS, policy: APPROVE_FIRST_POLICY }]);
    homes.push(home);

    const first = await startChild(home, { ...env, AIOS_CRASH_AT: point });
    children.push(first);
    const res = await postTwilioWebhook(`${first.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN });
    expect(res.status).toBe(200);
    const approval = await eventually(async () => (await api(first, 'GET', '/api/v1/approvals')).approvals[0], 15_000, 'approval request');
    await api(first, 'POST', `/api/v1/approvals/${approval.id}/approve`, {}).catch(() => 'connection dropped by the kill');
    const died = await first.exited;
    expect(died.signal).toBe('SIGKILL');

    const second = await startChild(home, env);
    children.push(second);
    await eventually(async () => (await api(second, 'GET', '/api/v1/outbox')).outbox.find((o: any) => o.recipient === caller && o.status === 'sent'), 30_000, 'the outbox row to be sent after restart');
    await eventually(async () => (await api(second, 'GET', '/api/v1/runs')).runs.find((r: any) => r.id === approval.run_id && r.waiting_for?.startsWith('reply')), 15_000, 'the run to resume');
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.filter((m) => m.to === caller)).toHaveLength(1);
    const decided = (await api(second, 'GET', '/api/v1/approvals?status=all')).approvals[0];
    expect(decided.status).toBe('approved');
    second.proc.kill('SIGTERM');
    expect({ exit: (await second.exited).code, output: second.output().slice(-4000) }).toMatchObject({ exit: 0 });
  }, 120_000);
});

/**
 * An auto-sent text is delivered inside the `text-back.decide` step (one checkpoint). Killed during
 * that delivery, the restarted process replays `decide`: it must find its own outbox row and finish
 * that delivery, never decide again nor send a second text.
 */
const AUTO_KILL_POINTS = ['outbox.before-send', 'outbox.after-send', 'outbox.after-mark-sent'] as const;

describe('crash safety of a text sent inside its decide step', () => {
  it.each(AUTO_KILL_POINTS)('killed at %s', async (point) => {
    const caller = `+1416555${String(300 + AUTO_KILL_POINTS.indexOf(point)).padStart(4, '0')}`;
    const home = makeHome([{ slug: 'acme', phone: BUSINESS, policy: AUTO_POLICY }]);
    homes.push(home);

    const first = await startChild(home, { ...env, AIOS_CRASH_AT: point });
    children.push(first);
    await postTwilioWebhook(`${first.url}/hooks/twilio/voice`, missedCallParams({ from: caller, to: BUSINESS, accountSid: ACCOUNT_SID }), { authToken: AUTH_TOKEN }).catch(() => 'connection dropped by the kill');
    const died = await first.exited;
    expect(died.signal).toBe('SIGKILL');

    const second = await startChild(home, env);
    children.push(second);
    const run = await eventually(async () => (await api(second, 'GET', '/api/v1/runs')).runs.find((r: any) => r.playbook === 'missed-call-text-back' && r.waiting_for?.startsWith('reply')), 30_000, 'the run to resume and wait for the reply');
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.messages.filter((m) => m.to === caller)).toHaveLength(1);
    const outbox = (await api(second, 'GET', '/api/v1/outbox')).outbox.filter((o: any) => o.recipient === caller);
    expect(outbox.map((o: any) => o.status)).toEqual(['sent']);
    const detail = await api(second, 'GET', `/api/v1/runs/${run.id}`);
    const decide = detail.steps.filter((x: any) => x.step_id === 'text-back.decide');
    expect(decide).toHaveLength(1);
    expect(decide[0].detail.sent).toMatchObject({ status: 'sent', outboxId: outbox[0].id });
    expect(detail.steps.some((x: any) => x.step_id === 'text-back.send')).toBe(false);
    second.proc.kill('SIGTERM');
    expect({ exit: (await second.exited).code, output: second.output().slice(-4000) }).toMatchObject({ exit: 0 });
  }, 120_000);
});
