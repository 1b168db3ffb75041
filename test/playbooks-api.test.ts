import { runCli } from './support/cli-in-process.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { startHarness, eventually, AUTO_POLICY, tenantYaml, type Harness } from './support/harness.js';
import { definePlaybook } from '../src/autonomy/engine/define-playbook.js';
import { TransientError } from '../src/core/errors.js';
import { playbookCommands, retryRunCommand, parseAssignments } from '../src/cli/playbook-commands.js';
import type { Target } from '../src/cli/client.js';

/** A playbook whose second step fails while the "service" is down (retryable: 2 attempts, then the run fails). */
const flaky = { down: true, prepared: 0, fetchAttempts: 0 };
const flakyPlaybook = definePlaybook({
  id: 'flaky-test', version: 1, title: 'Test: fetch from a service that may be down', trigger: { signal: 'flaky_test' },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(), minutesPerRun: 1,
  async run(ctx, input) {
    await ctx.step('prepare', async () => ++flaky.prepared);
    const got = await ctx.step('fetch', async () => {
      flaky.fetchAttempts++;
      if (flaky.down) throw new TransientError('the test service is down (503)');
      return `fetched for ${input.subject}`;
    }, { attempts: 2, backoffSeconds: 0.05 });
    return { summary: got, resolved: true };
  },
});

const A = { slug: 'acme', phone: '+14165550100' };
const yaml = tenantYaml({ ...A, policy: AUTO_POLICY }).replace('playbooks:\n', 'playbooks:\n  # texts back callers we miss (kept by the API)\n');
let h: Harness;
let token: string;
let target: Target;
const tenantFile = () => readFileSync(join(h.home, 'tenants', A.slug, 'tenant.yaml'), 'utf8');

function aios(...args: string[]): Promise<string> {
  return runCli((p) => {
    playbookCommands(p, () => target);
    p.command('runs-retry <id>').action((id: string) => retryRunCommand(target, id));
  }, ...args);
}

beforeAll(async () => {
  process.env.AIOS_CONFIG_WATCH = '0';
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'tenant.yaml': yaml } }], { extraPlaybooks: [flakyPlaybook as never] });
  token = h.aios.cliTokens.get(A.slug)!;
  target = { url: h.aios.url, token, slug: A.slug, home: h.home };
});
afterAll(async () => {
  delete process.env.AIOS_CONFIG_WATCH;
  await h?.stop();
});

