import { describe, it, expect } from 'vitest';
import { evaluatePolicy, type ActionProposal, type PolicyFacts } from './evaluate-policy.js';
import { parsePolicy } from './load-policy.js';

const policy = parsePolicy(
  `version: 1
default: approve
actions:
  sms.send: auto
  email.send: approve
  payment.refund: never
  mcp.stripe.charge: auto
  calendar.create: auto
  mcp.crm.lookup: auto
first_contact: approve
quiet_hours:
  start: "21:00"
  end: "08:00"
max_per_recipient_per_day: 3
over_limit: never
money:
  approve_over_cents: 50000
  never_over_cents: 500000
min_confidence: 0.6
`,
  'test-policy.yaml',
);

const PHONE = '+14165550100';
// 2026-06-15 is EDT (UTC-4): 14:00Z = 10:00 local, well outside quiet hours.
const DAYTIME = new Date('2026-06-15T14:00:00Z');
// 03:30Z on 2026-06-16 = 23:30 EDT on 06-15, inside 21:00–08:00; release 08:00 EDT 06-16 = 12:00Z.
const NIGHT = new Date('2026-06-16T03:30:00Z');

const facts = (over: Partial<PolicyFacts> = {}): PolicyFacts => ({
  now: DAYTIME,
  timeZone: 'America/Toronto',
  recipientOptedOut: false,
  isFirstContact: false,
  sentToRecipientToday: 0,
  ...over,
});
const sms: ActionProposal = { kind: 'sms.send', effect: 'send', recipient: PHONE, confidence: 0.9 };
const rules = (d: { reasons: { rule: string }[] }): string[] => d.reasons.map((r) => r.rule);

