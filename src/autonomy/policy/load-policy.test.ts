import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_POLICY_YAML, loadPolicyFile, parsePolicy } from './load-policy.js';

const FILE = 'tenants/acme/policy.yaml';

/** Parses and returns the ConfigError thrown, failing the test if none is. */
function failure(text: string): ConfigError {
  try {
    parsePolicy(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('parsePolicy: valid files', () => {
  it('parses the full example and applies nothing it does not need to', () => {
    const p = parsePolicy(
      `version: 1
default: approve
actions:
  sms.send: auto
  email.send: approve
  payment.refund: never
first_contact: approve
quiet_hours:
  start: "21:00"
  end: "08:00"
  kinds: [sms.send]
max_per_recipient_per_day: 3
over_limit: never
money:
  approve_over_cents: 50000
  never_over_cents: 500000
min_confidence: 0.6
`,
      FILE,
    );
    expect(p).toEqual({
      version: 1,
      default: 'approve',
      actions: { 'sms.send': 'auto', 'email.send': 'approve', 'payment.refund': 'never' },
      first_contact: 'approve',
      quiet_hours: { start: '21:00', end: '08:00', kinds: ['sms.send'] },
      max_per_recipient_per_day: 3,
      over_limit: 'never',
      money: { approve_over_cents: 50000, never_over_cents: 500000 },
      min_confidence: 0.6,
    });
  });

  it('fills in defaults for a minimal file', () => {
    expect(parsePolicy('version: 1\n', FILE)).toEqual({
      version: 1,
      default: 'approve',
      actions: {},
      first_contact: 'approve',
      over_limit: 'never',
    });
  });

  it('reads unquoted times as strings (YAML 1.2, no base-60 numbers)', () => {
    const p = parsePolicy('version: 1\nquiet_hours:\n  start: 21:00\n  end: 08:00\n', FILE);
    expect(p.quiet_hours).toEqual({ start: '21:00', end: '08:00' });
  });

  it('accepts the default policy text', () => {
    const p = parsePolicy(DEFAULT_POLICY_YAML, 'default');
    expect(p.actions).toEqual({ 'sms.send': 'auto', 'email.send': 'approve', 'calendar.create': 'auto', 'calendar.update': 'auto', 'calendar.cancel': 'auto', 'email.label': 'auto', 'payment.refund': 'never' });
    expect(p.first_contact).toBe('approve');
    expect(p.quiet_hours).toEqual({ start: '21:00', end: '08:00' });
    expect(p.max_per_recipient_per_day).toBe(3);
    expect(p.over_limit).toBe('never');
    expect(p.default).toBe('approve');
  });
});

describe('parsePolicy: errors name the file, the field and the problem', () => {
  const cases: Array<[string, string, string, string]> = [
    [
      'hour out of range',
      'version: 1\nquiet_hours:\n  start: "25:00"\n  end: "08:00"\n',
      'quiet_hours.start',
      'must be HH:MM (24-hour), got "25:00"',
    ],
    [
      'single-digit hour',
      'version: 1\nquiet_hours:\n  start: "21:00"\n  end: "8:00"\n',
      'quiet_hours.end',
      'must be HH:MM (24-hour), got "8:00"',
    ],
    ['bad decision for an action', 'version: 1\nactions:\n  sms.send: sometimes\n', 'actions.sms.send', 'must be one of auto, approve, never, got "sometimes"'],
    ['bad default', 'version: 1\ndefault: maybe\n', 'default', 'must be one of auto, approve, never, got "maybe"'],
    ['over_limit cannot be auto', 'version: 1\nover_limit: auto\n', 'over_limit', 'must be one of approve, never, got "auto"'],
    ['unknown top-level key', 'version: 1\ncolour: blue\n', 'colour', 'is not a known setting (allowed keys: '],
    ['unknown nested key', 'version: 1\nquiet_hours:\n  start: "21:00"\n  end: "08:00"\n  stop: "09:00"\n', 'quiet_hours.stop', 'is not a known setting (allowed keys: start, end, kinds)'],
    ['unknown money key', 'version: 1\nmoney:\n  approve_over_cents: 1\n  currency: CAD\n', 'money.currency', 'is not a known setting'],
    ['missing version', 'default: auto\n', 'version', 'is required'],
    ['wrong version', 'version: 2\n', 'version', 'must be 1, got 2'],
    ['missing quiet_hours.end', 'version: 1\nquiet_hours:\n  start: "21:00"\n', 'quiet_hours.end', 'is required'],
    ['zero daily limit', 'version: 1\nmax_per_recipient_per_day: 0\n', 'max_per_recipient_per_day', 'must be a whole number greater than 0, got 0'],
    ['fractional daily limit', 'version: 1\nmax_per_recipient_per_day: 2.5\n', 'max_per_recipient_per_day', 'must be a whole number greater than 0, got 2.5'],
    ['confidence above 1', 'version: 1\nmin_confidence: 1.5\n', 'min_confidence', 'must be a number from 0 to 1, got 1.5'],
    ['confidence as text', 'version: 1\nmin_confidence: high\n', 'min_confidence', 'must be a number from 0 to 1, got "high"'],
    ['negative cents', 'version: 1\nmoney:\n  approve_over_cents: -5\n', 'money.approve_over_cents', 'must be 0 or more cents, got -5'],
    [
      'refusal limit below approval limit',
      'version: 1\nmoney:\n  approve_over_cents: 500\n  never_over_cents: 100\n',
      'money.never_over_cents',
      'must be at least money.approve_over_cents, got 100',
    ],
    ['equal quiet hours', 'version: 1\nquiet_hours:\n  start: "08:00"\n  end: "08:00"\n', 'quiet_hours.end', 'must differ from quiet_hours.start'],
    ['actions as a list', 'version: 1\nactions: [sms.send]\n', 'actions', 'must be a mapping of action kind to decision, got a list'],
    ['bad action kind', 'version: 1\nactions:\n  SMS Send: auto\n', 'actions.SMS Send', 'is not a valid action kind (use lowercase dotted names such as sms.send), got "SMS Send"'],
    ['bad kinds entry', 'version: 1\nquiet_hours:\n  start: "21:00"\n  end: "08:00"\n  kinds: [sms.send, 7]\n', 'quiet_hours.kinds.1', 'must be an action kind such as sms.send, got 7'],
    ['quiet_hours as text', 'version: 1\nquiet_hours: "21:00-08:00"\n', 'quiet_hours', 'must be a mapping with start and end, e.g. start: "21:00" and end: "08:00", got "21:00-08:00"'],
    ['money as a number', 'version: 1\nmoney: 500\n', 'money', 'must be a mapping with approve_over_cents (and optionally never_over_cents), got 500'],
    ['misspelled top-level key', 'version: 1\nquiet_hour:\n  start: "21:00"\n', 'quiet_hour', 'is not a known setting; did you mean "quiet_hours"?'],
    ['misspelled nested key', 'version: 1\nmoney:\n  approve_over_cents: 1\n  never_over_cent: 5\n', 'money.never_over_cent', 'did you mean "never_over_cents"?'],
    ['misspelled required key', 'version: 1\nmoney:\n  approve_over_cent: 1\n', 'money.approve_over_cent', 'did you mean "approve_over_cents"?'],
    ['misspelled action kind', 'version: 1\nactions:\n  sms.sned: auto\n', 'actions.sms.sned', 'is not an action kind AIOS knows; did you mean "sms.send"?'],
    ['unknown action kind', 'version: 1\nactions:\n  pizza.order: auto\n', 'actions.pizza.order', 'is not an action kind AIOS knows'],
    ['misspelled quiet-hours kind', 'version: 1\nquiet_hours:\n  start: "21:00"\n  end: "08:00"\n  kinds: [sms.send, emial.send]\n', 'quiet_hours.kinds.1', 'did you mean "email.send"?'],
    ['mcp kind without a tool', 'version: 1\nactions:\n  mcp.crm: auto\n', 'actions.mcp.crm', 'mcp.<connection>.<tool>'],
  ];

  for (const [name, text, field, problem] of cases) {
    it(`${name} → ${field}`, () => {
      const err = failure(text);
      expect(err.file).toBe(FILE);
      expect(err.field).toBe(field);
      expect(err.code).toBe('config_invalid');
      expect(err.message.startsWith(`${FILE}: ${field}: `)).toBe(true);
      expect(err.message).toContain(problem);
    });
  }

  it('gives the exact message for a bad time', () => {
    const err = failure('version: 1\nquiet_hours:\n  start: "25:00"\n  end: "08:00"\n');
    expect(err.message).toBe(`${FILE}: quiet_hours.start: must be HH:MM (24-hour), got "25:00"`);
    expect(err.fix).toContain(FILE);
  });

  it('reports invalid YAML with its line', () => {
    const err = failure('version: 1\nactions:\n  sms.send: [auto\n');
    expect(err.field).toBe('');
    expect(err.message).toMatch(/^tenants\/acme\/policy\.yaml: \(root\): is not valid YAML at line \d+, column \d+: /);
  });

  it('reports duplicate keys as invalid YAML', () => {
    const err = failure('version: 1\ndefault: auto\ndefault: never\n');
    expect(err.message).toContain('is not valid YAML at line 3');
  });

  it('reports an empty file and a file that is not a mapping', () => {
    expect(failure('').message).toBe(`${FILE}: (root): is empty; it must contain at least "version: 1"`);
    expect(failure('# only a comment\n').field).toBe('');
    expect(failure('- a\n- b\n').message).toBe(`${FILE}: (root): must be a mapping of settings, got a list`);
  });
});

describe('parsePolicy: action kinds', () => {
  it('accepts every kind AIOS can propose, and tools of MCP connections by pattern', () => {
    const p = parsePolicy('version: 1\nactions:\n  sms.send: auto\n  email.send: approve\n  mcp.crm.create_note: auto\nquiet_hours:\n  start: "21:00"\n  end: "08:00"\n  kinds: [sms.send, mcp.crm.create_note]\n', FILE);
    expect(Object.keys(p.actions)).toEqual(['sms.send', 'email.send', 'mcp.crm.create_note']);
  });

  it('lists the known kinds in the fix of an unknown one', () => {
    const err = failure('version: 1\nactions:\n  sms.sned: never\n');
    expect(err.fix).toContain('sms.send');
    expect(err.fix).toContain('mcp.<connection>.<tool>');
  });
});

describe('loadPolicyFile', () => {
  it('loads a file from disk and reports problems with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-policy-'));
    try {
      const good = join(dir, 'policy.yaml');
      writeFileSync(good, DEFAULT_POLICY_YAML);
      expect(loadPolicyFile(good).actions['sms.send']).toBe('auto');

      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'version: 1\nfirst_contact: sometimes\n');
      expect(() => loadPolicyFile(bad)).toThrow(`${bad}: first_contact: must be one of auto, approve, never, got "sometimes"`);

      const missing = join(dir, 'missing.yaml');
      expect(() => loadPolicyFile(missing)).toThrow(`${missing}: (root): file does not exist`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
