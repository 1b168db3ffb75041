import { describe, it, expect } from 'vitest';
import { cleanDeep, cleanText, needsCleaning, rawIfCleaned } from './clean-text.js';

describe('cleanText', () => {
  it('removes NUL, C0/C1 controls (not tab, LF, CR), lone surrogates, noncharacters and bidi overrides', () => {
    expect(cleanText('a\u0000b\u0007c\u007f\u0085d')).toBe('abcd');
    expect(cleanText('tab\tline\r\nend')).toBe('tab\tline\r\nend');
    expect(cleanText('x\ud800y\udc00z')).toBe('xyz');
    expect(cleanText('\ufffe\uffff\ufdd0\u{1fffe}\u{10ffff}ok')).toBe('ok');
    expect(cleanText('invoice\u202Efdp.exe \u2066x\u2069')).toBe('invoicefdp.exe x');
  });
  it('keeps real text: accents, emoji (surrogate pairs), right-to-left marks', () => {
    for (const s of ['Zoë Ñúñez', 'Leak 🚿 fixed 👍', 'שלום\u200F', '東京']) expect(cleanText(s)).toBe(s);
    expect(needsCleaning('Leak 🚿')).toBe(false);
    expect(needsCleaning('Leak\u0000')).toBe(true);
  });
});

describe('cleanDeep', () => {
  it('cleans every string and key at any depth, and returns the same object when nothing changes', () => {
    expect(cleanDeep({ a: ['x\u0000', 1, null, { 'k\u0000': 'v\ud800' }], n: true })).toEqual({ a: ['x', 1, null, { k: 'v' }], n: true });
    const clean = { a: ['x', { b: 'y' }] };
    expect(cleanDeep(clean)).toBe(clean);
  });
});

describe('rawIfCleaned', () => {
  it('keeps the raw body as base64 only when something was cleaned', () => {
    expect(rawIfCleaned('Body=a%00b', false)).toBeNull();
    const raw = rawIfCleaned('{"name":"A\u0000"}', true)!;
    expect(Buffer.from(raw.base64, 'base64').toString('utf8')).toBe('{"name":"A\u0000"}');
  });
});