describe('evaluatePolicy: single rules', () => {
  it('lets a routine SMS to a known customer through with no reasons', () => {
    expect(evaluatePolicy(policy, sms, facts())).toEqual({ outcome: 'auto', notBefore: null, reasons: [] });
  });

  it('action_kind: a listed kind uses its decision', () => {
    const d = evaluatePolicy(policy, { kind: 'email.send', effect: 'send', recipient: 'a@b.ca' }, facts());
    expect(d.outcome).toBe('approve');
    expect(d.reasons).toEqual([{ rule: 'action_kind', decision: 'approve', detail: 'policy sets email.send to approve' }]);
    const never = evaluatePolicy(policy, { kind: 'payment.refund', effect: 'money', amountCents: 100 }, facts());
    expect(never.outcome).toBe('never');
  });

  it('action_kind: an unlisted kind uses the default', () => {
    const d = evaluatePolicy(policy, { kind: 'invoice.void', effect: 'write' }, facts());
    expect(d.outcome).toBe('approve');
    expect(d.reasons[0]?.detail).toBe('invoice.void is not listed in the policy; the default is approve');
    const autoDefault = parsePolicy('version: 1\ndefault: auto\n', 'p.yaml');
    expect(evaluatePolicy(autoDefault, { kind: 'invoice.void', effect: 'write' }, facts()).outcome).toBe('auto');
  });

  it('action_kind: inherited object property names are not mistaken for listed kinds', () => {
    expect(evaluatePolicy(policy, { kind: 'constructor', effect: 'read' }, facts()).outcome).toBe('approve');
  });

  it('opted_out: refuses a message to someone who opted out', () => {
    const d = evaluatePolicy(policy, sms, facts({ recipientOptedOut: true }));
    expect(d.outcome).toBe('never');
    expect(d.reasons).toEqual([{ rule: 'opted_out', decision: 'never', detail: `${PHONE} has opted out of messages` }]);
  });

  it('first_contact: a first message needs approval', () => {
    const d = evaluatePolicy(policy, sms, facts({ isFirstContact: true }));
    expect(d.outcome).toBe('approve');
    expect(rules(d)).toEqual(['first_contact']);
    expect(d.reasons[0]?.detail).toContain(PHONE);
  });

  it('first_contact: can be set to auto or never', () => {
    const auto = parsePolicy('version: 1\nactions: {sms.send: auto}\nfirst_contact: auto\n', 'p.yaml');
    expect(evaluatePolicy(auto, sms, facts({ isFirstContact: true })).outcome).toBe('auto');
    const never = parsePolicy('version: 1\nactions: {sms.send: auto}\nfirst_contact: never\n', 'p.yaml');
    expect(evaluatePolicy(never, sms, facts({ isFirstContact: true })).outcome).toBe('never');
  });

  it('daily_limit: below the limit is fine, at the limit gives over_limit', () => {
    expect(evaluatePolicy(policy, sms, facts({ sentToRecipientToday: 2 })).outcome).toBe('auto');
    const d = evaluatePolicy(policy, sms, facts({ sentToRecipientToday: 3 }));
    expect(d.outcome).toBe('never');
    expect(d.reasons).toEqual([
      { rule: 'daily_limit', decision: 'never', detail: '+14165550100 has had 3 messages today without writing back (limit 3)' },
    ]);
  });

  it('daily_limit: texts answering someone who keeps writing are a conversation, capped at 4 x the limit a day', () => {
    // Five texts today, but the customer wrote after the third: two since their last message.
    expect(evaluatePolicy(policy, sms, facts({ sentToRecipientToday: 5, sentSinceTheirLastMessage: 2 })).outcome).toBe('auto');
    expect(evaluatePolicy(policy, sms, facts({ sentToRecipientToday: 5, sentSinceTheirLastMessage: 3 })).outcome).toBe('never');
    const capped = evaluatePolicy(policy, sms, facts({ sentToRecipientToday: 12, sentSinceTheirLastMessage: 0 }));
    expect(capped.outcome).toBe('never');
    expect(capped.reasons[0]?.detail).toBe('+14165550100 has had 12 messages today (limit 12 in a conversation)');
  });

  it('daily_limit: over_limit approve asks instead of refusing', () => {
    const p = parsePolicy('version: 1\nactions: {sms.send: auto}\nmax_per_recipient_per_day: 1\nover_limit: approve\n', 'p.yaml');
    const d = evaluatePolicy(p, sms, facts({ sentToRecipientToday: 1 }));
    expect(d.outcome).toBe('approve');
    expect(d.reasons[0]?.detail).toBe('+14165550100 has had 1 message today without writing back (limit 1)');
  });

  it('money_threshold: at, above and far above the thresholds', () => {
    const charge = (amountCents?: number) =>
      evaluatePolicy(policy, { kind: 'mcp.stripe.charge', effect: 'money', amountCents }, facts());
    expect(charge(50000).outcome).toBe('auto'); // exactly at approve_over_cents: not strictly above
    const above = charge(50001);
    expect(above.outcome).toBe('approve');
    expect(above.reasons).toEqual([
      { rule: 'money_threshold', decision: 'approve', detail: 'amount 500.01 is above the approval threshold 500.00' },
    ]);
    expect(charge(500000).outcome).toBe('approve'); // exactly at never_over_cents
    const far = charge(500001);
    expect(far.outcome).toBe('never');
    expect(far.reasons[0]?.detail).toBe('amount 5000.01 is above the refusal limit 5000.00');
    expect(charge(undefined).outcome).toBe('approve'); // unknown amount is never waved through
    expect(charge(Number.NaN).outcome).toBe('approve');
  });

  it('money_threshold: without a money section, only the kind decides', () => {
    const p = parsePolicy('version: 1\nactions: {mcp.stripe.charge: auto}\n', 'p.yaml');
    expect(evaluatePolicy(p, { kind: 'mcp.stripe.charge', effect: 'money', amountCents: 9_999_999 }, facts()).outcome).toBe('auto');
  });

  it('low_confidence: below the minimum needs approval; at it, or absent, does not', () => {
    const d = evaluatePolicy(policy, { ...sms, confidence: 0.59 }, facts());
    expect(d.outcome).toBe('approve');
    expect(d.reasons).toEqual([{ rule: 'low_confidence', decision: 'approve', detail: 'confidence 0.59 is below the minimum 0.6' }]);
    expect(evaluatePolicy(policy, { ...sms, confidence: 0.6 }, facts()).outcome).toBe('auto');
    const { confidence: _omit, ...noConfidence } = sms;
    expect(evaluatePolicy(policy, noConfidence, facts()).outcome).toBe('auto');
    expect(evaluatePolicy(policy, { ...sms, confidence: Number.NaN }, facts()).outcome).toBe('approve');
  });
});

