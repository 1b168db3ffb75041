import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../../../test/support/shared-data.js';
import { computeTwilioSignature, urlVariants, verifyTwilioSignature } from './signature.js';

const vectorsPath = sharedDataFile('webhooks/twilio-signature-vectors.json');
const haveVectors = vectorsPath !== null;

interface Vectors {
  authToken: string;
  params: Record<string, string>;
  cases: Array<{ url: string; signature: string; valid: boolean; note?: string }>;
}

describe.skipIf(!haveVectors)('X-Twilio-Signature known answers (../shared/data/webhooks)', () => {
  const v = haveVectors ? (JSON.parse(readFileSync(vectorsPath!, 'utf8')) as Vectors) : undefined;
  for (const [i, c] of (v?.cases ?? []).entries()) {
    it(`case ${i}: ${c.url} → ${c.valid ? 'valid' : 'invalid'}`, () => {
      expect(verifyTwilioSignature(v!.authToken, c.url, v!.params, c.signature)).toBe(c.valid);
    });
  }
  it('computes the exact signature for the URL form that was signed', () => {
    const valid = v!.cases.filter((c) => c.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const c of valid) expect(computeTwilioSignature(v!.authToken, c.url, v!.params)).toBe(c.signature);
  });
  it('accepts a signature made with the default port on a URL without it, and vice versa', () => {
    const withPort = v!.cases.find((c) => c.valid && c.url.includes(':443'))!;
    const without = v!.cases.find((c) => c.valid && !c.url.includes(':443'))!;
    expect(verifyTwilioSignature(v!.authToken, without.url, v!.params, withPort.signature)).toBe(true);
    expect(verifyTwilioSignature(v!.authToken, withPort.url, v!.params, without.signature)).toBe(true);
  });
});

describe('X-Twilio-Signature', () => {
  const token = 'test-auth-token';
  const url = 'https://aios.example.com/hooks/twilio/sms?tenant=t1';
  const params = { MessageSid: 'SM' + 'a'.repeat(32), From: '+14155550100', To: '+14155550199', Body: 'Hi & <bye>' };
  const sig = computeTwilioSignature(token, url, params);

  it('round-trips', () => {
    expect(verifyTwilioSignature(token, url, params, sig)).toBe(true);
  });
  it('rejects a tampered parameter', () => {
    expect(verifyTwilioSignature(token, url, { ...params, Body: 'Hi & <bye>!' }, sig)).toBe(false);
  });
  it('rejects an added parameter', () => {
    expect(verifyTwilioSignature(token, url, { ...params, Extra: '1' }, sig)).toBe(false);
  });
  it('rejects the wrong token', () => {
    expect(verifyTwilioSignature('other-token', url, params, sig)).toBe(false);
  });
  it('rejects a different URL', () => {
    expect(verifyTwilioSignature(token, url.replace('t1', 't2'), params, sig)).toBe(false);
    expect(verifyTwilioSignature(token, url.replace('https:', 'http:'), params, sig)).toBe(false);
  });
  it('rejects a missing, empty or malformed signature without throwing', () => {
    expect(verifyTwilioSignature(token, url, params, undefined)).toBe(false);
    expect(verifyTwilioSignature(token, url, params, '')).toBe(false);
    expect(verifyTwilioSignature(token, url, params, 'x')).toBe(false);
    expect(verifyTwilioSignature(token, url, params, sig + sig)).toBe(false);
  });
  it('sorts names by code unit and repeated values by value', () => {
    const a = computeTwilioSignature(token, url, { b: ['2', '1'], a: 'x', B: 'y' });
    const b = computeTwilioSignature(token, url, { B: 'y', a: 'x', b: ['1', '2'] });
    expect(a).toBe(b);
    // Same as concatenating by hand: URL + "B" "y" + "a" "x" + "b" "1" + "b" "2".
    expect(a).toBe(createHmac('sha1', token).update(url + 'By' + 'ax' + 'b1' + 'b2').digest('base64'));
  });
  it('signs a GET (no params) over the URL alone', () => {
    const s = computeTwilioSignature(token, url, {});
    expect(verifyTwilioSignature(token, url, {}, s)).toBe(true);
  });
  it('toggles the default port only', () => {
    expect(urlVariants('https://h.example/p?q=1')).toEqual(['https://h.example/p?q=1', 'https://h.example:443/p?q=1']);
    expect(urlVariants('http://h.example:80/p')).toEqual(['http://h.example:80/p', 'http://h.example/p']);
    expect(urlVariants('https://h.example:8443/p')).toEqual(['https://h.example:8443/p']);
    expect(urlVariants('https://[::1]/p')).toEqual(['https://[::1]/p', 'https://[::1]:443/p']);
    expect(urlVariants('not a url')).toEqual(['not a url']);
  });
});
