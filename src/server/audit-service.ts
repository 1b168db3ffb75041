import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { sql } from 'kysely';
import type { Services } from './http/services.js';
import type { TenantInfo } from '../records/tenants.js';
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { audit } from '../records/audit.js';
import { newest, runShadow } from '../autonomy/shadow/run-shadow.js';
import { updatePlaybookSettings } from './playbook-settings.js';
import { measureInputs } from '../leverage/audit/measure.js';
import { resolveInputs, type AuditAnswers } from '../leverage/audit/questions.js';
import { scoreBlueprint, type Blueprint } from '../leverage/audit/score.js';
import { CATALOG, CONNECTION_WORDS, type ConnectionNeed } from '../leverage/audit/catalog.js';
import type { AppliedPlaybook, AuditsTable } from '../leverage/audit/tables.js';
import type { Selectable } from 'kysely';

export type AuditRow = Selectable<AuditsTable>;

/** How many playbooks "apply" switches when the caller does not say: the top 3. */
export const DEFAULT_APPLY_TOP = 3;

/**
 * What the business has connected now: the phone when Twilio credentials are configured (else
 * texts go to the sandbox), the inbox (an IMAP connection not disabled), the calendar (CalDAV or
 * ICS), and invoices (a Stripe connection, or any invoice imported).
 */
export async function connectedNeeds(s: Pick<Services, 'db' | 'config'>, tenantId: string): Promise<ConnectionNeed[]> {
  const rows = await s.db.selectFrom('connections').select('kind').where('tenant_id', '=', tenantId).where('status', '<>', 'disabled').execute();
  const kinds = new Set(rows.map((r) => r.kind));
  const invoice = await s.db.selectFrom('invoices').select('id').where('tenant_id', '=', tenantId).limit(1).executeTakeFirst();
  const out: ConnectionNeed[] = [];
  if (s.config.twilio.accountSid && s.config.twilio.authToken) out.push('phone');
  if (kinds.has('imap')) out.push('email');
  if (kinds.has('caldav') || kinds.has('ics')) out.push('calendar');
  if (kinds.has('stripe') || invoice) out.push('payments');
  return out;
}