describe('evaluatePolicy: foreign links and numbers (outbound guard)', () => {
  it('a link or number that is not the business\'s own → approve, even when the kind is auto', () => {
    const d = evaluatePolicy(policy, { ...sms, foreignLinks: ['http://evil.example/pay'], foreignNumbers: ['+15550009999'] }, facts());
    expect(d.outcome).toBe('approve');
    expect(rules(d)).toEqual(['foreign_link', 'foreign_number']);
    expect(d.reasons[0]!.detail).toContain('http://evil.example/pay');
    expect(d.reasons[1]!.detail).toContain('+15550009999');
  });

  it('applies to any effect (an MCP tool call carrying a link), and never still wins', () => {
    expect(evaluatePolicy(policy, { kind: 'crm.lookup', effect: 'read', foreignLinks: ['evil.example'] }, facts()).outcome).toBe('approve');
    expect(evaluatePolicy(policy, { kind: 'payment.refund', effect: 'money', amountCents: 1, foreignNumbers: ['5550001'] }, facts()).outcome).toBe('never');
  });

  it('empty findings change nothing', () => {
    expect(evaluatePolicy(policy, { ...sms, foreignLinks: [], foreignNumbers: [] }, facts())).toEqual({ outcome: 'auto', notBefore: null, reasons: [] });
  });
});

describe('evaluatePolicy: precedence', () => {
  it('never beats approve beats auto, and every non-auto rule is listed in order', () => {
    const d = evaluatePolicy(
      policy,
      { ...sms, confidence: 0.1 },
      facts({ recipientOptedOut: true, isFirstContact: true, sentToRecipientToday: 5 }),
    );
    expect(d.outcome).toBe('never');
    expect(rules(d)).toEqual(['opted_out', 'first_contact', 'daily_limit', 'low_confidence']);
  });

  it('approve from one rule beats auto from the kind', () => {
    const d = evaluatePolicy(policy, { ...sms, confidence: 0.1 }, facts({ isFirstContact: true }));
    expect(d.outcome).toBe('approve');
    expect(rules(d)).toEqual(['first_contact', 'low_confidence']);
  });

  it('a never kind cannot be loosened by any other rule', () => {
    const d = evaluatePolicy(policy, { kind: 'payment.refund', effect: 'money', amountCents: 1, confidence: 1 }, facts());
    expect(d.outcome).toBe('never');
    expect(rules(d)).toEqual(['action_kind']);
  });

  it('read and write effects ignore the send-only rules', () => {
    const all = facts({ now: NIGHT, recipientOptedOut: true, isFirstContact: true, sentToRecipientToday: 99 });
    for (const effect of ['read', 'write'] as const) {
      const kind = effect === 'read' ? 'mcp.crm.lookup' : 'calendar.create';
      expect(evaluatePolicy(policy, { kind, effect, recipient: PHONE }, all)).toEqual({ outcome: 'auto', notBefore: null, reasons: [] });
    }
  });

  it('low confidence applies to every effect', () => {
    expect(evaluatePolicy(policy, { kind: 'calendar.create', effect: 'write', confidence: 0.2 }, facts()).outcome).toBe('approve');
  });
});

