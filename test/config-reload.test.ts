import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, tenantYaml, AUTO_POLICY, type Harness } from './support/harness.js';

/**
 * The owner edits policy.yaml or tenant.yaml while AIOS runs: a valid edit governs the next
 * decision within about two seconds, without a restart; an invalid one keeps the last good version
 * in force and becomes a signal naming the file, the field and what was probably meant.
 */
const A = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY };
let h: Harness;
let token: string;
let tenantId: string;
let policyPath: string;
let tenantPath: string;

beforeAll(async () => {
  h = await startHarness([A]);
  token = h.aios.cliTokens.get(A.slug)!;
  tenantId = h.aios.tenants.bySlugOrThrow(A.slug).id;
  policyPath = join(h.home, 'tenants', A.slug, 'policy.yaml');
  tenantPath = join(h.home, 'tenants', A.slug, 'tenant.yaml');
});
afterAll(() => h?.stop());

const textsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const reloads = async () => (await h.aios.db.selectFrom('audit_log').select(['action', 'detail']).where('tenant_id', '=', tenantId).where('action', '=', 'config.reloaded').execute()).length;
const configSignals = async () => ((await h.api(token, 'GET', '/api/v1/signals')).json.signals as any[]).filter((s) => s.kind === 'config_invalid');
async function finishedRun(caller: string) {
  return eventually(async () => {
    const r = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs')
      .where('runs.tenant_id', '=', tenantId).where('signals.subject', '=', caller).executeTakeFirst();
    return r && r.status !== 'running' ? r : undefined;
  }, 10_000, `the run for ${caller}`);
}

describe('policy.yaml and tenant.yaml are reloaded while AIOS runs', () => {
  it('sms.send: never written while running refuses the next missed call; nothing reaches Twilio', async () => {
    await h.voice('+14165550301', A.phone);
    await eventually(async () => textsTo('+14165550301').length === 1, 10_000, 'the text under the auto policy');

    const before = await reloads();
    writeFileSync(policyPath, AUTO_POLICY.replace('sms.send: auto', 'sms.send: never'));
    await eventually(async () => (await reloads()) > before, 2_500, 'the edited policy to be loaded');

    await h.voice('+14165550302', A.phone);
    const run = await finishedRun('+14165550302');
    expect(run.summary).toMatch(/not texted: policy sets sms\.send to never/);
    expect(textsTo('+14165550302')).toHaveLength(0);
  });

  it('a misspelled action kind keeps the last good policy and raises config_invalid with the file, the field and a "did you mean"', async () => {
    writeFileSync(policyPath, AUTO_POLICY.replace('sms.send: auto', 'sms.sned: auto'));
    const [signal] = await eventually(async () => {
      const s = await configSignals();
      return s.length > 0 && s;
    }, 2_500, 'the config_invalid signal');
    expect(signal.status).toBe('open');
    expect(signal.data.file).toBe(policyPath);
    expect(signal.data.field).toBe('actions.sms.sned');
    expect(signal.data.message).toContain('did you mean "sms.send"?');

    await h.voice('+14165550303', A.phone);
    const run = await finishedRun('+14165550303');
    expect(run.summary).toMatch(/policy sets sms\.send to never/);
    expect(textsTo('+14165550303')).toHaveLength(0);

    // Saving the same broken file again is the same problem, not a new signal.
    expect((await h.aios.tenants.reload(A.slug)).status).toBe('invalid');
    expect(await configSignals()).toHaveLength(1);
  });

  it('broken YAML is refused the same way', async () => {
    writeFileSync(policyPath, 'version: 1\nactions:\n  sms.send: [auto\n');
    await eventually(async () => (await configSignals()).length === 2, 2_500, 'a second config_invalid signal');
    expect(h.aios.tenants.policy(tenantId).actions['sms.send']).toBe('never');
  });

  it('a valid edit (saved the way editors do: temp file, then rename) loads, resolves the signals and texts again', async () => {
    const before = await reloads();
    writeFileSync(`${policyPath}.tmp`, AUTO_POLICY);
    renameSync(`${policyPath}.tmp`, policyPath);
    await eventually(async () => (await reloads()) > before, 2_500, 'the corrected policy to be loaded');
    expect((await configSignals()).map((s) => s.status)).toEqual(['resolved', 'resolved']);
    await h.voice('+14165550304', A.phone);
    await eventually(async () => textsTo('+14165550304').length === 1, 10_000, 'the text under the restored policy');
  });

  it('tenant.yaml edits change the profile and the number webhooks are routed by', async () => {
    const NEW = '+14165550199';
    const before = await reloads();
    writeFileSync(tenantPath, tenantYaml({ ...A, phone: NEW }).replace('https://book.example/acme', 'https://book.example/acme-new'));
    await eventually(async () => (await reloads()) > before, 2_500, 'the edited tenant.yaml to be loaded');

    expect((await h.voice('+14165550305', A.phone)).status).toBe(404);
    expect((await h.voice('+14165550306', NEW)).status).toBe(200);
    const [msg] = await eventually(async () => textsTo('+14165550306').length === 1 && textsTo('+14165550306'), 10_000, 'the text from the new number');
    expect(msg!.from).toBe(NEW);
    expect(msg!.body).toContain('https://book.example/acme-new');
  });

  it('an invalid tenant.yaml keeps the running business as it was', async () => {
    writeFileSync(tenantPath, tenantYaml({ ...A, phone: '+14165550199' }).replace('time_zone:', 'timezone:'));
    await eventually(async () => (await configSignals()).some((s) => s.status === 'open' && s.data.field === 'timezone' && /did you mean "time_zone"/.test(s.data.message)), 2_500, 'the tenant.yaml signal');
    expect(h.aios.tenants.bySlugOrThrow(A.slug).timeZone).toBe('America/Toronto');
    expect(h.aios.tenants.byNumber('+14165550199')?.slug).toBe(A.slug);
  });
});
