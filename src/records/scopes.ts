import { InputError } from '../core/errors.js';

/**
 * What a token may do.
 * - `read`: every listing and lookup (records, runs, approvals, knowledge search/ask).
 * - `propose`: propose actions (texts, tool calls); the policy and the owner still decide.
 * - `decide`: approve or reject proposals, answer knowledge gaps (what the business says).
 * - `admin`: tokens, users, connections, imports, knowledge sync.
 */
export const SCOPES = ['read', 'propose', 'decide', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Kinds of principal: people (`user`) and machines (`assistant`, `integration`). */
export const PRINCIPAL_KINDS = ['user', 'assistant', 'integration'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
export const MACHINE_KINDS = ['assistant', 'integration'] as const;
export type MachineKind = (typeof MACHINE_KINDS)[number];

/** A user's role in one business. An implementer (agency) may be a member of several businesses. */
export const USER_ROLES = ['owner', 'staff', 'implementer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * The scopes a user of each role holds (and the most their tokens can carry). Staff decide but do
 * not administer; an implementer sets the business up (connections, tokens, imports) but does not
 * decide on the business's customers.
 */
export const ROLE_SCOPES: Record<UserRole, readonly Scope[]> = {
  owner: SCOPES,
  staff: ['read', 'propose', 'decide'],
  implementer: ['read', 'propose', 'admin'],
};

/**
 * The most a principal's tokens may carry. An assistant (a model acting for someone) can never
 * hold `decide` or `admin`: whatever it proposes, a person decides.
 */
export function scopeCeiling(kind: PrincipalKind, role: UserRole | null): readonly Scope[] {
  if (kind === 'user') return role ? ROLE_SCOPES[role] : [];
  if (kind === 'assistant') return ['read', 'propose'];
  return SCOPES;
}

/** Scopes a new token gets when none are asked for: a user's role scopes; machines `read` + `propose`. */
export function defaultScopes(kind: PrincipalKind, role: UserRole | null): Scope[] {
  return kind === 'user' ? [...scopeCeiling(kind, role)] : ['read', 'propose'];
}

/** Parses `read,propose` or `["read","propose"]` into distinct scopes, in canonical order. */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const list = (typeof input === 'string' ? input.split(',') : input).map((x) => x.trim()).filter(Boolean);
  const unknown = list.filter((x) => !(SCOPES as readonly string[]).includes(x));
  if (unknown.length) throw new InputError(`unknown scope ${unknown.map((u) => `"${u}"`).join(', ')}`, { fix: `Scopes are ${SCOPES.join(', ')}.` });
  if (!list.length) throw new InputError('a token needs at least one scope', { fix: `Pick from ${SCOPES.join(', ')}.` });
  return SCOPES.filter((s) => list.includes(s));
}

/** The stable audit name of a principal: `<kind>:<id>`, e.g. `user:pr_…`, `assistant:pr_…`. */
export function actorName(p: { kind: PrincipalKind; id: string }): string {
  return `${p.kind}:${p.id}`;
}
