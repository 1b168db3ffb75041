import { describe, it, expect } from 'vitest';
import { normalizePhone, parseBody, parseLead } from './lead-input.js';
import { FORM_MAX_SKEW_SECONDS, FormSignatureError, signFormBody, verifyFormSignature } from './signature.js';
import { parseFormsFile } from './forms-file.js';

describe('normalizePhone', () => {
  it('makes E.164 from common ways of writing a number', () => {
    expect(normalizePhone('+1 (416) 555-0177')).toBe('+14165550177');
    expect(normalizePhone('0044 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('416.555.0177', '+14165550100')).toBe('+14165550177');
    expect(normalizePhone('1-416-555-0177', '+14165550100')).toBe('+14165550177');
    expect(normalizePhone('416 555 0177', '+442079460958')).toBeNull();
    expect(normalizePhone('call me')).toBeNull();
  });
});

describe('parseLead', () => {
  it('trims, lower-cases the email, keeps extra string fields and the body key', () => {
    const lead = parseLead({ name: ' Ana ', email: 'Ana@X.io', message: '', utm: 'a', n: 3, idempotency_key: 'k1' }, { source: 'form' });
    expect(lead).toMatchObject({ name: 'Ana', email: 'ana@x.io', phone: null, message: null, source: 'form', idempotencyKey: 'k1', extra: { utm: 'a' } });
  });
  it('removes NUL and other control characters from every field', () => {
    const lead = parseLead({ name: 'A\u0000na\u202E', phone: '+1416555\u00000177', message: 'line 1\nline\u0007 2', ref: 'x\u0000y' }, { source: 'form' });
    expect(lead).toMatchObject({ name: 'Ana', phone: '+14165550177', message: 'line 1\nline 2', extra: { ref: 'xy' } });
  });
  it('names the field that is wrong', () => {
    expect(() => parseLead({ email: 'x' }, { source: 'form' })).toThrow(/^email: /);
    expect(() => parseLead({ phone: 'abc' }, { source: 'form' })).toThrow(/^phone: /);
    expect(() => parseLead({ name: 'x'.repeat(201), phone: '+14165550177' }, { source: 'form' })).toThrow(/^name: must be at most 200/);
    expect(() => parseLead({ name: { a: 1 } }, { source: 'form' })).toThrow(/^name: must be a string/);
    expect(() => parseLead({ name: 'Ana' }, { source: 'form' })).toThrow(/^phone or email/);
  });
  it('parses JSON and form bodies; refuses other content types', () => {
    expect(parseBody('a=1&a=2&b=x', 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({ a: '1', b: 'x' });
    expect(parseBody('{"a":1}', 'application/json')).toEqual({ a: 1 });
    expect(() => parseBody('{', 'application/json')).toThrow(/^body: malformed JSON/);
    expect(() => parseBody('<x/>', 'text/xml')).toThrow(/not supported/);
  });
});

describe('form signature', () => {
  const secret = 's'.repeat(32);
  const now = new Date('2026-01-01T00:00:00Z');
  const ts = String(now.getTime() / 1000);
  it('accepts the signature of `${timestamp}.${body}` within the skew', () => {
    const sig = signFormBody(secret, ts, '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(() => verifyFormSignature(secret, '{"a":1}', { signature: sig, timestamp: ts }, now)).not.toThrow();
    const later = new Date(now.getTime() + FORM_MAX_SKEW_SECONDS * 1000);
    expect(() => verifyFormSignature(secret, '{"a":1}', { signature: sig, timestamp: ts }, later)).not.toThrow();
  });
  it('refuses a changed body, a stale timestamp, a malformed one and missing headers', () => {
    const sig = signFormBody(secret, ts, 'body');
    expect(() => verifyFormSignature(secret, 'body!', { signature: sig, timestamp: ts }, now)).toThrow(FormSignatureError);
    expect(() => verifyFormSignature(secret, 'body', { signature: sig, timestamp: ts }, new Date(now.getTime() + 301_000))).toThrow(/301 s away/);
    expect(() => verifyFormSignature(secret, 'body', { signature: sig, timestamp: '2026-01-01' }, now)).toThrow(/not Unix seconds/);
    expect(() => verifyFormSignature(secret, 'body', { timestamp: ts }, now)).toThrow(/X-AIOS-Signature header missing/);
    expect(() => verifyFormSignature(secret, 'body', { signature: 'sha256=00', timestamp: ts }, now)).toThrow(/does not match/);
  });
});

describe('forms.yaml', () => {
  it('validates the secret and names the field', () => {
    expect(parseFormsFile('forms:\n  secret: "0123456789abcdef01234567"\n', 'f.yaml')).toEqual({ forms: { secret: '0123456789abcdef01234567' }, widget: { enabled: true } });
    expect(parseFormsFile('', 'f.yaml')).toEqual({ widget: { enabled: true } });
    expect(() => parseFormsFile('forms:\n  secret: short\n', 'f.yaml')).toThrow(/f\.yaml: forms\.secret: must be at least 24/);
    expect(() => parseFormsFile('form:\n  secret: x\n', 'f.yaml')).toThrow(/unknown key "form"/);
    expect(() => parseFormsFile('forms: [', 'f.yaml')).toThrow(/YAML does not parse/);
  });
});
