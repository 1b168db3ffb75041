import { CATALOG, CONNECTION_WORDS, WEEKS_PER_MONTH, type CatalogEntry, type ConnectionNeed } from './catalog.js';
import { inputValues, type AuditInput, type AuditKey } from './questions.js';

/** Effort points per missing connection, per setup step, and per risk level. */
export const EFFORT_WEIGHTS = { missingConnection: 3, setupStep: 1, risk: { low: 1, medium: 2, high: 3 } } as const;

/** One automation of the blueprint, scored. Money in dollars per month. */
export interface ScoredEntry {
  /** 1 = do it first. */
  rank: number;
  id: string;
  title: string;
  available: boolean;
  saves: string;
  /** Hours saved × the owner's hourly value + revenue recovered, dollars per month. */
  impactPerMonth: number;
  hoursPerMonth: number;
  revenuePerMonth: number;
  runsPerMonth: number;
  effort: { score: number; missingConnections: ConnectionNeed[]; setupSteps: string[]; risk: CatalogEntry['risk']; riskWhy: string };
  /** impactPerMonth ÷ effort score: the ranking key. */
  priority: number;
  /** Sentences naming every number used. */
  reasoning: string[];
  /** Inputs it reads whose value was assumed, not answered or measured. */
  assumed: AuditKey[];
}

/** The prioritised blueprint: what to automate first, and why. */
export interface Blueprint {
  computedAt: string;
  inputs: AuditInput[];
  ranked: ScoredEntry[];
  /** Playbooks that are parts of a ranked entry (not recommended alone). */
  supporting: Array<{ id: string; title: string; partOf: string }>;
  /** One sentence per assumed input ("Average job value: assumed $450 (default for trades)"). */
  assumptions: string[];
  /** Inputs history could not measure, and why. */
  unmeasured: string[];
  /** Sum over the available entries, overlapping ones (`overlapsWith`) counted once (the larger). */
  totals: { impactPerMonth: number; hoursPerMonth: number };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/**
 * Scores every catalog entry: impact = hours saved × the owner's hourly value + revenue at risk
 * recovered (dollars per month); effort = missing connections × 3 + setup steps + risk (low 1,
 * medium 2, high 3); ranked by impact ÷ effort, highest first, the systems not yet available after
 * all available ones. Office work is capped at the owner's admin hours per month.
 * @param connected what the business has connected now.
 */
export function scoreBlueprint(inputs: AuditInput[], connected: readonly ConnectionNeed[], opts: { now: Date; unmeasured?: string[]; catalog?: readonly CatalogEntry[] }): Blueprint {
  const v = inputValues(inputs);
  const source = new Map(inputs.map((i) => [i.key, i]));
  const catalog = opts.catalog ?? CATALOG;
  const scored: Omit<ScoredEntry, 'rank'>[] = [];
  for (const e of catalog) {
    if (e.partOf || !e.estimate) continue;
    const est = e.estimate(v);
    const reasoning = [...est.reasoning];
    let hours = est.hoursPerMonth;
    const adminCap = v.adminHoursPerWeek * WEEKS_PER_MONTH;
    if (e.adminWork && hours > adminCap) {
      reasoning.push(`Capped at your ${r1(v.adminHoursPerWeek)} admin hours a week × ${WEEKS_PER_MONTH} = ${r1(adminCap)} h a month.`);
      hours = adminCap;
    }
    const impact = hours * v.hourlyValue + est.revenuePerMonth;
    reasoning.push(`Impact: ${r1(hours)} h × ${usd(v.hourlyValue)}/h${est.revenuePerMonth ? ` + ${usd(est.revenuePerMonth)} recovered` : ''} = ${usd(impact)} a month.`);
    const missing = e.connections.filter((c) => !connected.includes(c));
    const score = missing.length * EFFORT_WEIGHTS.missingConnection + e.setupSteps.length * EFFORT_WEIGHTS.setupStep + EFFORT_WEIGHTS.risk[e.risk];
    reasoning.push(`Effort ${score}: ${missing.length ? `${missing.length} connection${missing.length > 1 ? 's' : ''} missing (${missing.map((m) => CONNECTION_WORDS[m]).join(', ')}) × ${EFFORT_WEIGHTS.missingConnection}` : 'nothing to connect'} + ${e.setupSteps.length} setup step${e.setupSteps.length === 1 ? '' : 's'} + ${e.risk} risk ${EFFORT_WEIGHTS.risk[e.risk]} (${e.riskWhy}).`);
    const assumed = e.drivers.filter((k) => source.get(k)?.source === 'assumed');
    if (assumed.length) reasoning.push(`Assumed, not measured or answered: ${assumed.map((k) => source.get(k)!.label.toLowerCase()).join(', ')}.`);
    if (!e.available) reasoning.push('Not in this build yet: shown so you can compare; it cannot be applied.');
    scored.push({
      id: e.id, title: e.title, available: e.available, saves: e.saves, impactPerMonth: Math.round(impact), hoursPerMonth: r1(hours), revenuePerMonth: Math.round(est.revenuePerMonth),
      runsPerMonth: r1(est.runsPerMonth), effort: { score, missingConnections: missing, setupSteps: e.setupSteps, risk: e.risk, riskWhy: e.riskWhy }, priority: r1(impact / score), reasoning, assumed,
    });
  }
  scored.sort((a, b) => Number(b.available) - Number(a.available) || b.priority - a.priority || a.id.localeCompare(b.id));
  const ranked = scored.map((s, i) => ({ rank: i + 1, ...s }));
  // Overlapping entries (the receptionist and the text-back work the same missed calls) count once: the larger.
  const overlapped = new Set<string>();
  for (const e of catalog) {
    const [x, y] = [ranked.find((r) => r.id === e.id), ranked.find((r) => r.id === e.overlapsWith)];
    if (x && y) overlapped.add(x.impactPerMonth >= y.impactPerMonth ? y.id : x.id);
  }
  const available = ranked.filter((r) => r.available && !overlapped.has(r.id));
  return {
    computedAt: opts.now.toISOString(),
    inputs,
    ranked,
    supporting: catalog.filter((e) => e.partOf).map((e) => ({ id: e.id, title: e.title, partOf: e.partOf! })),
    assumptions: inputs.filter((i) => i.source === 'assumed').map((i) => `${i.label}: assumed ${i.value} (${i.basis})`),
    unmeasured: opts.unmeasured ?? [],
    totals: { impactPerMonth: available.reduce((s, r) => s + r.impactPerMonth, 0), hoursPerMonth: r1(available.reduce((s, r) => s + r.hoursPerMonth, 0)) },
  };
}
