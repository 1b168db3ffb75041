import { postJson, type ApiError } from '../api/client';

/**
 * The audit endpoints' shapes (see src/server/http/audit-schemas.ts). The routes are written with
 * @hono/zod-openapi; until the OpenAPI document the client is generated from lists them, the page
 * calls them through these small typed helpers. Money in dollars, time in hours.
 */
export type Source = 'measured' | 'answered' | 'assumed';
export interface Question { key: string; label: string; unit: string; max: number; measurable: boolean }
export interface Measured {
  window: { since: string; until: string };
  values: Record<string, { value: number; basis: string }>;
  unmeasured: string[];
  questions: Question[];
  defaults: { name: string; values: Record<string, number> };
}
export interface Entry {
  rank: number; id: string; title: string; available: boolean; saves: string;
  impactPerMonth: number; hoursPerMonth: number; revenuePerMonth: number; runsPerMonth: number;
  effort: { score: number; missingConnections: string[]; setupSteps: string[]; risk: 'low' | 'medium' | 'high'; riskWhy: string };
  priority: number; reasoning: string[]; assumed: string[];
}
export interface Audit {
  id: string; createdAt: string; answers: Record<string, number>; appliedAt: string | null;
  blueprint: { inputs: Array<{ key: string; label: string; value: number; source: Source; basis: string }>; ranked: Entry[]; assumptions: string[]; unmeasured: string[]; totals: { impactPerMonth: number; hoursPerMonth: number } };
  applied: Array<{ rank: number; playbookId: string; mode: 'shadow' | 'live'; why: string; connect: string[] }> | null;
}
export interface Result {
  rank: number; playbookId: string; title: string; mode: 'shadow' | 'live'; days: number;
  estimate: { runsPerMonth: number; hoursPerMonth: number; impactPerMonth: number };
  shadow: { signalsFound: number; runsPerMonth: number; hoursPerMonth: number; wouldSend: number; wouldAskOwner: number; notes: string[] };
  liveRuns: number; verdict: string;
}

/** GET as openapi-fetch answers: `{data}` or `{error}`. */
export async function getJson<T>(path: string): Promise<{ data?: T; error?: ApiError }> {
  const res = await fetch(path, { credentials: 'same-origin' });
  const body = (await res.json().catch(() => ({ error: 'bad_response', message: `HTTP ${res.status}` }))) as T & ApiError;
  return res.ok ? { data: body } : { error: body };
}

/** POST (with the CSRF header); throws the server's error so ActionButton shows it. */
export async function post<T>(path: string, body: unknown): Promise<T> {
  const r = await postJson<T>(path, body);
  if (!r.ok) throw r.error;
  return r.data;
}