describe('playbooks API and CLI', () => {
  it('lists every playbook with trigger, enabled, settings and runs in the last 30 days', async () => {
    const r = await h.api(token, 'GET', '/api/v1/playbooks');
    expect(r.status).toBe(200);
    const mc = r.json.playbooks.find((p: any) => p.id === 'missed-call-text-back');
    expect(mc).toMatchObject({ version: 2, trigger: { signal: 'missed_call' }, enabled: true, settings: { reply_wait_hours: 48, recall_window_minutes: 30 }, runs30d: { total: 0 } });
    expect(r.json.playbooks.map((p: any) => p.id)).toContain('lead-response');
    expect(await aios('playbooks')).toMatch(/missed-call-text-back\s+2\s+yes\s+missed_call/);
  });

  it('disable / enable write tenant.yaml (comments kept) and take effect at once', async () => {
    expect(await aios('playbooks', 'disable', 'missed-call-text-back')).toContain('disabled');
    expect(tenantFile()).toMatch(/missed-call-text-back:\n(.*\n)*\s+enabled: false/);
    expect(tenantFile()).toContain('# texts back callers we miss (kept by the API)');
    expect(h.aios.tenants.bySlugOrThrow(A.slug).playbookSettings['missed-call-text-back']).toMatchObject({ enabled: false });
    // A missed call now starts no run and sends nothing.
    await h.voice('+14165550161', A.phone);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sink.messages).toHaveLength(0);
    expect((await h.api(token, 'GET', '/api/v1/playbooks')).json.playbooks.find((p: any) => p.id === 'missed-call-text-back').enabled).toBe(false);
    const on = await h.api(token, 'POST', '/api/v1/playbooks/missed-call-text-back/enable');
    expect(on.json.playbook).toMatchObject({ id: 'missed-call-text-back', enabled: true });
  });

  it('settings are validated by the playbook schema: the error names the field and what to do', async () => {
    const before = tenantFile();
    const bad = await h.api(token, 'PATCH', '/api/v1/playbooks/missed-call-text-back/settings', { reply_wait_hours: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('playbooks.missed-call-text-back.reply_wait_hours');
    expect(bad.json.fix).toMatch(/valid value/);
    const unknown = await h.api(token, 'PATCH', '/api/v1/playbooks/missed-call-text-back/settings', { reply_wait: 24 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/reply_wait_hours/); // "did you mean"
    expect(tenantFile()).toBe(before); // refused changes never touch the file
    expect(await aios('playbooks', 'set', 'missed-call-text-back', 'reply_wait_hours=24')).toContain('reply_wait_hours=24');
    expect(tenantFile()).toMatch(/reply_wait_hours: 24/);
    expect(h.aios.tenants.bySlugOrThrow(A.slug).playbookSettings['missed-call-text-back']).toMatchObject({ reply_wait_hours: 24 });
    expect((await h.api(token, 'PATCH', '/api/v1/playbooks/nope/settings', { a: 1 })).status).toBe(404);
    expect(parseAssignments(['a=1', 'b=false', 'c=hello', 'd={"x":1}'])).toEqual({ a: 1, b: false, c: 'hello', d: { x: 1 } });
  });

  it('needs admin to change or run now (the runner chooses the trigger, so the recipient), propose to shadow (a shadow run may call the model), read to list', async () => {
    const created = await h.api(token, 'POST', '/api/v1/tokens', { name: 'reader', kind: 'integration', scopes: ['read'] });
    const reader = created.json.token as string;
    expect((await h.api(reader, 'GET', '/api/v1/playbooks')).status).toBe(200);
    expect((await h.api(reader, 'POST', '/api/v1/playbooks/flaky-test/shadow', {})).status).toBe(403);
    expect((await h.api(reader, 'POST', '/api/v1/playbooks/missed-call-text-back/disable')).status).toBe(403);
    expect((await h.api(reader, 'POST', '/api/v1/playbooks/flaky-test/run', { subject: 'x' })).status).toBe(403);
    // An assistant may propose texts (they meet the policy as proposals), but not start a playbook
    // on a subject of its choosing (a lead-response to any number, an owner-reply in the owner's name).
    const assistant = (await h.api(token, 'POST', '/api/v1/tokens', { name: 'helper', kind: 'assistant' })).json.token as string;
    expect((await h.api(assistant, 'POST', '/api/v1/playbooks/lead-response/run', { subject: '+14165550999', data: { phone: '+14165550999', message: 'hi' } })).status).toBe(403);
    expect((await h.api(assistant, 'POST', '/api/v1/playbooks/flaky-test/shadow', {})).status).toBe(200);
  });
});

describe('a step that keeps failing: a visible failed run, and a retry', () => {
  let runId: string;

  it('run now → the step is tried twice, then the run is failed with the error in aios runs ID', async () => {
    const out = await aios('playbooks', 'run', 'flaky-test', '--subject', 'inv_1', '--data', '{"n": 1}');
    runId = /started (\S+);/.exec(out)![1]!;
    const run = await eventually(async () => {
      const r = await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
      return r.json.run?.status === 'failed' ? r.json : undefined;
    }, 15_000, 'the failed run');
    expect(run.run.error).toContain('the test service is down (503)');
    expect(run.steps.map((s: any) => [s.step_id, s.status])).toEqual([['prepare', 'done'], ['fetch', 'failed']]);
    expect(flaky).toMatchObject({ prepared: 1, fetchAttempts: 2 });
    // The runner is the run's proposer: separation of duties applies to what it asks for.
    const sig = await h.aios.db.selectFrom('signals').select('data').innerJoin('runs', 'runs.trigger_ref', 'signals.id').where('runs.id', '=', runId).executeTakeFirstOrThrow();
    expect((sig.data as Record<string, unknown>).proposedByPrincipal).toEqual(expect.any(String));
    // It stays failed: no endless loop.
    await new Promise((r) => setTimeout(r, 400));
    expect(flaky.fetchAttempts).toBe(2);
  });

  it('retry resumes at the failed step (earlier steps are not repeated) and the run completes', async () => {
    flaky.down = false;
    const out = await aios('runs-retry', runId);
    expect(out).toContain('from step fetch');
    const done = await eventually(async () => {
      const r = await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
      return r.json.run?.status === 'completed' ? r.json : undefined;
    }, 15_000, 'the retried run');
    expect(done.run.summary).toBe('fetched for inv_1');
    expect(done.run.error).toBeNull();
    expect(flaky).toMatchObject({ prepared: 1, fetchAttempts: 3 });
    const again = await h.api(token, 'POST', `/api/v1/runs/${encodeURIComponent(runId)}/retry`);
    expect(again.status).toBe(409);
    expect(again.json.fix).toBeTruthy();
    expect((await h.api(token, 'POST', '/api/v1/runs/nope/retry')).status).toBe(404);
  });
});