/** Measures, scores and stores an audit; returns the stored row. */
export async function runAudit(s: Services, tenant: TenantInfo, actor: string, answers: AuditAnswers): Promise<AuditRow> {
  const now = s.clock.now();
  const measured = await measureInputs(s.db, tenant.id, now);
  const inputs = resolveInputs(answers, measured.values, tenant.profile?.trade);
  const blueprint = scoreBlueprint(inputs, await connectedNeeds(s, tenant.id), { now, unmeasured: measured.unmeasured });
  const row = await s.db.insertInto('audits').values({
    id: newId('aud'), tenant_id: tenant.id, created_by: actor, answers: JSON.stringify(answers), measured: JSON.stringify(measured), blueprint: JSON.stringify(blueprint), created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  await audit(s.db, tenant.id, actor, 'audit.run', row.id, { top: blueprint.ranked.slice(0, 3).map((r) => r.id) });
  return row;
}

/** The tenant's audit by id (another business's id is "not found"). */
export async function getAudit(s: Pick<Services, 'db'>, tenantId: string, id: string): Promise<AuditRow> {
  const row = await s.db.selectFrom('audits').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('audit', id);
  return row;
}

/** The tenant's newest audit, or undefined. */
export async function latestAudit(s: Pick<Services, 'db'>, tenantId: string): Promise<AuditRow | undefined> {
  return s.db.selectFrom('audits').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** `enabled` as written in tenant.yaml for a playbook (undefined when the file does not say). */
function writtenEnabled(tenant: TenantInfo, playbookId: string): unknown {
  const doc = parseDocument(readFileSync(join(tenant.dir, 'tenant.yaml'), 'utf8'));
  return doc.getIn(['playbooks', playbookId, 'enabled']);
}

/**
 * "Apply": switches the top `top` available automations of the blueprint, in its order, to shadow
 * first. A playbook in shadow is kept off live (`enabled: false` in tenant.yaml, so no trigger
 * starts a live run and nothing is sent) and is judged by shadow replays over its past signals
 * (`auditResults`), computed on demand: the "shadow-reported" mode. A playbook the owner already
 * runs live (`enabled: true` written in tenant.yaml, or live runs in the last 30 days) is left
 * live, and says so. Halves of a playbook (`alsoSwitches`) are switched with it.
 * @throws ConflictError when the audit was applied already; InputError for a bad `top`.
 */
export async function applyAudit(s: Services, tenant: TenantInfo, auditId: string, actor: string, top = DEFAULT_APPLY_TOP): Promise<AuditRow> {
  if (!Number.isInteger(top) || top < 1 || top > 10) throw new InputError('top must be a whole number from 1 to 10', { fix: 'Send {"top": 3} (how many of the ranked automations to switch on), or leave it out.' });
  const row = await getAudit(s, tenant.id, auditId);
  if (row.applied_at) throw new ConflictError(`audit ${auditId} was applied on ${row.applied_at.toISOString()}`, 'Run a new audit (POST /api/v1/audits or `aios audit`) and apply that one; see its results with GET /api/v1/audits/:id/results.');
  const since30 = new Date(s.clock.now().getTime() - 30 * 86_400_000);
  const chosen = row.blueprint.ranked.filter((r) => r.available && r.impactPerMonth > 0 && newest(s.host.playbooks(), r.id)).slice(0, top);
  const applied: AppliedPlaybook[] = [];
  for (const r of chosen) {
    let current = s.tenants.get(tenant.id);
    const liveRuns = Number((await s.db.selectFrom('runs').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenant.id).where('mode', '=', 'live').where('playbook', '=', r.id).where('started_at', '>=', since30).executeTakeFirstOrThrow()).n);
    const written = writtenEnabled(current, r.id);
    if (written === true || (written !== false && liveRuns > 0)) {
      applied.push({ rank: r.rank, playbookId: r.id, mode: 'live', connect: [], why: written === true ? 'enabled: true in tenant.yaml: it already runs live, left as it is' : `already running live (${liveRuns} runs in the last 30 days), left as it is` });
      continue;
    }
    const ids = [r.id, ...(CATALOG.find((e) => e.id === r.id)?.alsoSwitches ?? [])];
    for (const id of ids) {
      const pb = newest(s.host.playbooks(), id);
      if (!pb) continue;
      await updatePlaybookSettings(s.tenants, current, pb, { enabled: false });
      current = s.tenants.get(tenant.id);
    }
    const words = r.effort.missingConnections.map((m) => CONNECTION_WORDS[m]);
    const connect = words.length ? `; connect ${words.join(' and ')} so it has something to work on` : '';
    applied.push({ rank: r.rank, playbookId: r.id, mode: 'shadow', connect: words, why: `in shadow: kept off live (enabled: false in tenant.yaml${ids.length > 1 ? `, with ${ids.slice(1).join(', ')}` : ''}); nothing is sent, its shadow replay shows what it would have done${connect}` });
  }
  const updated = await s.db.updateTable('audits').set({ applied: JSON.stringify(applied), applied_by: actor, applied_at: s.clock.now() })
    .where('tenant_id', '=', tenant.id).where('id', '=', auditId).where('applied_at', 'is', null).returningAll().executeTakeFirst();
  if (!updated) throw new ConflictError(`audit ${auditId} was applied meanwhile`, 'Reload the audit (GET /api/v1/audits/latest).');
  await audit(s.db, tenant.id, actor, 'audit.apply', auditId, { applied });
  return updated;
}

/** One applied playbook: what its shadow replay found against the audit's estimate, per month. */
export interface AuditResult {
  rank: number;
  playbookId: string;
  title: string;
  mode: AppliedPlaybook['mode'];
  /** The replay window in days. */
  days: number;
  estimate: { runsPerMonth: number; hoursPerMonth: number; impactPerMonth: number };
  shadow: { signalsFound: number; runsPerMonth: number; hoursPerMonth: number; wouldSend: number; wouldAskOwner: number; notes: string[] };
  /** Live runs in the window (for a playbook left live). */
  liveRuns: number;
  /** "Found 12 missed calls a month against 16 estimated (75%)…" */
  verdict: string;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Shadow results against the estimate: each applied playbook is replayed in shadow over the last
 * `days` days of its trigger's signals (nothing is sent, nothing kept) and its volume and minutes
 * saved are scaled to a month and set beside the audit's estimate.
 * @throws ConflictError when the audit was not applied yet.
 */
export async function auditResults(s: Services, tenantId: string, auditId: string, days = 30): Promise<{ audit: AuditRow; results: AuditResult[] }> {
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new InputError('days must be a whole number from 1 to 365', { fix: 'Use ?days=30 (the replay window), or leave it out.' });
  const row = await getAudit(s, tenantId, auditId);
  if (!row.applied) throw new ConflictError(`audit ${auditId} is not applied yet`, `Apply it first: POST /api/v1/audits/${auditId}/apply (or \`aios audit apply\`).`);
  const now = s.clock.now();
  const since = new Date(now.getTime() - days * 86_400_000);
  const perMonth = 30.44 / days;
  const results: AuditResult[] = [];
  for (const a of row.applied) {
    const est = row.blueprint.ranked.find((r) => r.id === a.playbookId);
    const report = await runShadow(s.host.deps, s.host.playbooks(), { tenantId, playbookId: a.playbookId, since, until: now });
    const liveRuns = Number((await s.db.selectFrom('runs').select(sql<number>`count(*)::int`.as('n')).where('tenant_id', '=', tenantId).where('mode', '=', 'live').where('playbook', '=', a.playbookId).where('started_at', '>=', since).executeTakeFirstOrThrow()).n);
    const shadow = {
      signalsFound: report.signalsFound, runsPerMonth: r1(report.signalsFound * perMonth), hoursPerMonth: r1((report.minutesSaved * perMonth) / 60),
      wouldSend: report.wouldSend.length, wouldAskOwner: report.wouldAskOwner.length, notes: report.notes,
    };
    const estimate = { runsPerMonth: est?.runsPerMonth ?? 0, hoursPerMonth: est?.hoursPerMonth ?? 0, impactPerMonth: est?.impactPerMonth ?? 0 };
    const share = estimate.runsPerMonth > 0 ? Math.round((shadow.runsPerMonth / estimate.runsPerMonth) * 100) : null;
    const verdict = `Shadow replay over ${days} days: ${report.signalsFound} ${'signal' in report.trigger ? report.trigger.signal.replace(/_/g, ' ') : 'trigger'} signal${report.signalsFound === 1 ? '' : 's'} = ${shadow.runsPerMonth} a month against ${estimate.runsPerMonth} estimated${share === null ? '' : ` (${share}%)`}; it would have sent ${shadow.wouldSend} message${shadow.wouldSend === 1 ? '' : 's'}, asked you ${shadow.wouldAskOwner} time${shadow.wouldAskOwner === 1 ? '' : 's'}, and saved ${shadow.hoursPerMonth} h a month against ${estimate.hoursPerMonth} h estimated.`;
    results.push({ rank: a.rank, playbookId: a.playbookId, title: est?.title ?? a.playbookId, mode: a.mode, days, estimate, shadow, liveRuns, verdict });
  }
  return { audit: row, results };
}

/** The parts of an audit row the API shows. */
export function auditView(row: AuditRow): { id: string; createdAt: string; createdBy: string; answers: AuditAnswers; blueprint: Blueprint; applied: AppliedPlaybook[] | null; appliedAt: string | null; measuredWindow: { since: string; until: string } } {
  return { id: row.id, createdAt: row.created_at.toISOString(), createdBy: row.created_by, answers: row.answers, blueprint: row.blueprint, applied: row.applied, appliedAt: row.applied_at?.toISOString() ?? null, measuredWindow: row.measured.window };
}