describe('evaluatePolicy: quiet hours', () => {
  it('holds an auto SMS at night until 08:00 local', () => {
    const d = evaluatePolicy(policy, sms, facts({ now: NIGHT }));
    expect(d.outcome).toBe('auto');
    expect(d.notBefore?.toISOString()).toBe('2026-06-16T12:00:00.000Z');
    expect(d.reasons).toEqual([
      {
        rule: 'quiet_hours',
        decision: 'hold',
        detail: 'quiet hours 21:00–08:00 (America/Toronto); held until 08:00 local time (2026-06-16T12:00:00.000Z)',
      },
    ]);
  });

  it('also holds an action that needs approval, after its other reasons', () => {
    const d = evaluatePolicy(policy, sms, facts({ now: NIGHT, isFirstContact: true }));
    expect(d.outcome).toBe('approve');
    expect(rules(d)).toEqual(['first_contact', 'quiet_hours']);
    expect(d.notBefore?.toISOString()).toBe('2026-06-16T12:00:00.000Z');
  });

  it('does not hold what is refused anyway', () => {
    const d = evaluatePolicy(policy, sms, facts({ now: NIGHT, recipientOptedOut: true }));
    expect(d.outcome).toBe('never');
    expect(d.notBefore).toBeNull();
    expect(rules(d)).toEqual(['opted_out']);
  });

  it('is released across spring-forward at 08:00 EDT', () => {
    // 22:30 EST on 2026-03-07 = 03:30Z on 03-08; 08:00 EDT on 03-08 = 12:00Z.
    const d = evaluatePolicy(policy, sms, facts({ now: new Date('2026-03-08T03:30:00Z') }));
    expect(d.notBefore?.toISOString()).toBe('2026-03-08T12:00:00.000Z');
  });

  it('only holds the listed kinds when quiet_hours.kinds is set', () => {
    const p = parsePolicy(
      'version: 1\ndefault: auto\nquiet_hours:\n  start: "21:00"\n  end: "08:00"\n  kinds: [sms.send, mcp.stripe.charge]\n',
      'p.yaml',
    );
    const night = facts({ now: NIGHT });
    expect(evaluatePolicy(p, sms, night).notBefore).not.toBeNull();
    expect(evaluatePolicy(p, { kind: 'email.send', effect: 'send' }, night).notBefore).toBeNull();
    expect(evaluatePolicy(p, { kind: 'mcp.stripe.charge', effect: 'money', amountCents: 1 }, night).notBefore).not.toBeNull();
    expect(evaluatePolicy(p, { kind: 'calendar.create', effect: 'write' }, night).notBefore).toBeNull();
  });

  it('without kinds, holds every send and nothing else', () => {
    const night = facts({ now: NIGHT });
    expect(evaluatePolicy(policy, { kind: 'email.send', effect: 'send' }, night).notBefore).not.toBeNull();
    expect(evaluatePolicy(policy, { kind: 'mcp.stripe.charge', effect: 'money', amountCents: 1 }, night).notBefore).toBeNull();
  });

  it('without quiet_hours nothing is held', () => {
    const p = parsePolicy('version: 1\nactions: {sms.send: auto}\n', 'p.yaml');
    expect(evaluatePolicy(p, sms, facts({ now: NIGHT }))).toEqual({ outcome: 'auto', notBefore: null, reasons: [] });
  });
});

describe('evaluatePolicy: recipients chosen by the proposer', () => {
  const auto = parsePolicy('version: 1\ndefault: approve\nactions:\n  sms.send: auto\nfirst_contact: auto\n', 'auto.yaml');
  it('a stranger the proposer chose (first contact, no conversation) needs approval even with first_contact auto', () => {
    for (const f of [facts({ isFirstContact: true, inConversation: false }), facts({ isFirstContact: true })]) {
      const d = evaluatePolicy(auto, { ...sms, recipientChosenByProposer: true }, f);
      expect(d.outcome).toBe('approve');
      expect(rules(d)).toContain('outside_conversation');
    }
  });
  it('in a conversation, or fixed by the playbook: the rule does not apply; a customer with no conversation is asked about', () => {
    expect(evaluatePolicy(auto, { ...sms, recipientChosenByProposer: true }, facts({ isFirstContact: true, inConversation: true })).outcome).toBe('auto');
    expect(rules(evaluatePolicy(auto, { ...sms, recipientChosenByProposer: true }, facts({ inConversation: false })))).toEqual(['outside_conversation']);
    expect(evaluatePolicy(auto, sms, facts({ inConversation: false })).outcome).toBe('auto');
    expect(rules(evaluatePolicy(auto, { ...sms, effect: 'write', recipientChosenByProposer: true }, facts({ isFirstContact: true })))).not.toContain('outside_conversation');
  });
});
