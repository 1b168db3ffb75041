import { describe, it, expect } from 'vitest';
import { sanitizeName, firstName, NAME_MAX_CHARS } from './sanitize-name.js';

describe('sanitizeName: names from outside carry no links, numbers or invisible characters', () => {
  it('keeps ordinary names, in any script, with apostrophes and hyphens', () => {
    expect(sanitizeName('Priya Shah')).toBe('Priya Shah');
    expect(sanitizeName("  Seán  O'Brien-Tremblay ")).toBe("Seán O'Brien-Tremblay");
    expect(sanitizeName('Ｍａｒｃ')).toBe('Marc');
    expect(sanitizeName('Zo\u200Be')).toBe('Zoe');
    expect(firstName('Sam Ignore-All-Rules')).toBe('Sam');
  });

  it('refuses a name that is a link or a phone number, in any disguise', () => {
    for (const bad of ['evil.example/verify-your-payment', 'www.evil.example', 'hxxp://evil[.]example', 'Call 555-000-9999', 'five five five oh one two three', 'evil(dot)example', '+1 555 000 9999']) {
      expect(sanitizeName(bad), bad).toBeNull();
    }
  });

  it('drops words with digits, @ or slashes; nothing letter-like left → null', () => {
    expect(sanitizeName('Ana @anabanana')).toBe('Ana');
    expect(sanitizeName('Ana ana@evil.example')).toBeNull();
    expect(sanitizeName('Unit 12B Jo')).toBe('Unit Jo');
    expect(sanitizeName('12345')).toBeNull();
    expect(sanitizeName('!!! ???')).toBeNull();
    expect(sanitizeName('')).toBeNull();
    expect(sanitizeName(null)).toBeNull();
  });

  it('is at most NAME_MAX_CHARS characters, cut at a word boundary', () => {
    const long = sanitizeName('Alexandra Konstantinopoulou Wolfeschlegelstein Hausenberger')!;
    expect(long.length).toBeLessThanOrEqual(NAME_MAX_CHARS);
    expect(long).toBe('Alexandra Konstantinopoulou');
    expect(sanitizeName('A'.repeat(100))!.length).toBe(NAME_MAX_CHARS);
  });
});
