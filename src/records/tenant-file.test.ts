import { describe, it, expect } from 'vitest';
import { parseTenantFile } from './tenant-file.js';
import { ConfigError } from '../core/errors.js';

const GOOD = `slug: acme
name: Acme
time_zone: America/Toronto
phone: "+14165550100"
owner:
  name: Owner
profile:
  booking_link: https://book.example/acme
`;

function failure(text: string): ConfigError {
  try {
    parseTenantFile(text, 'tenant.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected parseTenantFile to throw');
}

describe('tenant.yaml: unknown keys say what was probably meant', () => {
  it.each([
    ['a top-level key', GOOD.replace('time_zone:', 'timezone:'), 'timezone', '"time_zone"'],
    ['a profile key', GOOD.replace('booking_link:', 'boking_link:'), 'profile.boking_link', '"booking_link"'],
    ['a misspelled required owner key', GOOD.replace('  name: Owner', '  nmae: Owner'), 'owner.nmae', '"name"'],
  ])('%s', (_what, text, field, suggestion) => {
    const err = failure(text);
    expect(err.field).toBe(field);
    expect(err.problem).toContain(`did you mean ${suggestion}?`);
    expect(err.problem).toContain('allowed keys:');
  });

  it('a key that resembles nothing gets the list only', () => {
    const err = failure(GOOD + 'colour: blue\n');
    expect(err.field).toBe('colour');
    expect(err.problem).not.toContain('did you mean');
    expect(err.problem).toContain('allowed keys: slug, name');
  });
});

describe('tenant.yaml: locale', () => {
  it('an underscore locale (en_CA) is refused with the field and an example, not accepted to fail later in every text', () => {
    const err = failure(GOOD + 'locale: en_CA\n');
    expect(err.field).toBe('locale');
    expect(err.problem).toContain('such as en-CA');
  });

  it('a BCP 47 locale is kept', () => {
    expect(parseTenantFile(GOOD + 'locale: fr-CA\n', 'tenant.yaml').locale).toBe('fr-CA');
  });
});
