/**
 * Reading and validating a policy file. Any problem stops start-up (or, for an edit while AIOS
 * runs, keeps the last good policy) with a {@link ConfigError} naming the file, the dotted field
 * path (e.g. `quiet_hours.start`) and the problem in plain English, with a "did you mean" for typos.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { closestMatch, didYouMean } from '../../core/did-you-mean.js';
import { ALLOWED_KEYS, PolicySchema, type Policy } from './policy-schema.js';
import { ACTION_KINDS, MCP_KIND_PATTERN, isKnownActionKind } from './action-kinds.js';

/**
 * A sensible starting policy for a home-services business (plumber, electrician, cleaner…).
 * Written to a new tenant's `policy.yaml`; it always parses with {@link parsePolicy}.
 */
export const DEFAULT_POLICY_YAML = `# AIOS autonomy policy.
# Every external action AIOS proposes is decided here, never by the AI model:
#   auto    - AIOS does it by itself
#   approve - AIOS asks you first
#   never   - AIOS refuses
# The strictest rule wins: never beats approve, approve beats auto.
version: 1

# Decision for any action not listed under "actions".
default: approve

# Decision per action.
actions:
  sms.send: auto          # text replies to customers
  email.send: approve     # emails wait for you
  calendar.create: auto   # book a time the customer chose from your free slots
  calendar.update: auto   # move it when they ask to reschedule
  calendar.cancel: auto   # cancel it when they ask
  email.label: auto       # file new mail under an AIOS/<Category> label in your mailbox
  payment.refund: never   # refunds are yours to make

# Someone we have never texted and who is not yet a customer: ask first.
first_contact: approve

# No texts late at night. Messages proposed in this window are held until it ends.
# Times are in your business's time zone; 21:00 to 08:00 wraps past midnight.
quiet_hours:
  start: "21:00"
  end: "08:00"

# At most 3 messages a day to one person who has not written back; beyond that, refuse.
# (While they keep writing, it is a conversation: up to 4 x 3 texts that day.)
max_per_recipient_per_day: 3
over_limit: never
`;

/**
 * What to do when a tenant has no policy.yaml: the smallest valid policy is the one line
 * `version: 1`, under which every action waits for the owner's approval.
 * @param path the policy.yaml path that is missing.
 */
export function missingPolicyFix(path: string): string {
  return `Create ${path} with the single line "version: 1" (every action then waits for your approval; add rules later), then start AIOS again.`;
}

/**
 * Parses and validates policy YAML.
 * @param text the file's contents (UTF-8 text).
 * @param file the file's path or name, used only in error messages.
 * @returns the validated policy, defaults applied.
 * @throws ConfigError on invalid YAML, or listing every schema violation found.
 */
export function parsePolicy(text: string, file: string): Policy {
  const doc = YAML.parseDocument(text);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const firstLine = yamlError.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
    throw new ConfigError(file, '', `is not valid YAML${where}: ${firstLine}`);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, '', 'is empty; it must contain at least "version: 1"');
  }
  const result = PolicySchema.safeParse(raw);
  if (result.success) {
    checkActionKinds(result.data, file);
    return result.data;
  }
  // Every problem at once, unknown keys first; a misspelled key is not also reported as missing.
  const issues = [...result.error.issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const described = issues.flatMap((i): z.core.$ZodIssue[] => (i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ ...i, keys: [k] })) : [i])).map((i) => describeIssue(i, raw));
  const meant = new Set(described.flatMap((d) => (d.meant ? [d.meant] : [])));
  const problems = described.filter((d) => !(d.problem === 'is required' && meant.has(d.field))).map(({ field, problem }) => ({ field, problem }));
  throw ConfigError.of(file, problems);
}

/**
 * Reads and validates a policy file from disk.
 * @param path path of the YAML file.
 * @throws ConfigError when the file cannot be read, is not valid YAML or violates the schema.
 */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file does not exist' : `cannot be read (${code ?? String(err)})`;
    throw new ConfigError(path, '', problem, missingPolicyFix(path));
  }
  return parsePolicy(text, path);
}

/**
 * Every kind named under `actions:` and `quiet_hours.kinds` must be one AIOS can propose
 * ({@link ACTION_KINDS}) or an MCP tool (`mcp.<connection>.<tool>`).
 * @throws ConfigError naming the first unknown kind's field, with a "did you mean".
 */
function checkActionKinds(policy: Policy, file: string): void {
  const named: Array<[field: string, kind: string]> = [
    ...Object.keys(policy.actions).map((k): [string, string] => [`actions.${k}`, k]),
    ...(policy.quiet_hours?.kinds ?? []).map((k, i): [string, string] => [`quiet_hours.kinds.${i}`, k]),
  ];
  const problems = named.filter(([, kind]) => !isKnownActionKind(kind)).map(([field, kind]) => {
    const hint = kind.startsWith('mcp.') ? `; tools of MCP connections are named ${MCP_KIND_PATTERN}` : didYouMean(kind, ACTION_KINDS);
    return { field, problem: `is not an action kind AIOS knows${hint}` };
  });
  if (problems.length > 0) throw ConfigError.of(file, problems, `Use one of ${ACTION_KINDS.join(', ')}, or ${MCP_KIND_PATTERN} for a tool of a connected MCP server; then save ${file}.`);
}

type Segment = PropertyKey;

function dotted(path: readonly Segment[]): string {
  return path.map((p) => String(p)).join('.');
}

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Renders a YAML value for an error message: strings quoted, lists and mappings named. */
function show(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Turns a zod issue into the dotted field path and a plain-English problem. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown): { field: string; problem: string; meant?: string } {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const parent = dotted(path);
    const allowed = ALLOWED_KEYS[parent];
    const hint = allowed ? `${didYouMean(key, allowed)} (allowed keys: ${allowed.join(', ')})` : '';
    const guess = allowed ? closestMatch(key, allowed) : undefined;
    return { field: parent ? `${parent}.${key}` : key, problem: `is not a known setting${hint}`, meant: guess && (parent ? `${parent}.${guess}` : guess) };
  }
  if (issue.code === 'invalid_key') {
    const key = path[path.length - 1];
    const inner = issue.issues[0]?.message ?? 'is not a valid key';
    return { field: dotted(path), problem: `${inner}, got ${show(String(key))}` };
  }
  const value = valueAt(raw, path);
  if (value === undefined) {
    return { field: dotted(path), problem: path.length === 0 ? issue.message : 'is required' };
  }
  if (path.length === 0) {
    return { field: '', problem: `must be a mapping of settings, got ${show(value)}` };
  }
  return { field: dotted(path), problem: `${issue.message}, got ${show(value)}` };
}
