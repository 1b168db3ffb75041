import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { sql } from 'kysely';
import { extractText, getDocumentProxy } from 'unpdf';
import { startHarness, AUTO_POLICY, tenantYaml, type Harness } from './support/harness.js';
import { runCli } from './support/cli-in-process.js';
import { newId } from '../src/core/ids.js';
import { auditCommands } from '../src/cli/audit-commands.js';
import { ALL_PLAYBOOKS } from '../src/autonomy/playbooks/index.js';
import { CATALOG } from '../src/leverage/audit/catalog.js';
import { resolveInputs } from '../src/leverage/audit/questions.js';
import { scoreBlueprint } from '../src/leverage/audit/score.js';

/**
 * The audit that decides what to automate first: measured volumes replace answers and say so,
 * missing answers are assumed and marked, every playbook is scored with its numbers named, the
 * blueprint exports as Markdown and PDF, and "apply" switches the top playbooks to shadow in order:
 * nothing reaches Twilio, and the shadow replay is set beside the estimate.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550199' };
const B = { slug: 'other', phone: '+14165550200' };
const DAY = 86_400_000;
const callers = ['+14165550141', '+14165550142', '+14165550143', '+14165550144', '+14165550145', '+14165550146'];
let h: Harness;
let owner: string;
let tenantId: string;

// The missed-call text-back is off while the history is seeded (so the calls start no run); the
// owner runs the speed-to-lead reply live on purpose (apply must leave it so).
const yamlA = `${tenantYaml({ ...A, policy: AUTO_POLICY })
  .replace('  tone: friendly\n', '  tone: friendly\n  trade: plumbing\n')
  .replace('playbooks:\n  missed-call-text-back:\n', 'playbooks:\n  missed-call-text-back:\n    enabled: false\n')}  lead-response:
    enabled: true
`;

const pdfText = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;
const outboxCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(h.aios.db)).rows[0]!.n);
const liveRuns = async () => Number((await sql<{ n: number }>`select count(*)::int as n from runs where mode = 'live'`.execute(h.aios.db)).rows[0]!.n);
async function raw(token: string, path: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const res = await fetch(`${h.aios.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'tenant.yaml': yamlA } }, { ...B, policy: AUTO_POLICY }]);
  owner = h.aios.cliTokens.get(A.slug)!;
  tenantId = h.aios.tenants.bySlugOrThrow(A.slug).id;
  // Six real missed calls (as intake stores them), spread over the last three weeks.
  for (const [i, c] of callers.entries()) {
    expect((await h.voice(c, A.phone, { callerName: 'Priya Shah' })).status).toBe(200);
    await h.aios.db.updateTable('signals').set({ created_at: new Date(Date.now() - (2 + i * 3) * DAY) }).where('subject', '=', c).execute();
  }
  // Four invoices issued 20 days ago, due 6 days ago: two paid on time, two paid late. $300, $500, $700, $900.
  for (const [i, cents] of [30000, 50000, 70000, 90000].entries()) {
    const due = new Date(Date.now() - 6 * DAY);
    await h.aios.db.insertInto('invoices').values({
      id: newId('inv'), tenant_id: tenantId, number: `INV-${i}`, external_ref: `INV-${i}`, source: 'csv', status: 'paid', currency: 'CAD', amount_cents: cents, amount_paid_cents: cents,
      issued_at: new Date(Date.now() - 20 * DAY), due_at: due, paid_at: new Date(due.getTime() + (i < 2 ? -DAY : 2 * DAY)), customer_email: `c${i}@example.com`,
    } as never).execute();
  }
});
afterAll(() => h?.stop());

describe('measured inputs', () => {
  it('history replaces guesses and says so, with the window; what has no data is listed', async () => {
    expect(h.sink.messages).toHaveLength(0);
    const r = await h.api(owner, 'GET', '/api/v1/audit/inputs');
    expect(r.status).toBe(200);
    const v = r.json.inputs.values;
    expect(v.callsPerWeek.value).toBe(0.8); // 6 calls / 8 weeks
    expect(v.callsPerWeek.basis).toMatch(/measured from your history: 6 calls .*6 missed.* over 8 weeks/);
    expect(v.missedCallShare.value).toBe(1);
    expect(v.invoicesPerMonth.value).toBe(2.2); // 4 in 56 days × 30.44
    expect(v.lateInvoiceShare).toMatchObject({ value: 0.5, basis: expect.stringContaining('2 of 4 invoices') });
    expect(v.averageJobValue.value).toBe(600);
    expect(new Date(v.callsPerWeek.window.until).getTime() - new Date(v.callsPerWeek.window.since).getTime()).toBe(56 * DAY);
    expect(v.leadsPerWeek).toBeUndefined();
    expect(r.json.inputs.unmeasured).toContain('no new leads in the last 8 weeks');
    expect(r.json.inputs.defaults.name).toBe('default for trades (plumbing, HVAC, electrical)');
  });
});

let auditId: string;
describe('running an audit', () => {
  it('measured beats answered beats assumed; each input says which, and the assumptions are listed', async () => {
    const r = await h.api(owner, 'POST', '/api/v1/audits', { answers: { callsPerWeek: 50, hourlyValue: 100, adminHoursPerWeek: 12 } });
    expect(r.status).toBe(201);
    auditId = r.json.audit.id;
    const inputs = Object.fromEntries(r.json.audit.blueprint.inputs.map((i: any) => [i.key, i]));
    expect(inputs.callsPerWeek).toMatchObject({ value: 0.8, source: 'measured', basis: expect.stringContaining('(replaces your answer 50)') });
    expect(inputs.callsPerWeek.window).toBeDefined();
    expect(inputs.hourlyValue).toMatchObject({ value: 100, source: 'answered' });
    expect(inputs.leadsPerWeek).toMatchObject({ value: 10, source: 'assumed', basis: 'default for trades (plumbing, HVAC, electrical)' });
    expect(r.json.audit.blueprint.assumptions).toContain('New leads per week (forms, chats, mails): assumed 10 (default for trades (plumbing, HVAC, electrical))');
    expect(r.json.audit.blueprint.assumptions.some((a: string) => a.startsWith('Phone calls'))).toBe(false);
  });

  it('every playbook is scored or named as a part of one; ranking is impact per effort; reasoning names the numbers', async () => {
    const latest = (await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit;
    expect(latest.id).toBe(auditId);
    const b = latest.blueprint;
    const ids = [...b.ranked.map((r: any) => r.id), ...b.supporting.map((s: any) => s.id)];
    for (const pb of ALL_PLAYBOOKS) expect(ids).toContain(pb.id);
    expect(ids).toEqual(expect.arrayContaining(['content-engine', 'document-qc']));
    const available = b.ranked.filter((r: any) => r.available);
    for (let i = 1; i < available.length; i++) expect(available[i - 1].priority).toBeGreaterThanOrEqual(available[i].priority);
    expect(b.ranked.slice(available.length).every((r: any) => !r.available)).toBe(true);
    for (const r of b.ranked) expect(r.priority).toBeCloseTo(r.impactPerMonth / r.effort.score, 0);
    const mc = b.ranked.find((r: any) => r.id === 'missed-call-text-back');
    // 0.8 calls × 100% × 4.33 = 3.5 a month; 3.5 × 3 min = 0.2 h; 3.5 × 15% × $600 = $312; 0.2 h × $100 + $312 = $329 (rounded sums)
    expect(mc.reasoning[0]).toBe('0.8 calls a week × 100% missed × 4.33 weeks = 3.5 a month.');
    expect(mc.reasoning.join(' ')).toContain('× 15% × $600 average job');
    expect(mc.reasoning.join(' ')).toMatch(/Impact: 0\.2 h × \$100\/h \+ \$31\d recovered = \$3\d\d a month\./);
    const chase = b.ranked.find((r: any) => r.id === 'invoice-chase');
    expect(chase.reasoning[0]).toBe('2.2 invoices a month × 50% paid late = 1.1 a month.');
    expect(chase.effort.missingConnections).toEqual([]); // invoices are imported
    const triage = b.ranked.find((r: any) => r.id === 'inbox-triage');
    expect(triage.effort.missingConnections).toEqual(['email']);
    expect(triage.reasoning.join(' ')).toContain('1 connection missing (inbox (IMAP/SMTP)) × 3');
  });

  it('no answers and no history still give a blueprint, every input marked as assumed', async () => {
    const r = await h.api(h.aios.cliTokens.get(B.slug)!, 'POST', '/api/v1/audits', {});
    expect(r.status).toBe(201);
    const b = r.json.audit.blueprint;
    expect(b.inputs.every((i: any) => i.source === 'assumed' && /generic default/.test(i.basis))).toBe(true);
    expect(b.assumptions).toHaveLength(12);
    expect(b.ranked.length).toBeGreaterThan(5);
    expect(b.ranked.filter((r: any) => r.available).every((r: any) => r.reasoning.some((s: string) => s.startsWith('Assumed, not measured or answered:')))).toBe(true);
  });

  it('bad answers: a clear 400 that says what to send', async () => {
    for (const answers of [{ callsPerWeek: -1 }, { missedCallShare: 3 }, { callz: 4 }, { callsPerWeek: 'forty' }]) {
      const r = await h.api(owner, 'POST', '/api/v1/audits', { answers });
      expect(r.status, JSON.stringify(answers)).toBe(400);
      expect(r.json.fix).toMatch(/callsPerWeek/);
    }
  });

  it('the ranking moves with the numbers: a bigger job value lifts the missed-call text-back', () => {
    const base = resolveInputs({ averageJobValue: 100 }, {}, 'plumbing');
    const rich = resolveInputs({ averageJobValue: 5000 }, {}, 'plumbing');
    const rank = (inputs: typeof base) => scoreBlueprint(inputs, ['phone'], { now: new Date() }).ranked.find((r) => r.id === 'missed-call-text-back')!;
    expect(rank(rich).impactPerMonth).toBeGreaterThan(rank(base).impactPerMonth);
    expect(rank(rich).rank).toBeLessThanOrEqual(rank(base).rank);
    // Without the phone connected it costs 3 effort points more.
    expect(scoreBlueprint(base, [], { now: new Date() }).ranked.find((r) => r.id === 'missed-call-text-back')!.effort.score).toBe(rank(base).effort.score + 3);
  });

  it('totals count the receptionist and the text-back (the same missed calls) once', () => {
    const b = scoreBlueprint(resolveInputs({}, {}, 'plumbing'), ['phone'], { now: new Date() });
    const impact = (id: string) => b.ranked.find((r) => r.id === id)!.impactPerMonth;
    const all = b.ranked.filter((r) => r.available).reduce((n, r) => n + r.impactPerMonth, 0);
    expect(b.totals.impactPerMonth).toBe(all - Math.min(impact('phone-call'), impact('missed-call-text-back')));
  });

  it('the catalog lists every playbook of this build', () => {
    const ids = CATALOG.map((e) => e.id);
    for (const pb of ALL_PLAYBOOKS) expect(ids).toContain(pb.id);
  });
});

describe('exports', () => {
  it('Markdown: the ranked table and the reasoning', async () => {
    const r = await raw(owner, `/api/v1/audits/${auditId}.md`);
    expect(r.status).toBe(200);
    expect(r.type).toContain('text/markdown');
    const md = new TextDecoder().decode(r.bytes);
    const latest = (await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit.blueprint;
    expect(md).toContain(`| 1 | ${latest.ranked[0].title} |`);
    expect(md).toContain('| Phone calls per week | 0.8 | measured |');
    expect(md).toContain('| New leads per week (forms, chats, mails) | 10 | ASSUMED |');
  });

  it('PDF: a valid PDF listing the automations in rank order', async () => {
    const r = await raw(owner, `/api/v1/audits/${auditId}.pdf`);
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/pdf');
    expect(new TextDecoder().decode(r.bytes.slice(0, 5))).toBe('%PDF-');
    const text = await pdfText(r.bytes);
    const ranked = (await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit.blueprint.ranked;
    const positions = ranked.slice(0, 5).map((x: any) => text.indexOf(`${x.rank}. ${x.title}`));
    expect(positions.every((p: number) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("another business's audit id is 404 everywhere; a bad file name is 400", async () => {
    const other = h.aios.cliTokens.get(B.slug)!;
    expect((await raw(other, `/api/v1/audits/${auditId}.md`)).status).toBe(404);
    expect((await raw(other, `/api/v1/audits/${auditId}.pdf`)).status).toBe(404);
    expect((await h.api(other, 'POST', `/api/v1/audits/${auditId}/apply`, {})).status).toBe(404);
    expect((await h.api(other, 'GET', `/api/v1/audits/${auditId}/results`)).status).toBe(404);
    expect((await raw(owner, `/api/v1/audits/${auditId}.exe`)).status).toBe(400);
  });
});

describe('apply', () => {
  it('an assistant token cannot apply or run an audit (403)', async () => {
    const t = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'claude', kind: 'assistant' });
    expect(t.status).toBe(201);
    const r = await h.api(t.json.token, 'POST', `/api/v1/audits/${auditId}/apply`, {});
    expect(r.status).toBe(403);
    expect(r.json.message).toBe('this token lacks the admin scope');
    expect((await h.api(t.json.token, 'POST', '/api/v1/audits', {})).status).toBe(403);
    expect((await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit.appliedAt).toBeNull();
  });

  it('the top N go to shadow in the blueprint order: off live in tenant.yaml, and a new missed call sends nothing', async () => {
    // Back to the default (on, as for any business that never wrote the key): if apply did not switch it off, the call below would be texted.
    const file = join(h.home, 'tenants', A.slug, 'tenant.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  missed-call-text-back:\n    enabled: false\n', '  missed-call-text-back:\n'));
    expect((await h.aios.tenants.reload(A.slug)).status).not.toBe('invalid');
    expect(h.aios.tenants.get(tenantId).playbookSettings['missed-call-text-back']).toMatchObject({ enabled: true });
    const ranked = (await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit.blueprint.ranked;
    const expected = ranked.filter((r: any) => r.available && r.impactPerMonth > 0).slice(0, 6).map((r: any) => r.id);
    expect((await h.api(owner, 'POST', `/api/v1/audits/${auditId}/apply`, { top: 0 })).status).toBe(400);
    const r = await h.api(owner, 'POST', `/api/v1/audits/${auditId}/apply`, { top: 6 });
    expect(r.status).toBe(200);
    expect(r.json.audit.applied.map((a: any) => a.playbookId)).toEqual(expected);
    expect(r.json.audit.applied.map((a: any) => a.rank)).toEqual(ranked.filter((x: any) => expected.includes(x.id)).map((x: any) => x.rank));
    expect(expected).toContain('lead-response');
    for (const a of r.json.audit.applied) expect([a.playbookId, a.mode]).toEqual([a.playbookId, a.playbookId === 'lead-response' ? 'live' : 'shadow']);
    expect(r.json.audit.applied.find((a: any) => a.playbookId === 'lead-response').why).toContain('enabled: true in tenant.yaml');
    expect(h.aios.tenants.get(tenantId).playbookSettings['lead-response']).toMatchObject({ enabled: true });
    const triage = r.json.audit.applied.find((a: any) => a.playbookId === 'inbox-triage');
    if (triage) expect(triage.connect).toEqual(['inbox (IMAP/SMTP)']); // shadowed, but it sees nothing until the inbox is connected
    const yaml = readFileSync(file, 'utf8');
    for (const id of expected.filter((x: string) => x !== 'lead-response')) expect(h.aios.tenants.get(tenantId).playbookSettings[id]).toMatchObject({ enabled: false });
    expect(yaml).toContain('  trade: plumbing'); // the rest of the owner's file is kept
    if (expected.includes('invoice-chase')) expect(h.aios.tenants.get(tenantId).playbookSettings['invoice-chase-overdue']).toMatchObject({ enabled: false });

    expect(expected).toContain('missed-call-text-back');
    expect((await h.voice('+14165550147', A.phone, { callerName: 'Sam Lee' })).status).toBe(200);
    await new Promise((res) => setTimeout(res, 1500));
    expect(h.sink.messages).toHaveLength(0);
    expect(await outboxCount()).toBe(0);
    expect(await liveRuns()).toBe(0);
    expect((await h.api(owner, 'POST', `/api/v1/audits/${auditId}/apply`, {})).status).toBe(409);
  });

  it('shadow results against the estimate: the replay finds the calls, would text them, and nothing is sent or kept', async () => {
    const r = await h.api(owner, 'GET', `/api/v1/audits/${auditId}/results?days=30`);
    expect(r.status).toBe(200);
    const mc = r.json.results.find((x: any) => x.playbookId === 'missed-call-text-back');
    expect(mc.shadow.signalsFound).toBe(7); // six seeded + the one after apply
    expect(mc.shadow.wouldSend).toBeGreaterThanOrEqual(7);
    expect(mc.shadow.runsPerMonth).toBe(7.1); // 7 × 30.44 / 30
    expect(mc.estimate.runsPerMonth).toBe(3.5);
    expect(mc.verdict).toContain('7 missed call signals = 7.1 a month against 3.5 estimated (203%)');
    expect(h.sink.messages).toHaveLength(0);
    expect(await outboxCount()).toBe(0);
    expect(await liveRuns()).toBe(0);
    expect((await h.api(owner, 'GET', `/api/v1/audits/${auditId}/results?days=0`)).status).toBe(400);
  });
});

describe('aios audit (CLI)', () => {
  it('--answers f.json --yes prints the ranked table and writes the Markdown and PDF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-audit-'));
    const file = join(dir, 'answers.json');
    writeFileSync(file, JSON.stringify({ hourlyValue: 120, leadsPerWeek: 4 }));
    const target = { url: h.aios.url, token: owner, slug: A.slug, home: h.home };
    const out = await runCli((p) => auditCommands(p, () => target), 'audit', '--answers', file, '--yes', '--out', dir);
    expect(out).toMatch(/audit aud_\w+: highest impact per effort first/);
    expect(out).toMatch(/#\s+automation\s+impact_month/);
    expect(out).toContain('hourlyValue=120 (answered)');
    expect(out).toContain('callsPerWeek=0.9 (measured)'); // 7 calls now
    const id = /audit (aud_\w+)/.exec(out)![1]!;
    expect(readFileSync(join(dir, `${id}.md`), 'utf8')).toContain('| The owner\'s hourly value ($/h) | 120 | answered |');
    expect(readFileSync(join(dir, `${id}.pdf`)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(out).toContain(join(dir, `${id}.pdf`));
    const applied = await runCli((p) => auditCommands(p, () => target), 'audit', 'apply', '--top', '2');
    const modes = (await h.api(owner, 'GET', '/api/v1/audits/latest')).json.audit.applied;
    expect(modes).toHaveLength(2);
    for (const a of modes) expect(applied).toMatch(new RegExp(`${a.rank}\\s+${a.playbookId}\\s+${a.mode}`));
    const results = await runCli((p) => auditCommands(p, () => target), 'audit', 'results', '--days', '30');
    expect(results).toContain(`${modes[0].rank}. ${modes[0].playbookId} (${modes[0].mode})`);
    expect(results).toContain('Shadow replay over 30 days:');
    expect(h.sink.messages).toHaveLength(0);
  });
});
