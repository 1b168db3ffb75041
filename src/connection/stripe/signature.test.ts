import { describe, it, expect } from 'vitest';
import { stripeSignature, verifyStripeSignature, StripeSignatureError } from './signature.js';

const secret = 'whsec_test_123';
const body = '{"id":"evt_1","type":"invoice.paid"}';
const t = 1_740_000_000;
const now = (s: number) => () => new Date(s * 1000);
const header = (ts: number, ...sigs: string[]) => [`t=${ts}`, ...sigs.map((s) => `v1=${s}`)].join(',');

describe('verifyStripeSignature', () => {
  it('accepts a valid signature (and ignores other schemes)', () => {
    expect(verifyStripeSignature(header(t, stripeSignature(secret, t, body)) + ',v0=abc', body, secret, { now: now(t + 10) })).toEqual({ timestamp: t });
  });
  it('accepts when one of several v1 values matches', () => {
    expect(() => verifyStripeSignature(header(t, 'ab'.repeat(32), stripeSignature(secret, t, body), 'zz'), body, secret, { now: now(t) })).not.toThrow();
  });
  it('rejects a stale timestamp (> 300 s) and one in the future', () => {
    const h = header(t, stripeSignature(secret, t, body));
    expect(() => verifyStripeSignature(h, body, secret, { now: now(t + 300) })).not.toThrow();
    expect(() => verifyStripeSignature(h, body, secret, { now: now(t + 301) })).toThrow(/301 s old/);
    expect(() => verifyStripeSignature(h, body, secret, { now: now(t - 301) })).toThrow(/in the future/);
  });
  it('rejects a tampered body, a wrong secret, a missing header and a header without v1', () => {
    const h = header(t, stripeSignature(secret, t, body));
    expect(() => verifyStripeSignature(h, body.replace('paid', 'void'), secret, { now: now(t) })).toThrow(StripeSignatureError);
    expect(() => verifyStripeSignature(h, body, 'whsec_other', { now: now(t) })).toThrow(/no v1 signature matches/);
    expect(() => verifyStripeSignature(undefined, body, secret)).toThrow(/missing/);
    expect(() => verifyStripeSignature(`t=${t}`, body, secret)).toThrow(/no v1/);
    expect(() => verifyStripeSignature(`v1=${stripeSignature(secret, t, body)}`, body, secret)).toThrow(/no timestamp/);
  });
  it('a timestamp shifted by the attacker breaks the signature', () => {
    const h = header(t + 1000, stripeSignature(secret, t, body));
    expect(() => verifyStripeSignature(h, body, secret, { now: now(t + 1000) })).toThrow(/no v1 signature matches/);
  });
});
